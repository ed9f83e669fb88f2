"""Correct SGD started from W = 0, with in-place updates and the sample's gradient computed inline."""

LOSES_POINTS_IN = []


def sgd(Phi, t, n_classes, learning_rate=0.1, n_epochs=20, decay=0.0, seed=None):
    rng = np.random.default_rng(seed)
    N, D = Phi.shape
    W = np.zeros((D, n_classes))
    losses = np.empty(n_epochs)
    for epoch in range(n_epochs):
        order = rng.permutation(N)
        for i, n in enumerate(order):
            k = epoch * N + i
            y = softmax(Phi[n][None, :] @ W)[0]
            y[t[n]] -= 1.0
            W -= learning_rate / (1.0 + decay * k) * np.outer(Phi[n], y)
        losses[epoch] = cross_entropy(W, Phi, t)
    return W, losses
