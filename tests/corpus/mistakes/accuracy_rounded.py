"""accuracy rounded to two decimals inside the function, for a nicer print."""

LOSES_POINTS_IN = ["test_accuracy"]
FEEDBACK_MENTIONS = {"test_accuracy": "round"}


def accuracy(t_true, t_pred):
    return round(float(np.mean(np.asarray(t_true) == np.asarray(t_pred))), 2)
