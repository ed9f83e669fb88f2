"""numerical_gradient with its own fixed step, whatever eps it is given."""

LOSES_POINTS_IN = ["test_numerical_gradient"]
FEEDBACK_MENTIONS = {"test_numerical_gradient": "should use the step eps=0.5"}


def numerical_gradient(f, W, eps=1e-5):
    G = np.zeros(W.shape)
    for index in np.ndindex(W.shape):
        step = np.zeros(W.shape)
        step[index] = 1e-5
        G[index] = (f(W + step) - f(W - step)) / 2e-5
    return G
