"""(second round) random_relu_features draws a single number as the bias of every unit (rng.standard_normal()),
not a vector b1 of n_hidden random biases."""
LOSES_POINTS_IN = ["test_random_relu_features"]
FEEDBACK_MENTIONS = {"test_random_relu_features": "b1"}


def random_relu_features(X, n_hidden, seed=None):
    rng = np.random.default_rng(seed)
    W1 = rng.standard_normal((X.shape[1], n_hidden))
    b1 = rng.standard_normal()
    return add_bias(np.maximum(0, X @ W1 + b1))
