"""`python -m coursekit.judge`: the judge's process, started by the grader for one run of one notebook
(coursekit/judge/process.py is the grader's end). Reads the kernel's address, then one JSON line
per cell, on stdin; answers one line per cell on stdout."""
from .process import serve_grader

serve_grader()
