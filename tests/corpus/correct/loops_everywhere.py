"""Correct work written with explicit Python loops instead of vectorised numpy."""

LOSES_POINTS_IN = []


def softmax(A):
    Y = np.empty(A.shape)
    for n in range(A.shape[0]):
        shifted = np.exp(A[n] - np.max(A[n]))
        Y[n] = shifted / np.sum(shifted)
    return Y


def cross_entropy(W, Phi, t):
    total = 0.0
    for n in range(len(t)):
        scores = Phi[n] @ W
        top = np.max(scores)
        total += top + np.log(np.sum(np.exp(scores - top))) - scores[t[n]]
    return total


def gradient(W, Phi, t):
    G = np.zeros(W.shape)
    for n in range(len(t)):
        y = softmax((Phi[n] @ W)[None, :])[0]
        for l in range(W.shape[1]):
            G[:, l] += (y[l] - (1.0 if l == t[n] else 0.0)) * Phi[n]
    return G
