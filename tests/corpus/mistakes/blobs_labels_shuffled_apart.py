"""make_blobs that shuffles the labels after drawing the points: each label no longer goes with its point."""

LOSES_POINTS_IN = ["test_make_blobs"]
FEEDBACK_MENTIONS = {"test_make_blobs": "centred at"}


def make_blobs(n_per_class, n_classes=3, radius=2.0, std=1.0, seed=None):
    rng = np.random.default_rng(seed)
    angles = 2 * np.pi * np.arange(n_classes) / n_classes
    means = radius * np.column_stack([np.cos(angles), np.sin(angles)])
    t = np.repeat(np.arange(n_classes), n_per_class)
    X = means[t] + std * rng.standard_normal((t.size, 2))
    return X, rng.permutation(t)
