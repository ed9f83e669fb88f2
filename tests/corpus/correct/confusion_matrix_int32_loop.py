"""Correct confusion_matrix holding int32 counts, filled with a loop over the pairs."""

LOSES_POINTS_IN = []


def confusion_matrix(t_true, t_pred, n_classes):
    C = np.zeros((n_classes, n_classes), dtype=np.int32)
    for i, j in zip(t_true, t_pred):
        C[i, j] += 1
    return C
