"""numerical_gradient with forward differences, (f(W + eps) - f(W)) / eps: accurate to eps, not eps**2."""

LOSES_POINTS_IN = ["test_numerical_gradient"]
FEEDBACK_MENTIONS = {"test_numerical_gradient": "one-sided"}


def numerical_gradient(f, W, eps=1e-5):
    G = np.zeros(W.shape)
    f_here = f(W)
    for index in np.ndindex(W.shape):
        W_plus = W.astype(float)
        W_plus[index] += eps
        G[index] = (f(W_plus) - f_here) / eps
    return G
