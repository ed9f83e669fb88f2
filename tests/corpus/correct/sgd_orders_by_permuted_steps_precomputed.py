"""Correct SGD drawing every epoch's order at once with rng.permuted along axis 1, all the steps precomputed as an array."""

LOSES_POINTS_IN = []


def sgd(Phi, t, n_classes, learning_rate=0.1, n_epochs=20, decay=0.0, seed=None):
    rng = np.random.default_rng(seed)
    N = len(t)
    W = 0.01 * rng.standard_normal((Phi.shape[1], n_classes))
    orders = rng.permuted(np.tile(np.arange(N), (n_epochs, 1)), axis=1)
    steps = (learning_rate / (1 + decay * np.arange(n_epochs * N))).reshape(n_epochs, N)
    losses = []
    for order, epoch_steps in zip(orders, steps):
        for n, step in zip(order, epoch_steps):
            W = W - step * gradient(W, Phi[[n]], t[[n]])
        losses.append(cross_entropy(W, Phi, t))
    return W, np.asarray(losses)
