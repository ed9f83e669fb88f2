"""sgd uses default_rng(seed if seed else 0): seed=None always gives the same run."""
LOSES_POINTS_IN = ["test_sgd"]
FEEDBACK_MENTIONS = {"test_sgd": "seed=None"}


def sgd(Phi, t, n_classes, learning_rate=0.1, n_epochs=20, decay=0.0, seed=None):
    rng = np.random.default_rng(seed if seed else 0)
    N, D = Phi.shape
    W = 0.01 * rng.standard_normal((D, n_classes))
    losses = []
    k = 0
    for epoch in range(n_epochs):
        for n in rng.permutation(N):
            W = W - learning_rate / (1 + decay * k) * gradient(W, Phi[n:n + 1], t[n:n + 1])
            k += 1
        losses.append(cross_entropy(W, Phi, t))
    return W, losses
