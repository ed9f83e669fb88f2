"""confusion_matrix from np.histogram2d with bins=n_classes and no range: the bins span the labels seen, not 0..n_classes."""

LOSES_POINTS_IN = ["test_confusion_matrix"]
FEEDBACK_MENTIONS = {"test_confusion_matrix": "C[i, j] = samples of true class i predicted as j"}


def confusion_matrix(t_true, t_pred, n_classes):
    C, _, _ = np.histogram2d(t_true, t_pred, bins=n_classes)
    return C.astype(int)
