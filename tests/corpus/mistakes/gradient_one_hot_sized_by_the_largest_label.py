"""gradient encoding the labels with one_hot(t, t.max() + 1): wrong as soon as the last class is missing from t (a single sample, for sgd)."""

LOSES_POINTS_IN = ["test_gradient"]
FEEDBACK_MENTIONS = {"test_gradient": "W.shape[1]"}


def gradient(W, Phi, t):
    return Phi.T @ (softmax(Phi @ W) - one_hot(t, t.max() + 1))
