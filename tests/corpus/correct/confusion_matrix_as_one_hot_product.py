"""Correct confusion_matrix as the product T_true^T T_pred of the one-hot labels, rounded to integers."""

LOSES_POINTS_IN = []


def confusion_matrix(t_true, t_pred, n_classes):
    return np.rint(one_hot(t_true, n_classes).T @ one_hot(t_pred, n_classes)).astype(int)
