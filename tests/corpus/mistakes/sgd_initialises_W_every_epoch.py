"""SGD whose random initialisation of W sits inside the epoch loop: each epoch starts training again from scratch."""

LOSES_POINTS_IN = ["test_sgd"]
FEEDBACK_MENTIONS = {"test_sgd": "initialise W once"}


def sgd(Phi, t, n_classes, learning_rate=0.1, n_epochs=20, decay=0.0, seed=None):
    rng = np.random.default_rng(seed)
    losses = []
    k = 0
    for epoch in range(n_epochs):
        W = 0.01 * rng.standard_normal((Phi.shape[1], n_classes))
        for n in rng.permutation(len(t)):
            W = W - learning_rate / (1 + decay * k) * gradient(W, Phi[n:n + 1], t[n:n + 1])
            k += 1
        losses.append(cross_entropy(W, Phi, t))
    return W, np.array(losses)
