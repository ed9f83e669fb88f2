"""random_relu_features uses the absolute value |X W1 + b1| instead of the ReLU max(0, X W1 + b1)."""
LOSES_POINTS_IN = ["test_random_relu_features"]
FEEDBACK_MENTIONS = {"test_random_relu_features": "max(0"}


def random_relu_features(X, n_hidden, seed=None):
    rng = np.random.default_rng(seed)
    W1 = rng.standard_normal((X.shape[1], n_hidden))
    b1 = rng.standard_normal(n_hidden)
    return add_bias(np.abs(X @ W1 + b1))
