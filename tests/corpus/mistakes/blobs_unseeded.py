"""make_blobs that ignores its seed: every call gives other data."""

LOSES_POINTS_IN = ["test_make_blobs"]
FEEDBACK_MENTIONS = {"test_make_blobs": "same seed"}


def make_blobs(n_per_class, n_classes=3, radius=2.0, std=1.0, seed=None):
    angles = 2 * np.pi * np.arange(n_classes) / n_classes
    means = radius * np.column_stack([np.cos(angles), np.sin(angles)])
    t = np.repeat(np.arange(n_classes), n_per_class)
    X = means[t] + std * np.random.standard_normal((t.size, 2))
    return X, t
