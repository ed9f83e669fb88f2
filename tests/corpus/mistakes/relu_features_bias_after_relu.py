"""random_relu_features adding the bias after the ReLU, max(0, X W1) + b1: the features can be negative."""

LOSES_POINTS_IN = ["test_random_relu_features"]
FEEDBACK_MENTIONS = {"test_random_relu_features": "never negative"}


def random_relu_features(X, n_hidden, seed=None):
    rng = np.random.default_rng(seed)
    W1 = rng.standard_normal((X.shape[1], n_hidden))
    b1 = rng.standard_normal(n_hidden)
    return add_bias(np.maximum(0.0, X @ W1) + b1)
