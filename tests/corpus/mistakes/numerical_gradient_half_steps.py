"""numerical_gradient stepping eps / 2 on each side, (f(W + eps/2) - f(W - eps/2)) / eps: a central difference of step eps / 2, not eps."""

LOSES_POINTS_IN = ["test_numerical_gradient"]
FEEDBACK_MENTIONS = {"test_numerical_gradient": "should use the step eps=0.5"}


def numerical_gradient(f, W, eps=1e-5):
    G = np.zeros(W.shape)
    for index in np.ndindex(W.shape):
        step = np.zeros(W.shape)
        step[index] = eps / 2
        G[index] = (f(W + step) - f(W - step)) / eps
    return G
