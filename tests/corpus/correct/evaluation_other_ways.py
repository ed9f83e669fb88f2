"""Correct evaluation written otherwise: argmax of the probabilities, a count over a length, a bincount."""

LOSES_POINTS_IN = []


def predict(W, Phi):
    return softmax(Phi @ W).argmax(axis=1)


def accuracy(t_true, t_pred):
    return np.sum(np.asarray(t_true) == np.asarray(t_pred)) / len(t_true)


def confusion_matrix(t_true, t_pred, n_classes):
    return np.bincount(n_classes * np.asarray(t_true) + np.asarray(t_pred),
                       minlength=n_classes * n_classes).reshape(n_classes, n_classes)
