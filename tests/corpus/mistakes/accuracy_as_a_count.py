"""accuracy returning the number of correct predictions instead of their fraction."""

LOSES_POINTS_IN = ["test_accuracy"]
FEEDBACK_MENTIONS = {"test_accuracy": "not a count"}


def accuracy(t_true, t_pred):
    return int(np.sum(t_true == t_pred))
