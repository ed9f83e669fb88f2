"""random_relu_features without the max(0, .): a linear layer, which cannot separate the circles."""

LOSES_POINTS_IN = ["test_random_relu_features", "test_circles_accuracy"]
FEEDBACK_MENTIONS = {"test_random_relu_features": "never negative", "test_circles_accuracy": "max(0, .)"}


def random_relu_features(X, n_hidden, seed=None):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((X.shape[1], n_hidden))
    b = rng.standard_normal(n_hidden)
    return add_bias(X @ A + b)
