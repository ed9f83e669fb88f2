"""The cross-entropy as -log(softmax(A)[n, t_n]): stable softmax, but the log of a probability that rounds to 0."""

LOSES_POINTS_IN = ["test_cross_entropy_stability"]
FEEDBACK_MENTIONS = {"test_cross_entropy_stability": "log-sum-exp"}


def cross_entropy(W, Phi, t):
    Y = softmax(Phi @ W)
    return float(-np.sum(np.log(Y[np.arange(len(t)), t])))
