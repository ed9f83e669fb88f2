"""random_relu_features that ignores its seed: the training and test points get different first layers."""

LOSES_POINTS_IN = ["test_random_relu_features", "test_circles_accuracy"]
FEEDBACK_MENTIONS = {"test_random_relu_features": "same seed", "test_circles_accuracy": "same seed"}


def random_relu_features(X, n_hidden, seed=None):
    rng = np.random.default_rng()
    A = rng.standard_normal((X.shape[1], n_hidden))
    b = rng.standard_normal(n_hidden)
    return add_bias(np.maximum(0.0, X @ A + b))
