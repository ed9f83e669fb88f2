"""gradient_descent stops early as soon as the loss goes up: with a large step it returns fewer than n_iters losses."""
LOSES_POINTS_IN = ["test_gradient_descent"]
FEEDBACK_MENTIONS = {"test_gradient_descent": "n_iters"}


def gradient_descent(Phi, t, n_classes, learning_rate, n_iters):
    W = np.zeros((Phi.shape[1], n_classes))
    losses = []
    for _ in range(n_iters):
        W = W - learning_rate * gradient(W, Phi, t)
        losses.append(cross_entropy(W, Phi, t))
        if len(losses) > 1 and losses[-1] > losses[-2]:
            break
    return W, losses
