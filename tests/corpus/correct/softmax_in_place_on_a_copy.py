"""Correct softmax that shifts into a new array, then exponentiates and normalises that array in place."""

LOSES_POINTS_IN = []


def softmax(A):
    Y = np.array(A, dtype=float) - np.max(A, axis=1, keepdims=True)
    np.exp(Y, out=Y)
    Y /= Y.sum(axis=1, keepdims=True)
    return Y
