"""(second round) sgd makes a new generator every epoch from seed + epoch (None-safe), against "compute nothing else
from seed": the run of seed s replays, one epoch later, the orders of seed s + 1."""
LOSES_POINTS_IN = ["test_sgd"]
FEEDBACK_MENTIONS = {"test_sgd": "seed + epoch"}


def sgd(Phi, t, n_classes, learning_rate=0.1, n_epochs=20, decay=0.0, seed=None):
    rng = np.random.default_rng(seed)
    N, D = Phi.shape
    W = 0.01 * rng.standard_normal((D, n_classes))
    losses = []
    k = 0
    for epoch in range(n_epochs):
        epoch_rng = np.random.default_rng(None if seed is None else seed + epoch)
        for n in epoch_rng.permutation(N):
            W = W - learning_rate / (1 + decay * k) * gradient(W, Phi[n:n + 1], t[n:n + 1])
            k += 1
        losses.append(cross_entropy(W, Phi, t))
    return W, losses
