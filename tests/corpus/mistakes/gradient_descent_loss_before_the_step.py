"""Gradient descent recording the loss before each step instead of after it."""

LOSES_POINTS_IN = ["test_gradient_descent"]
FEEDBACK_MENTIONS = {"test_gradient_descent": "after i + 1 iterations"}


def gradient_descent(Phi, t, n_classes, learning_rate, n_iters):
    W = np.zeros((Phi.shape[1], n_classes))
    losses = []
    for iteration in range(n_iters):
        losses.append(cross_entropy(W, Phi, t))
        W = W - learning_rate * gradient(W, Phi, t)
    return W, np.array(losses)
