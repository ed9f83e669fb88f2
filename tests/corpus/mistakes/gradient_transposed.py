"""The gradient transposed: (Y - T)^T Phi, of shape (K, D) instead of (D, K)."""

LOSES_POINTS_IN = ["test_gradient"]
FEEDBACK_MENTIONS = {"test_gradient": "transposed"}


def gradient(W, Phi, t):
    return (softmax(Phi @ W) - one_hot(t, W.shape[1])).T @ Phi
