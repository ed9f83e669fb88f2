"""softmax as exp(A) / sum exp(A), without subtracting the row maximum: it overflows at large scores."""

LOSES_POINTS_IN = ["test_softmax_stability"]
FEEDBACK_MENTIONS = {"test_softmax_stability": "overflowed"}


def softmax(A):
    E = np.exp(A)
    return E / E.sum(axis=1, keepdims=True)
