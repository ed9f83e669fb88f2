"""The course's nbgrader preprocessors, named in nbgrader_config.py."""
from .hide_hidden_tests import HideHiddenTests

__all__ = ["HideHiddenTests"]
