"""softmax that subtracts the row maximum in place, changing the caller's array."""

LOSES_POINTS_IN = ["test_softmax"]
FEEDBACK_MENTIONS = {"test_softmax": "changed its argument A"}


def softmax(A):
    A -= A.max(axis=1, keepdims=True)
    E = np.exp(A)
    return E / E.sum(axis=1, keepdims=True)
