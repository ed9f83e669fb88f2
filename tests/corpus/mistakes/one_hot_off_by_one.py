"""one_hot that puts the 1 in column t_n - 1, as if the labels started at 1."""

LOSES_POINTS_IN = ["test_one_hot"]
FEEDBACK_MENTIONS = {"test_one_hot": "columns"}


def one_hot(t, n_classes):
    T = np.zeros((len(t), n_classes))
    T[np.arange(len(t)), t - 1] = 1.0
    return T
