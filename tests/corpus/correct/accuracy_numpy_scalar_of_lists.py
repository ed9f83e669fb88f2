"""Correct accuracy returning a numpy float64 from np.equal, which accepts lists as well as arrays."""

LOSES_POINTS_IN = []


def accuracy(t_true, t_pred):
    return np.mean(np.equal(t_true, t_pred))
