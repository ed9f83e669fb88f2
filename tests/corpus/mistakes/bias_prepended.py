"""add_bias that puts the column of ones first instead of last."""

LOSES_POINTS_IN = ["test_add_bias"]
FEEDBACK_MENTIONS = {"test_add_bias": "last column"}


def add_bias(X):
    return np.column_stack([np.ones(len(X)), X])
