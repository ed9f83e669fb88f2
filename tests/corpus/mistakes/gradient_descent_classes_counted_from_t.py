"""gradient_descent sizing W by the largest label present, t.max() + 1, instead of n_classes."""

LOSES_POINTS_IN = ["test_gradient_descent"]
FEEDBACK_MENTIONS = {"test_gradient_descent": "n_classes"}


def gradient_descent(Phi, t, n_classes, learning_rate, n_iters):
    W = np.zeros((Phi.shape[1], t.max() + 1))
    losses = []
    for iteration in range(n_iters):
        W = W - learning_rate * gradient(W, Phi, t)
        losses.append(cross_entropy(W, Phi, t))
    return W, np.array(losses)
