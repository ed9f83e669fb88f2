"""predict taking the argmax of probabilities normalised over the samples, softmax((Phi W)^T), instead of over the classes."""

LOSES_POINTS_IN = ["test_predict"]
FEEDBACK_MENTIONS = {"test_predict": "class of highest score"}


def predict(W, Phi):
    return np.argmax(softmax((Phi @ W).T), axis=0)
