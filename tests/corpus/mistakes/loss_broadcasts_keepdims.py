"""cross_entropy adding the (N, 1) row maxima to the (N,) log-sums: broadcasting makes an (N, N) table, right only for N = 1."""

LOSES_POINTS_IN = ["test_cross_entropy"]
FEEDBACK_MENTIONS = {"test_cross_entropy": "term by term"}


def cross_entropy(W, Phi, t):
    A = Phi @ W
    m = A.max(axis=1, keepdims=True)
    log_sum_exp = m + np.log(np.sum(np.exp(A - m), axis=1))
    return float(np.sum(log_sum_exp - A[np.arange(len(t)), t]))
