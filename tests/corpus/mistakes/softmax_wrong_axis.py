"""softmax normalised over the samples (axis=0) instead of over the classes."""

LOSES_POINTS_IN = ["test_softmax", "test_softmax_stability"]
FEEDBACK_MENTIONS = {"test_softmax": "axis=1"}


def softmax(A):
    E = np.exp(A - A.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)
