"""Correct add_bias with np.insert of the value 1 before column d, that is as the last column."""

LOSES_POINTS_IN = []


def add_bias(X):
    X = np.asarray(X, dtype=float)
    return np.insert(X, X.shape[1], 1.0, axis=1)
