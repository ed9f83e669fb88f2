"""Correct make_blobs with int32 labels, the means as complex roots of unity, and the two coordinates' noise drawn one after the other."""

LOSES_POINTS_IN = []


def make_blobs(n_per_class, n_classes=3, radius=2.0, std=1.0, seed=None):
    rng = np.random.default_rng(seed)
    t = np.repeat(np.arange(n_classes, dtype=np.int32), n_per_class)
    centres = radius * np.exp(2j * np.pi * t / n_classes)
    x = centres.real + std * rng.standard_normal(t.size)
    y = centres.imag + std * rng.standard_normal(t.size)
    return np.stack([x, y], axis=1), t
