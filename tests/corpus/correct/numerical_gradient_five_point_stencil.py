"""Borderline: numerical_gradient uses the fourth-order central difference (five-point stencil) with step eps,
(f(W - 2eps) - 8 f(W - eps) + 8 f(W + eps) - f(W + 2eps)) / (12 eps), on a copy of W."""
LOSES_POINTS_IN = []


def numerical_gradient(f, W, eps=1e-5):
    V = np.array(W, dtype=float)
    G = np.zeros_like(V)
    for idx in np.ndindex(V.shape):
        E = np.zeros_like(V)
        E[idx] = eps
        G[idx] = (f(V - 2 * E) - 8 * f(V - E) + 8 * f(V + E) - f(V + 2 * E)) / (12 * eps)
    return G
