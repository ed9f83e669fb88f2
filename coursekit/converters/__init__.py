"""The course's nbgrader converters: nbgrader's own, with one step done differently."""
from .parallel_autograde import SKIPPED, ParallelAutograde, SubmissionOutcome

__all__ = ["SKIPPED", "ParallelAutograde", "SubmissionOutcome"]
