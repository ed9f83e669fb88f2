"""The course's nbgrader preprocessors, named in nbgrader_config.py."""
from .hide_hidden_tests import HideHiddenTests
from .summarize_results import SummarizeResults

__all__ = ["HideHiddenTests", "SummarizeResults"]
