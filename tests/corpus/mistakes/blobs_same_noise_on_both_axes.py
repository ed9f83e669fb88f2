"""make_blobs drawing one noise value per point and adding it to both coordinates: elongated, not isotropic, blobs."""

LOSES_POINTS_IN = ["test_make_blobs"]
FEEDBACK_MENTIONS = {"test_make_blobs": "isotropic"}


def make_blobs(n_per_class, n_classes=3, radius=2.0, std=1.0, seed=None):
    rng = np.random.default_rng(seed)
    angles = 2 * np.pi * np.arange(n_classes) / n_classes
    means = radius * np.column_stack([np.cos(angles), np.sin(angles)])
    t = np.repeat(np.arange(n_classes), n_per_class)
    X = means[t] + std * rng.standard_normal((t.size, 1))
    return X, t
