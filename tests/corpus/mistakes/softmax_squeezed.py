"""softmax that squeezes its result: a single row of scores comes back as a vector of shape (K,)."""

LOSES_POINTS_IN = ["test_softmax"]
FEEDBACK_MENTIONS = {"test_softmax": "single row"}


def softmax(A):
    E = np.exp(A - A.max(axis=1, keepdims=True))
    return np.squeeze(E / E.sum(axis=1, keepdims=True))
