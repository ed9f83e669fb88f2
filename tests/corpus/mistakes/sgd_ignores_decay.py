"""SGD with a constant step: the decay argument is ignored."""

LOSES_POINTS_IN = ["test_sgd_decay"]
FEEDBACK_MENTIONS = {"test_sgd_decay": "1 / (1 + decay * k)"}


def sgd(Phi, t, n_classes, learning_rate=0.1, n_epochs=20, decay=0.0, seed=None):
    rng = np.random.default_rng(seed)
    W = 0.01 * rng.standard_normal((Phi.shape[1], n_classes))
    losses = []
    for epoch in range(n_epochs):
        for n in rng.permutation(len(t)):
            W = W - learning_rate * gradient(W, Phi[n:n + 1], t[n:n + 1])
        losses.append(cross_entropy(W, Phi, t))
    return W, np.array(losses)
