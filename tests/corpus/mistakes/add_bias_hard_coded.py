"""add_bias that returns the visible test's expected answer instead of computing it."""

LOSES_POINTS_IN = ["test_add_bias"]
FEEDBACK_MENTIONS = {"test_add_bias": "should have shape (7, 5)"}


def add_bias(X):
    return np.array([[1.0, 2.0, 1.0], [3.0, 4.0, 1.0]])
