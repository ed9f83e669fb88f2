"""The cross-entropy averaged over the samples instead of summed, as many libraries do."""

LOSES_POINTS_IN = ["test_cross_entropy"]
FEEDBACK_MENTIONS = {"test_cross_entropy": "a sum, not a mean"}


def cross_entropy(W, Phi, t):
    A = Phi @ W
    a_max = A.max(axis=1, keepdims=True)
    log_sum_exp = a_max[:, 0] + np.log(np.exp(A - a_max).sum(axis=1))
    return float(np.mean(log_sum_exp - A[np.arange(len(t)), t]))
