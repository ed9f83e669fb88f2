"""softmax shifted by the maximum of the whole array instead of each row's: rows far below it underflow to 0/0."""

LOSES_POINTS_IN = ["test_softmax_stability"]
FEEDBACK_MENTIONS = {"test_softmax_stability": "each row's own maximum"}


def softmax(A):
    E = np.exp(A - A.max())
    return E / E.sum(axis=1, keepdims=True)
