"""Correct accuracy counting the matches with a Python sum over zip (works on lists too, returns a Python float)."""

LOSES_POINTS_IN = []


def accuracy(t_true, t_pred):
    return sum(int(a == b) for a, b in zip(t_true, t_pred)) / len(t_true)
