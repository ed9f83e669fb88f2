"""Correct random_relu_features drawing W1 as (n_hidden, d) and using its transpose, b1 uniform over [-3, 3], ReLU by np.where."""

LOSES_POINTS_IN = []


def random_relu_features(X, n_hidden, seed=None):
    rng = np.random.default_rng(seed)
    W1 = rng.standard_normal((n_hidden, np.shape(X)[1]))
    b1 = rng.uniform(-3.0, 3.0, size=n_hidden)
    S = X @ W1.T + b1
    H = np.where(S > 0, S, 0.0)
    return np.column_stack([H, np.ones(len(H))])
