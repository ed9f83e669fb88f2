"""SGD keeping W after each epoch in a list while updating it in place, then computing the losses from that list: every entry is the final W."""

LOSES_POINTS_IN = ["test_sgd"]
FEEDBACK_MENTIONS = {"test_sgd": "after the first epoch"}


def sgd(Phi, t, n_classes, learning_rate=0.1, n_epochs=20, decay=0.0, seed=None):
    rng = np.random.default_rng(seed)
    W = 0.01 * rng.standard_normal((Phi.shape[1], n_classes))
    history = []
    k = 0
    for epoch in range(n_epochs):
        for n in rng.permutation(len(t)):
            W -= learning_rate / (1 + decay * k) * gradient(W, Phi[n:n + 1], t[n:n + 1])
            k += 1
        history.append(W)
    return W, np.array([cross_entropy(V, Phi, t) for V in history])
