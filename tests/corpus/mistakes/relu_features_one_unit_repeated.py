"""random_relu_features drawing one random unit and repeating it n_hidden times."""

LOSES_POINTS_IN = ["test_random_relu_features", "test_circles_accuracy"]
FEEDBACK_MENTIONS = {"test_random_relu_features": "all equal"}


def random_relu_features(X, n_hidden, seed=None):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((X.shape[1], 1))
    b = rng.standard_normal()
    return add_bias(np.repeat(np.maximum(0.0, X @ a + b), n_hidden, axis=1))
