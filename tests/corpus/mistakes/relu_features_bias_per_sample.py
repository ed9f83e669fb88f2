"""random_relu_features drawing a bias per sample, of shape (N, n_hidden): the layer depends on the number of points."""

LOSES_POINTS_IN = ["test_random_relu_features"]
FEEDBACK_MENTIONS = {"test_random_relu_features": "whatever the number of points"}


def random_relu_features(X, n_hidden, seed=None):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((X.shape[1], n_hidden))
    b = rng.standard_normal((len(X), n_hidden))
    return add_bias(np.maximum(0.0, X @ A + b))
