"""Correct features: np.hstack for the bias, and a random layer drawn uniformly, scaled by 1/sqrt(d)."""

LOSES_POINTS_IN = []


def add_bias(X):
    return np.hstack([X, np.ones((X.shape[0], 1))])


def random_relu_features(X, n_hidden, seed=None):
    rng = np.random.default_rng(seed)
    d = X.shape[1]
    A = rng.uniform(-1, 1, size=(d, n_hidden)) / np.sqrt(d)
    b = rng.uniform(-1, 1, size=n_hidden)
    H = np.maximum(X @ A + b, 0)
    return np.hstack([H, np.ones((len(X), 1))])
