"""numerical_gradient shifting the entries of W itself, each put back exactly afterwards: W ends unchanged, but f sees it move."""

LOSES_POINTS_IN = ["test_numerical_gradient"]
FEEDBACK_MENTIONS = {"test_numerical_gradient": "of a copy"}


def numerical_gradient(f, W, eps=1e-5):
    G = np.zeros(W.shape)
    for index in np.ndindex(W.shape):
        original = W[index]
        W[index] = original + eps
        f_plus = f(W)
        W[index] = original - eps
        f_minus = f(W)
        W[index] = original
        G[index] = (f_plus - f_minus) / (2 * eps)
    return G
