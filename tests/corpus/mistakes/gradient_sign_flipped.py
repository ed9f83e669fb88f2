"""The gradient with its sign flipped, Phi^T (T - Y): SGD and gradient descent climb the loss."""

LOSES_POINTS_IN = ["test_gradient"]
FEEDBACK_MENTIONS = {"test_gradient": "sign is flipped"}


def gradient(W, Phi, t):
    return Phi.T @ (one_hot(t, W.shape[1]) - softmax(Phi @ W))
