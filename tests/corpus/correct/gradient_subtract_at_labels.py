"""Correct gradient: Phi^T Y, then each phi_n subtracted from column t_n with np.subtract.at."""

LOSES_POINTS_IN = []


def gradient(W, Phi, t):
    G = Phi.T @ softmax(Phi @ W)
    np.subtract.at(G.T, t, Phi)
    return G
