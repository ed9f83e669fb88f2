"""random_relu_features ignores seed=None (default_rng(seed or 0)): seed=None always gives the same layer."""
LOSES_POINTS_IN = ["test_random_relu_features"]
FEEDBACK_MENTIONS = {"test_random_relu_features": "seed"}


def random_relu_features(X, n_hidden, seed=None):
    rng = np.random.default_rng(seed or 0)
    W1 = rng.standard_normal((X.shape[1], n_hidden))
    b1 = rng.standard_normal(n_hidden)
    return add_bias(np.maximum(0, X @ W1 + b1))
