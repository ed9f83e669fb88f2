"""Correct gradient computed as (Y - T)^T Phi, shape (K, D), with np.tensordot, then transposed back to (D, K)."""

LOSES_POINTS_IN = []


def gradient(W, Phi, t):
    return np.tensordot(softmax(np.dot(Phi, W)) - one_hot(t, W.shape[1]), Phi, axes=(0, 0)).T
