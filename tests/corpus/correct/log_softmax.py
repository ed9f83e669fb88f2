"""Correct work with a log-softmax computed by log-sum-exp, used for both the loss and the probabilities."""

LOSES_POINTS_IN = []


def softmax(A):
    log_norm = A.max(axis=1, keepdims=True)
    log_norm = log_norm + np.log(np.sum(np.exp(A - log_norm), axis=1, keepdims=True))
    return np.exp(A - log_norm)


def cross_entropy(W, Phi, t):
    A = Phi @ W
    shift = A.max(axis=1, keepdims=True)
    log_Y = A - shift - np.log(np.sum(np.exp(A - shift), axis=1, keepdims=True))
    return -log_Y[np.arange(len(t)), t].sum()
