"""Correct work with np.einsum for the gradient and np.eye(K)[t] for the one-hot labels."""

LOSES_POINTS_IN = []


def one_hot(t, n_classes):
    return np.eye(n_classes)[t]


def gradient(W, Phi, t):
    return np.einsum("nd,nk->dk", Phi, softmax(Phi @ W) - np.eye(W.shape[1])[t])
