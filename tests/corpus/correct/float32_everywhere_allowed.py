"""A memory-conscious student who uses float32 and 32-bit integers wherever the text leaves the dtype free
(one_hot is "a float array", predict and confusion_matrix "integers"), float64 where it is announced."""
LOSES_POINTS_IN = []


def make_blobs(n_per_class, n_classes=3, radius=2.0, std=1.0, seed=None):
    rng = np.random.default_rng(seed)
    t = np.repeat(np.arange(n_classes, dtype=np.int32), n_per_class)
    angles = 2 * np.pi * t / n_classes
    X = radius * np.column_stack([np.cos(angles), np.sin(angles)]) + std * rng.standard_normal((t.size, 2))
    return X, t


def one_hot(t, n_classes):
    T = np.zeros((len(t), n_classes), dtype=np.float32)
    T[np.arange(len(t)), t] = 1
    return T


def predict(W, Phi):
    return np.argmax(Phi @ W, axis=1).astype(np.int32)


def confusion_matrix(t_true, t_pred, n_classes):
    C = np.zeros((n_classes, n_classes), dtype=np.int32)
    np.add.at(C, (np.asarray(t_true), np.asarray(t_pred)), 1)
    return C


def sgd(Phi, t, n_classes, learning_rate=0.1, n_epochs=20, decay=0.0, seed=None):
    rng = np.random.default_rng(seed)
    N, D = Phi.shape
    W = (0.01 * rng.standard_normal((D, n_classes))).astype(np.float32)
    losses = []
    k = 0
    for _ in range(n_epochs):
        for n in rng.permutation(N):
            W -= np.float32(learning_rate / (1 + decay * k)) * gradient(W, Phi[n:n + 1], t[n:n + 1]).astype(np.float32)
            k += 1
        losses.append(cross_entropy(W, Phi, t))
    return W, losses


def random_relu_features(X, n_hidden, seed=None):
    rng = np.random.default_rng(seed)
    W1 = rng.standard_normal((X.shape[1], n_hidden), dtype=np.float32)
    b1 = rng.standard_normal(n_hidden, dtype=np.float32)
    H = np.maximum(0, X.astype(np.float32) @ W1 + b1)
    return np.hstack([H, np.ones((len(X), 1), dtype=np.float32)])
