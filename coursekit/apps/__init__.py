"""The course's nbgrader applications, run by the `coursekit` command."""
from .autograde_app import ParallelAutogradeApp

__all__ = ["ParallelAutogradeApp"]
