"""random_relu_features drawing W1 and b1 from two generators made with the same seed: b1 repeats the first row of W1."""

LOSES_POINTS_IN = ["test_random_relu_features"]
FEEDBACK_MENTIONS = {"test_random_relu_features": "one generator"}


def random_relu_features(X, n_hidden, seed=None):
    W1 = np.random.default_rng(seed).standard_normal((X.shape[1], n_hidden))
    b1 = np.random.default_rng(seed).standard_normal(n_hidden)
    return add_bias(np.maximum(0.0, X @ W1 + b1))
