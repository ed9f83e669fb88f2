"""Correct SGD that draws all the epochs' orders before its initial weights (another RNG call order and scale)."""

LOSES_POINTS_IN = []


def sgd(Phi, t, n_classes, learning_rate=0.1, n_epochs=20, decay=0.0, seed=None):
    rng = np.random.default_rng(seed)
    orders = [rng.permutation(len(t)) for _ in range(n_epochs)]
    W = rng.normal(0.0, 0.1, size=(Phi.shape[1], n_classes))
    losses = []
    updates = 0
    for order in orders:
        for n in order:
            W -= learning_rate / (1 + decay * updates) * gradient(W, Phi[[n]], t[[n]])
            updates += 1
        losses.append(cross_entropy(W, Phi, t))
    return W, losses
