"""make_blobs scaling only the first coordinate of the noise by std: the blobs spread with 1 along the second axis."""

LOSES_POINTS_IN = ["test_make_blobs"]
FEEDBACK_MENTIONS = {"test_make_blobs": "standard deviation"}


def make_blobs(n_per_class, n_classes=3, radius=2.0, std=1.0, seed=None):
    rng = np.random.default_rng(seed)
    angles = 2 * np.pi * np.arange(n_classes) / n_classes
    means = radius * np.column_stack([np.cos(angles), np.sin(angles)])
    t = np.repeat(np.arange(n_classes), n_per_class)
    noise = rng.standard_normal((t.size, 2))
    noise[:, 0] *= std
    return means[t] + noise, t
