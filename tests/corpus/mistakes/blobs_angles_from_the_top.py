"""make_blobs with the first mean at the top of the circle, angle pi/2 + 2 pi k / K, instead of at angle 0."""

LOSES_POINTS_IN = ["test_make_blobs"]
FEEDBACK_MENTIONS = {"test_make_blobs": "check the angle"}


def make_blobs(n_per_class, n_classes=3, radius=2.0, std=1.0, seed=None):
    rng = np.random.default_rng(seed)
    angles = np.pi / 2 + 2 * np.pi * np.arange(n_classes) / n_classes
    means = radius * np.column_stack([np.cos(angles), np.sin(angles)])
    t = np.repeat(np.arange(n_classes), n_per_class)
    return means[t] + std * rng.standard_normal((t.size, 2)), t
