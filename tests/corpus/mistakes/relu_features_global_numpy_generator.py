"""random_relu_features seeds numpy's global legacy generator (np.random.seed, np.random.randn) instead of default_rng(seed)."""
LOSES_POINTS_IN = ["test_random_relu_features"]
FEEDBACK_MENTIONS = {"test_random_relu_features": "default_rng"}


def random_relu_features(X, n_hidden, seed=None):
    np.random.seed(seed)
    W1 = np.random.randn(X.shape[1], n_hidden)
    b1 = np.random.randn(n_hidden)
    return add_bias(np.maximum(0, X @ W1 + b1))
