"""Correct make_blobs with the labels interleaved (0, 1, 2, 0, 1, 2, ...), noise from rng.normal(loc, scale), and X, t returned as a list."""

LOSES_POINTS_IN = []


def make_blobs(n_per_class, n_classes=3, radius=2.0, std=1.0, seed=None):
    rng = np.random.default_rng(seed)
    t = np.tile(np.arange(n_classes), n_per_class)
    angles = 2 * np.pi * t / n_classes
    X = rng.normal(loc=radius * np.column_stack([np.cos(angles), np.sin(angles)]), scale=std)
    return [X, t]
