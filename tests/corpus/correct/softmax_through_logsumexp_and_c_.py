"""Correct softmax written as exp(A - logsumexp(A)), and add_bias with np.c_."""

LOSES_POINTS_IN = []


def softmax(A):
    m = np.max(A, axis=1)[:, np.newaxis]
    return np.exp(A - m - np.log(np.exp(A - m).sum(axis=1))[:, np.newaxis])


def add_bias(X):
    return np.c_[X, np.ones(X.shape[0])]
