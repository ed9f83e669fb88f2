"""make_blobs that creates np.random.default_rng(seed) anew for each class: every class gets the very same noise."""

LOSES_POINTS_IN = ["test_make_blobs"]
FEEDBACK_MENTIONS = {"test_make_blobs": "same noise"}


def make_blobs(n_per_class, n_classes=3, radius=2.0, std=1.0, seed=None):
    points, labels = [], []
    for k in range(n_classes):
        rng = np.random.default_rng(seed)
        mean = radius * np.array([np.cos(2 * np.pi * k / n_classes), np.sin(2 * np.pi * k / n_classes)])
        points.append(mean + std * rng.standard_normal((n_per_class, 2)))
        labels.append(np.full(n_per_class, k))
    return np.concatenate(points), np.concatenate(labels)
