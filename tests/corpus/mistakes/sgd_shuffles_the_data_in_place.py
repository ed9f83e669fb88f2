"""SGD that shuffles the caller's Phi and t in place each epoch."""

LOSES_POINTS_IN = ["test_sgd"]
FEEDBACK_MENTIONS = {"test_sgd": "in place"}


def sgd(Phi, t, n_classes, learning_rate=0.1, n_epochs=20, decay=0.0, seed=None):
    rng = np.random.default_rng(seed)
    W = 0.01 * rng.standard_normal((Phi.shape[1], n_classes))
    losses = []
    k = 0
    for epoch in range(n_epochs):
        order = rng.permutation(len(t))
        Phi[:] = Phi[order]
        t[:] = t[order]
        for n in range(len(t)):
            W = W - learning_rate / (1 + decay * k) * gradient(W, Phi[n:n + 1], t[n:n + 1])
            k += 1
        losses.append(cross_entropy(W, Phi, t))
    return W, np.array(losses)
