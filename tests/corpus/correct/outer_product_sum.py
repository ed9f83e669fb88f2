"""Correct work: the gradient as the sum over the samples of the outer products phi_n (y_n - t_n)^T."""

LOSES_POINTS_IN = []


def gradient(W, Phi, t):
    Y = softmax(Phi @ W)
    G = np.zeros_like(W, dtype=float)
    for n in range(len(t)):
        error = Y[n].copy()
        error[t[n]] -= 1.0
        G += np.outer(Phi[n], error)
    return G
