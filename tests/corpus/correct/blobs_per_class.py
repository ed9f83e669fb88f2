"""Correct make_blobs drawing each class in turn with rng.normal, then shuffling the samples: another RNG call order."""

LOSES_POINTS_IN = []


def make_blobs(n_per_class, n_classes=3, radius=2.0, std=1.0, seed=None):
    rng = np.random.default_rng(seed)
    points, labels = [], []
    for k in range(n_classes):
        mean = [radius * np.cos(2 * np.pi * k / n_classes), radius * np.sin(2 * np.pi * k / n_classes)]
        points.append(rng.normal(loc=mean, scale=std, size=(n_per_class, 2)))
        labels.append(np.full(n_per_class, k))
    order = rng.permutation(n_classes * n_per_class)
    return np.concatenate(points)[order], np.concatenate(labels)[order]
