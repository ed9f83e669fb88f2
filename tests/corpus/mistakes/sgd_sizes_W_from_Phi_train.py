"""SGD sizing its initial W from the notebook's global Phi_train instead of its argument Phi."""

LOSES_POINTS_IN = ["test_sgd", "test_sgd_decay"]
FEEDBACK_MENTIONS = {"test_sgd": "Phi_train"}


def sgd(Phi, t, n_classes, learning_rate=0.1, n_epochs=20, decay=0.0, seed=None):
    rng = np.random.default_rng(seed)
    W = 0.01 * rng.standard_normal((Phi_train.shape[1], n_classes))
    losses = []
    k = 0
    for epoch in range(n_epochs):
        for n in rng.permutation(len(t)):
            W = W - learning_rate / (1 + decay * k) * gradient(W, Phi[n:n + 1], t[n:n + 1])
            k += 1
        losses.append(cross_entropy(W, Phi, t))
    return W, np.array(losses)
