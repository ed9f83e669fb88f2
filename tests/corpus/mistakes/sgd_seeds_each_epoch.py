"""SGD drawing each epoch's order from a new generator seeded with seed + epoch: seed=None fails, and seed s + 1 replays the orders of seed s shifted by an epoch."""

LOSES_POINTS_IN = ["test_sgd"]
FEEDBACK_MENTIONS = {"test_sgd": "seed=None"}


def sgd(Phi, t, n_classes, learning_rate=0.1, n_epochs=20, decay=0.0, seed=None):
    W = 0.01 * np.random.default_rng(seed).standard_normal((Phi.shape[1], n_classes))
    losses = []
    k = 0
    for epoch in range(n_epochs):
        for n in np.random.default_rng(seed + epoch).permutation(len(t)):
            W = W - learning_rate / (1 + decay * k) * gradient(W, Phi[n:n + 1], t[n:n + 1])
            k += 1
        losses.append(cross_entropy(W, Phi, t))
    return W, np.array(losses)
