"""Correct gradient that subtracts 1 in place from the true class of each row of its own softmax output, without one_hot."""

LOSES_POINTS_IN = []


def gradient(W, Phi, t):
    error = softmax(Phi @ W)
    error[np.arange(len(t)), t] -= 1.0
    return Phi.T @ error
