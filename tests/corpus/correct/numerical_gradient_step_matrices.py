"""Correct numerical_gradient evaluating f at the new arrays W + eps E_ij and W - eps E_ij, never writing into W."""

LOSES_POINTS_IN = []


def numerical_gradient(f, W, eps=1e-5):
    G = np.zeros(np.shape(W))
    for index in np.ndindex(G.shape):
        E = np.zeros(G.shape)
        E[index] = eps
        G[index] = (f(W + E) - f(W - E)) / (2 * eps)
    return G
