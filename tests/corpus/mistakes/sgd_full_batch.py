"""'SGD' that takes one full-batch gradient step per epoch: gradient descent under another name."""

LOSES_POINTS_IN = ["test_sgd", "test_sgd_decay"]
FEEDBACK_MENTIONS = {"test_sgd": "after each sample"}


def sgd(Phi, t, n_classes, learning_rate=0.1, n_epochs=20, decay=0.0, seed=None):
    rng = np.random.default_rng(seed)
    W = 0.01 * rng.standard_normal((Phi.shape[1], n_classes))
    losses = []
    for epoch in range(n_epochs):
        W = W - learning_rate / (1 + decay * epoch) * gradient(W, Phi, t)
        losses.append(cross_entropy(W, Phi, t))
    return W, np.array(losses)
