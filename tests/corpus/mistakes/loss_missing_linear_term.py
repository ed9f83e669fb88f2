"""The cross-entropy without its linear term -w_{t_n}^T phi_n."""

LOSES_POINTS_IN = ["test_cross_entropy"]
FEEDBACK_MENTIONS = {"test_cross_entropy": "linear term"}


def cross_entropy(W, Phi, t):
    A = Phi @ W
    a_max = A.max(axis=1, keepdims=True)
    return float(np.sum(a_max[:, 0] + np.log(np.exp(A - a_max).sum(axis=1))))
