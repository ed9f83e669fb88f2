"""Correct random_relu_features drawing W1 and b1 as one (d + 1, n_hidden) matrix applied to add_bias(X), with np.clip as ReLU."""

LOSES_POINTS_IN = []


def random_relu_features(X, n_hidden, seed=None):
    rng = np.random.default_rng(seed)
    layer = rng.standard_normal((np.shape(X)[1] + 1, n_hidden))  # rows 0..d-1 are W1, the last row is b1
    return add_bias(np.clip(add_bias(X) @ layer, 0.0, None))
