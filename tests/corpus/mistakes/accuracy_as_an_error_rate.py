"""accuracy returning the fraction of wrong predictions, the error rate."""

LOSES_POINTS_IN = ["test_accuracy"]
FEEDBACK_MENTIONS = {"test_accuracy": "error rate"}


def accuracy(t_true, t_pred):
    return float(np.mean(t_true != t_pred))
