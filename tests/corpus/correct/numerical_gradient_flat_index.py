"""Correct numerical_gradient walking a flat float copy of W entry by entry (also accepts an integer W or a list)."""

LOSES_POINTS_IN = []


def numerical_gradient(f, W, eps=1e-5):
    shape = np.shape(W)
    flat = np.array(W, dtype=float).ravel()
    G = np.empty(flat.size)
    for i in range(flat.size):
        saved = flat[i]
        flat[i] = saved + eps
        f_plus = f(flat.reshape(shape))
        flat[i] = saved - eps
        f_minus = f(flat.reshape(shape))
        flat[i] = saved
        G[i] = (f_plus - f_minus) / (2 * eps)
    return G.reshape(shape)
