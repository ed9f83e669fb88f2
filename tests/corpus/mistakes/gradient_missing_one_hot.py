"""The gradient without its one-hot term: Phi^T Y instead of Phi^T (Y - T)."""

LOSES_POINTS_IN = ["test_gradient"]
FEEDBACK_MENTIONS = {"test_gradient": "the one-hot term is missing"}


def gradient(W, Phi, t):
    return Phi.T @ softmax(Phi @ W)
