"""Correct numerical_gradient that copies W twice for each entry instead of shifting one copy."""

LOSES_POINTS_IN = []


def numerical_gradient(f, W, eps=1e-5):
    G = np.zeros(W.shape)
    for i in range(W.shape[0]):
        for j in range(W.shape[1]):
            W_plus, W_minus = W.copy(), W.copy()
            W_plus[i, j] += eps
            W_minus[i, j] -= eps
            G[i, j] = (f(W_plus) - f(W_minus)) / (2 * eps)
    return G
