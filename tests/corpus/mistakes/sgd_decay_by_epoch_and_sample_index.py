"""SGD counting its updates as epoch * N + n with n the index of the sample visited, not its place in the epoch's order: each epoch uses the right steps, in the wrong order."""

LOSES_POINTS_IN = ["test_sgd_decay"]
FEEDBACK_MENTIONS = {"test_sgd_decay": "not the index"}


def sgd(Phi, t, n_classes, learning_rate=0.1, n_epochs=20, decay=0.0, seed=None):
    rng = np.random.default_rng(seed)
    N = len(t)
    W = 0.01 * rng.standard_normal((Phi.shape[1], n_classes))
    losses = []
    for epoch in range(n_epochs):
        for n in rng.permutation(N):
            k = epoch * N + n
            W = W - learning_rate / (1 + decay * k) * gradient(W, Phi[n:n + 1], t[n:n + 1])
        losses.append(cross_entropy(W, Phi, t))
    return W, np.array(losses)
