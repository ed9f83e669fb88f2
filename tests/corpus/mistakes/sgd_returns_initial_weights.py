"""SGD that updates a copy of the weights and returns the initial W."""

LOSES_POINTS_IN = ["test_sgd", "test_sgd_decay", "test_sgd_accuracy"]
FEEDBACK_MENTIONS = {"test_sgd": "training loss"}


def sgd(Phi, t, n_classes, learning_rate=0.1, n_epochs=20, decay=0.0, seed=None):
    rng = np.random.default_rng(seed)
    W = 0.01 * rng.standard_normal((Phi.shape[1], n_classes))
    W_trained = W.copy()
    losses = []
    k = 0
    for epoch in range(n_epochs):
        for n in rng.permutation(len(t)):
            W_trained = W_trained - learning_rate / (1 + decay * k) * gradient(W_trained, Phi[n:n + 1], t[n:n + 1])
            k += 1
        losses.append(cross_entropy(W_trained, Phi, t))
    return W, np.array(losses)
