"""SGD that records the loss at the start of each epoch, before its updates."""

LOSES_POINTS_IN = ["test_sgd"]
FEEDBACK_MENTIONS = {"test_sgd": "after the updates"}


def sgd(Phi, t, n_classes, learning_rate=0.1, n_epochs=20, decay=0.0, seed=None):
    rng = np.random.default_rng(seed)
    W = 0.01 * rng.standard_normal((Phi.shape[1], n_classes))
    losses = []
    k = 0
    for epoch in range(n_epochs):
        losses.append(cross_entropy(W, Phi, t))
        for n in rng.permutation(len(t)):
            W = W - learning_rate / (1 + decay * k) * gradient(W, Phi[n:n + 1], t[n:n + 1])
            k += 1
    return W, np.array(losses)
