"""Correct SGD started from small uniform weights, orders drawn with rng.choice without replacement, returning [W, losses] as a list."""

LOSES_POINTS_IN = []


def sgd(Phi, t, n_classes, learning_rate=0.1, n_epochs=20, decay=0.0, seed=None):
    rng = np.random.default_rng(seed)
    N = len(t)
    W = rng.uniform(-0.01, 0.01, size=(Phi.shape[1], n_classes))
    losses = []
    k = 0
    for epoch in range(n_epochs):
        for n in rng.choice(N, size=N, replace=False):
            W = W - learning_rate / (1.0 + decay * k) * gradient(W, Phi[n:n + 1], t[n:n + 1])
            k += 1
        losses.append(float(cross_entropy(W, Phi, t)))
    return [W, losses]
