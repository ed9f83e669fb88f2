"""`python -m coursekit.judge ADDRESS`: the judge's process, started by the grader for one run of one notebook
(coursekit/judge/process.py is the grader's end). Reads one JSON line per cell on stdin, answers one on stdout."""
from .process import serve_grader

serve_grader()
