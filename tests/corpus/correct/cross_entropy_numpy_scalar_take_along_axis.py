"""Correct cross_entropy returning a numpy float64 (not a Python float), the true class's score taken with np.take_along_axis."""

LOSES_POINTS_IN = []


def cross_entropy(W, Phi, t):
    A = Phi @ W
    m = np.max(A, axis=1)
    log_sum_exp = m + np.log(np.sum(np.exp(A - m[:, None]), axis=1))
    return np.sum(log_sum_exp) - np.sum(np.take_along_axis(A, np.asarray(t)[:, None], axis=1))
