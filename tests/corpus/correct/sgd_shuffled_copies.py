"""Correct SGD that builds shuffled copies Phi[order], t[order] every epoch and walks them in turn (the arguments stay untouched)."""

LOSES_POINTS_IN = []


def sgd(Phi, t, n_classes, learning_rate=0.1, n_epochs=20, decay=0.0, seed=None):
    rng = np.random.default_rng(seed)
    W = 0.01 * rng.standard_normal((Phi.shape[1], n_classes))
    losses = []
    k = 0
    for epoch in range(n_epochs):
        order = rng.permutation(len(t))
        Phi_shuffled, t_shuffled = Phi[order], t[order]
        for i in range(len(t)):
            W = W - learning_rate / (1 + decay * k) * gradient(W, Phi_shuffled[i:i + 1], t_shuffled[i:i + 1])
            k += 1
        losses.append(cross_entropy(W, Phi, t))
    return W, np.array(losses)
