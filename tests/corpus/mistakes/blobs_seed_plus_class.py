"""make_blobs seeding one generator per class with seed + k: class k of one seed repeats class k + 1 of the previous seed, and seed=None fails."""

LOSES_POINTS_IN = ["test_make_blobs"]
FEEDBACK_MENTIONS = {"test_make_blobs": "same noise"}


def make_blobs(n_per_class, n_classes=3, radius=2.0, std=1.0, seed=None):
    X, t = [], []
    for k in range(n_classes):
        rng = np.random.default_rng(seed + k)
        angle = 2 * np.pi * k / n_classes
        X.append(rng.normal([radius * np.cos(angle), radius * np.sin(angle)], std, size=(n_per_class, 2)))
        t.append(k * np.ones(n_per_class, dtype=int))
    return np.vstack(X), np.concatenate(t)
