"""Correct one_hot returning float32, built by comparing the labels with np.arange(K) (also accepts a list of labels)."""

LOSES_POINTS_IN = []


def one_hot(t, n_classes):
    return (np.asarray(t)[:, np.newaxis] == np.arange(n_classes)).astype(np.float32)
