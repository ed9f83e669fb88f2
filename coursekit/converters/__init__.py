"""The course's nbgrader converters: nbgrader's own, with one step done differently."""
from .parallel_autograde import ParallelAutograde

__all__ = ["ParallelAutograde"]
