"""SGD that counts the updates from 0 again at each epoch: every epoch starts over with the full step."""

LOSES_POINTS_IN = ["test_sgd_decay"]
FEEDBACK_MENTIONS = {"test_sgd_decay": "starts again from 0 at each epoch"}


def sgd(Phi, t, n_classes, learning_rate=0.1, n_epochs=20, decay=0.0, seed=None):
    rng = np.random.default_rng(seed)
    W = 0.01 * rng.standard_normal((Phi.shape[1], n_classes))
    losses = []
    for epoch in range(n_epochs):
        for k, n in enumerate(rng.permutation(len(t))):
            W = W - learning_rate / (1 + decay * k) * gradient(W, Phi[n:n + 1], t[n:n + 1])
        losses.append(cross_entropy(W, Phi, t))
    return W, np.array(losses)
