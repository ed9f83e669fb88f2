"""numerical_gradient that shifts the entries of W itself and never puts them back."""

LOSES_POINTS_IN = ["test_numerical_gradient"]
FEEDBACK_MENTIONS = {"test_numerical_gradient": "changed W"}


def numerical_gradient(f, W, eps=1e-5):
    G = np.zeros(W.shape)
    for index in np.ndindex(W.shape):
        W[index] += eps
        f_plus = f(W)
        W[index] -= 2 * eps
        f_minus = f(W)
        G[index] = (f_plus - f_minus) / (2 * eps)
    return G
