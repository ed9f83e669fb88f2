"""random_relu_features without the bias b1, h = max(0, X W1): every unit's fold goes through the origin."""

LOSES_POINTS_IN = ["test_random_relu_features"]
FEEDBACK_MENTIONS = {"test_random_relu_features": "b1"}


def random_relu_features(X, n_hidden, seed=None):
    rng = np.random.default_rng(seed)
    W1 = rng.standard_normal((X.shape[1], n_hidden))
    return add_bias(np.maximum(0.0, X @ W1))
