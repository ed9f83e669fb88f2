"""Gradient descent started from random weights instead of W = 0."""

LOSES_POINTS_IN = ["test_gradient_descent"]
FEEDBACK_MENTIONS = {"test_gradient_descent": "start from zeros"}


def gradient_descent(Phi, t, n_classes, learning_rate, n_iters):
    W = 0.01 * np.random.default_rng(0).standard_normal((Phi.shape[1], n_classes))
    losses = []
    for iteration in range(n_iters):
        W = W - learning_rate * gradient(W, Phi, t)
        losses.append(cross_entropy(W, Phi, t))
    return W, np.array(losses)
