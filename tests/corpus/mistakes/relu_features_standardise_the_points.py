"""random_relu_features standardising X with its own mean and standard deviation first: the layer then depends on the points given."""

LOSES_POINTS_IN = ["test_random_relu_features"]
FEEDBACK_MENTIONS = {"test_random_relu_features": "whatever the number of points"}


def random_relu_features(X, n_hidden, seed=None):
    rng = np.random.default_rng(seed)
    W1 = rng.standard_normal((X.shape[1], n_hidden))
    b1 = rng.standard_normal(n_hidden)
    X_standard = (X - X.mean(axis=0)) / X.std(axis=0)
    return add_bias(np.maximum(0.0, X_standard @ W1 + b1))
