"""The cross-entropy returned per sample, as an array, instead of summed to one number."""

LOSES_POINTS_IN = ["test_cross_entropy"]
FEEDBACK_MENTIONS = {"test_cross_entropy": "single number"}


def cross_entropy(W, Phi, t):
    A = Phi @ W
    a_max = A.max(axis=1, keepdims=True)
    return a_max[:, 0] + np.log(np.exp(A - a_max).sum(axis=1)) - A[np.arange(len(t)), t]
