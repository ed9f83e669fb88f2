"""Correct make_blobs drawing each class with rng.multivariate_normal and covariance std**2 I, the classes left in blocks."""

LOSES_POINTS_IN = []


def make_blobs(n_per_class, n_classes=3, radius=2.0, std=1.0, seed=None):
    rng = np.random.default_rng(seed)
    X = np.empty((0, 2))
    for k in range(n_classes):
        angle = 2 * np.pi * k / n_classes
        mean = [radius * np.cos(angle), radius * np.sin(angle)]
        X = np.vstack([X, rng.multivariate_normal(mean, std ** 2 * np.eye(2), size=n_per_class)])
    return X, np.arange(n_classes).repeat(n_per_class)
