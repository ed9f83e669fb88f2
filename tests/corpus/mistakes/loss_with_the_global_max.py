"""cross_entropy shifting every row by the maximum of the whole score array: exact on paper, but rows far below it underflow to log(0)."""

LOSES_POINTS_IN = ["test_cross_entropy_stability"]
FEEDBACK_MENTIONS = {"test_cross_entropy_stability": "log-sum-exp"}


def cross_entropy(W, Phi, t):
    A = Phi @ W
    m = A.max()
    return float(np.sum(m + np.log(np.exp(A - m).sum(axis=1)) - A[np.arange(len(t)), t]))
