"""random_relu_features uses a constant bias b1 = 1 for every unit instead of a random one."""
LOSES_POINTS_IN = ["test_random_relu_features"]
FEEDBACK_MENTIONS = {"test_random_relu_features": "b1"}


def random_relu_features(X, n_hidden, seed=None):
    rng = np.random.default_rng(seed)
    W1 = rng.standard_normal((X.shape[1], n_hidden))
    b1 = np.ones(n_hidden)
    return add_bias(np.maximum(0, X @ W1 + b1))
