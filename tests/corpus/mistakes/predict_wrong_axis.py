"""predict taking the argmax over the samples (axis=0) instead of over the classes."""

LOSES_POINTS_IN = ["test_predict"]
FEEDBACK_MENTIONS = {"test_predict": "axis=1"}


def predict(W, Phi):
    return np.argmax(Phi @ W, axis=0)
