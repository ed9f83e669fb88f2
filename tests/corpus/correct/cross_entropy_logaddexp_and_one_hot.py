"""Correct cross_entropy with np.logaddexp.reduce for the log-sum-exp and one_hot for the linear term."""

LOSES_POINTS_IN = []


def cross_entropy(W, Phi, t):
    A = Phi @ W
    return float(np.sum(np.logaddexp.reduce(A, axis=1)) - np.sum(one_hot(t, W.shape[1]) * A))
