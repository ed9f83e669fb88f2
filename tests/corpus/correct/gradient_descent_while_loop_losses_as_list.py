"""Correct gradient descent with a while loop, returning the losses as a list of Python floats."""

LOSES_POINTS_IN = []


def gradient_descent(Phi, t, n_classes, learning_rate, n_iters):
    W = np.zeros((Phi.shape[1], n_classes))
    losses = []
    while len(losses) < n_iters:
        W = W - learning_rate * gradient(W, Phi, t)
        losses.append(float(cross_entropy(W, Phi, t)))
    return W, losses
