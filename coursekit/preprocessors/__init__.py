"""The course's nbgrader preprocessors, named in nbgrader_config.py."""
from .hide_hidden_tests import HideHiddenTests
from .make_inert import MakeInert
from .quiet_ungraded_exercises import QuietUngradedExercises
from .restore_test_cells import RestoreTestCells
from .safe_execute import SafeExecute
from .summarize_results import SummarizeResults

__all__ = ["HideHiddenTests", "MakeInert", "QuietUngradedExercises", "RestoreTestCells", "SafeExecute", "SummarizeResults"]
