"""confusion_matrix with C[t_true, t_pred] += 1: repeated pairs are counted once, since fancy indexing does not accumulate."""

LOSES_POINTS_IN = ["test_confusion_matrix"]
FEEDBACK_MENTIONS = {"test_confusion_matrix": "C[i, j] = samples of true class i predicted as j"}


def confusion_matrix(t_true, t_pred, n_classes):
    C = np.zeros((n_classes, n_classes), dtype=int)
    C[t_true, t_pred] += 1
    return C
