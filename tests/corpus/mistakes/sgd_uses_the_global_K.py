"""SGD sizing W with the notebook's global K = 3 instead of its argument n_classes."""

LOSES_POINTS_IN = ["test_sgd", "test_sgd_accuracy"]
FEEDBACK_MENTIONS = {"test_sgd": "n_classes"}


def sgd(Phi, t, n_classes, learning_rate=0.1, n_epochs=20, decay=0.0, seed=None):
    rng = np.random.default_rng(seed)
    W = 0.01 * rng.standard_normal((Phi.shape[1], K))
    losses = []
    k = 0
    for epoch in range(n_epochs):
        for n in rng.permutation(len(t)):
            W = W - learning_rate / (1 + decay * k) * gradient(W, Phi[n:n + 1], t[n:n + 1])
            k += 1
        losses.append(cross_entropy(W, Phi, t))
    return W, np.array(losses)
