"""Correct one_hot written with a loop over the samples."""

LOSES_POINTS_IN = []


def one_hot(t, n_classes):
    T = np.zeros((len(t), n_classes))
    for n, label in enumerate(t):
        T[n, label] = 1.0
    return T
