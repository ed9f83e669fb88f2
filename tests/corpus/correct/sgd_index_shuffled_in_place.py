"""Correct SGD that shuffles its own index array in place with rng.shuffle every epoch, the weights drawn after the first shuffle."""

LOSES_POINTS_IN = []


def sgd(Phi, t, n_classes, learning_rate=0.1, n_epochs=20, decay=0.0, seed=None):
    rng = np.random.default_rng(seed)
    indices = np.arange(len(t))
    W = None
    losses = np.zeros(n_epochs)
    k = 0
    for epoch in range(n_epochs):
        rng.shuffle(indices)
        if W is None:
            W = rng.normal(scale=0.01, size=(Phi.shape[1], n_classes))
        for n in indices:
            W -= learning_rate / (1 + decay * k) * gradient(W, Phi[n:n + 1], t[n:n + 1])
            k += 1
        losses[epoch] = cross_entropy(W, Phi, t)
    return W, losses
