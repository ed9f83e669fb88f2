"""Correct predict taking the last column of np.argsort of the scores (ties broken otherwise than np.argmax)."""

LOSES_POINTS_IN = []


def predict(W, Phi):
    return np.argsort(Phi @ W, axis=1)[:, -1]
