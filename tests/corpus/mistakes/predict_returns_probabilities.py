"""predict returning the class probabilities instead of the predicted labels."""

LOSES_POINTS_IN = ["test_predict"]
FEEDBACK_MENTIONS = {"test_predict": "not probabilities"}


def predict(W, Phi):
    return softmax(Phi @ W)
