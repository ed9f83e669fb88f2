"""The confusion matrix transposed: rows are the predicted classes, columns the true ones."""

LOSES_POINTS_IN = ["test_confusion_matrix"]
FEEDBACK_MENTIONS = {"test_confusion_matrix": "transposed"}


def confusion_matrix(t_true, t_pred, n_classes):
    C = np.zeros((n_classes, n_classes), dtype=int)
    for i, j in zip(t_true, t_pred):
        C[j, i] += 1
    return C
