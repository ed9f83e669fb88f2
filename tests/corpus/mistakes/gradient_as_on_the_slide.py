"""The slide's printed formula, sum_n (delta_{l,t_n} - y_{t_n}(phi_n)) phi_n, taken as it is."""

LOSES_POINTS_IN = ["test_gradient"]
FEEDBACK_MENTIONS = {"test_gradient": "slide's formula"}


def gradient(W, Phi, t):
    Y = softmax(Phi @ W)
    y_true_class = Y[np.arange(len(t)), t]
    return Phi.T @ (one_hot(t, W.shape[1]) - y_true_class[:, None])
