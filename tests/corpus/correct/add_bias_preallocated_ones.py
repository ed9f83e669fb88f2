"""Correct add_bias that fills a preallocated array of ones with X (in-place work on its own array)."""

LOSES_POINTS_IN = []


def add_bias(X):
    N, d = np.shape(X)
    Phi = np.ones((N, d + 1))
    Phi[:, :d] = X
    return Phi
