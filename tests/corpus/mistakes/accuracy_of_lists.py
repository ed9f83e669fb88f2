"""accuracy comparing its arguments with ==, right for arrays but 0 for two Python lists (list == list is one bool)."""

LOSES_POINTS_IN = ["test_accuracy"]
FEEDBACK_MENTIONS = {"test_accuracy": "lists"}


def accuracy(t_true, t_pred):
    return float(np.mean(t_true == t_pred))
