"""The confusion matrix sized by the largest label seen, not by n_classes."""

LOSES_POINTS_IN = ["test_confusion_matrix"]
FEEDBACK_MENTIONS = {"test_confusion_matrix": "even if class 4 never appears"}


def confusion_matrix(t_true, t_pred, n_classes):
    size = max(t_true.max(), t_pred.max()) + 1
    C = np.zeros((size, size), dtype=int)
    np.add.at(C, (t_true, t_pred), 1)
    return C
