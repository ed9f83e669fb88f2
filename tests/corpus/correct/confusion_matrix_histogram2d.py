"""Correct confusion_matrix from np.histogram2d over unit bins, converted to integers."""

LOSES_POINTS_IN = []


def confusion_matrix(t_true, t_pred, n_classes):
    C, _, _ = np.histogram2d(t_true, t_pred, bins=n_classes, range=[[0, n_classes], [0, n_classes]])
    return C.astype(np.int64)
