"""Correct gradient descent with in-place updates and a preallocated loss array."""

LOSES_POINTS_IN = []


def gradient_descent(Phi, t, n_classes, learning_rate, n_iters):
    W = np.zeros((Phi.shape[1], n_classes))
    losses = np.zeros(n_iters)
    for i in range(n_iters):
        W -= learning_rate * gradient(W, Phi, t)
        losses[i] = cross_entropy(W, Phi, t)
    return W, losses
