"""The cross-entropy as log(sum(exp(A))) without the max shift: it overflows at large scores."""

LOSES_POINTS_IN = ["test_cross_entropy_stability"]
FEEDBACK_MENTIONS = {"test_cross_entropy_stability": "log-sum-exp"}


def cross_entropy(W, Phi, t):
    A = Phi @ W
    return float(np.sum(np.log(np.exp(A).sum(axis=1)) - A[np.arange(len(t)), t]))
