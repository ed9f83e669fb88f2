"""make_blobs replaces a missing seed by 42 (`seed or 42`): seed=None always gives the same data set (and so does seed=0)."""
LOSES_POINTS_IN = ["test_make_blobs"]
FEEDBACK_MENTIONS = {"test_make_blobs": "seed"}


def make_blobs(n_per_class, n_classes=3, radius=2.0, std=1.0, seed=None):
    rng = np.random.default_rng(seed or 42)
    t = np.repeat(np.arange(n_classes), n_per_class)
    angles = 2 * np.pi * t / n_classes
    means = radius * np.column_stack([np.cos(angles), np.sin(angles)])
    return means + std * rng.standard_normal((t.size, 2)), t
