"""SGD whose step decays with the index n of the sample visited, learning_rate / (1 + decay * n), instead of the number k of updates done."""

LOSES_POINTS_IN = ["test_sgd_decay", "test_sgd_accuracy"]
FEEDBACK_MENTIONS = {"test_sgd_decay": "not the index"}


def sgd(Phi, t, n_classes, learning_rate=0.1, n_epochs=20, decay=0.0, seed=None):
    rng = np.random.default_rng(seed)
    W = 0.01 * rng.standard_normal((Phi.shape[1], n_classes))
    losses = []
    for epoch in range(n_epochs):
        for n in rng.permutation(len(t)):
            W = W - learning_rate / (1 + decay * n) * gradient(W, Phi[n:n + 1], t[n:n + 1])
        losses.append(cross_entropy(W, Phi, t))
    return W, np.array(losses)
