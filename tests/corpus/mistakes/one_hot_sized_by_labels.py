"""one_hot with as many columns as the largest label + 1, ignoring n_classes."""

LOSES_POINTS_IN = ["test_one_hot"]
FEEDBACK_MENTIONS = {"test_one_hot": "not the largest label"}


def one_hot(t, n_classes):
    T = np.zeros((len(t), t.max() + 1))
    T[np.arange(len(t)), t] = 1.0
    return T
