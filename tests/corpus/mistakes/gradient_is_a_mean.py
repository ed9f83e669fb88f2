"""The gradient divided by N, as for a mean loss, while the loss is a sum."""

LOSES_POINTS_IN = ["test_gradient"]
FEEDBACK_MENTIONS = {"test_gradient": "divided by N"}


def gradient(W, Phi, t):
    return Phi.T @ (softmax(Phi @ W) - one_hot(t, W.shape[1])) / len(t)
