"""The judge: test cells run in a process of the grader's, outside the student's kernel (judge.py says how).

wire.py: the plain data that crosses the boundary; kernel_side.py: what the kernel runs to serve the judge;
judge.py: the test cells run against proxies of the student's functions; process.py: the judge's process and the
grader's handle on it; execution.py: a notebook executed with its test cells judged (the grader's SafeExecute and
the self-check); cells.py: which cells the judge runs; hidden.py: the hidden regions of a test cell.
"""
