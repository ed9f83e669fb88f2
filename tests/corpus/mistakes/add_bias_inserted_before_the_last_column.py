"""add_bias with np.insert(X, -1, 1, axis=1): the ones land before the last column of X, not after it."""

LOSES_POINTS_IN = ["test_add_bias"]
FEEDBACK_MENTIONS = {"test_add_bias": "last column"}


def add_bias(X):
    return np.insert(X, -1, 1.0, axis=1)
