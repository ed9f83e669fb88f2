"""Test cells that run as written, on the real numpy and IPython, whatever the student's code did.

A student's code runs in the same Python as the tests. Without a guard it could replace `np.isclose`,
redefine the test helpers, register an IPython input or AST transformer that turns every test cell into
`pass`, catch the tests' exceptions with a custom handler, start a thread or a timer that patches numpy
while a test runs, or print the hidden tests from the interpreter's history.

Run in `nbgrader autograde` after OverwriteCells (nbgrader_config.py), this preprocessor adds a first
cell, run before any student code, that sets up the guard of kernel_guard.py under a random name, and
marks the notebook so that SafeExecute sends each test and read-only cell as one call to it: the guard
runs the cell's source with Python's own compile and exec, on the machinery it recorded, forgets it
afterwards, and prints a proof of a complete run carrying a nonce that SafeExecute drew for that
execution alone. SafeExecute gives a test cell no points without its proof (`take_proof`), so code that
changes how cells run can only make its own tests fail. The guard is left out of the feedback.

Code written against this grader in particular (reading the nonce from the call it intercepts, or the
guard's frames) could still forge a proof; see the README's security section for what remains.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from pathlib import Path

from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_output

from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor

SIGNATURE = "# The grader's guard: runs before the notebook's code (coursekit/preprocessors/kernel_guard.py)."
_KERNEL_GUARD = (Path(__file__).parent / "kernel_guard.py").read_text()
_PROOF = re.compile(r"\n?\[coursekit proof (\S+) (\S+) (\S+)\]\n")
METADATA_KEY = "coursekit_guard"  # notebook metadata: the guard's name, for SafeExecute


class GuardTestCells(NbGraderPreprocessor):
    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        guard = f"_{secrets.token_hex(8)}"  # a new name each time: student code cannot name it in advance
        nb.cells.insert(0, new_code_cell(f"{SIGNATURE}\n{_KERNEL_GUARD}\n{guard} = _make_guard({guard!r})\n"
                                         f"del _make_guard\n"))
        nb.metadata[METADATA_KEY] = guard
        return nb, resources


def is_guarded(cell: NotebookNode) -> bool:
    """Test cells and read-only code cells: the cells the guard runs."""
    return cell.cell_type == "code" and utils.is_locked(cell) and not utils.is_solution(cell)


def call(guard: str, source: str, nonce: str) -> str:
    """What the kernel is sent in place of a guarded cell's source."""
    return f"{guard}.run_test({source!r}, {nonce!r})"


def take_proof(text: str, source: str, nonce: str) -> tuple[str, bool, float | None]:
    """Take every proof line out of a stream's text. Returns the text without them, whether one of them
    proves a complete run of `source` for this `nonce`, and the value of the cell's final expression."""
    proven, value = False, None
    digest = hashlib.sha256(source.encode()).hexdigest()[:16]
    for match in _PROOF.finditer(text):
        if secrets.compare_digest(match[1], nonce) and match[2] == digest:
            proven, value = True, (None if match[3] == "-" else float(match[3]))
    return _PROOF.sub("", text), proven, value


def unproven_output() -> NotebookNode:
    reason = ("the grader could not confirm that this test ran to its end: code in the notebook changed how cells "
              "run (IPython's input or AST transformers, run_cell, exception handlers, ...). Tests must run as "
              "written: remove that code")
    return new_output("error", ename="TestNotRun", evalue=reason, traceback=[f"TestNotRun: {reason}"])


def credit_output(value: float, execution_count: int | None) -> NotebookNode:
    """The test's final expression, as IPython would have shown it (nbgrader reads partial credit there)."""
    return new_output("execute_result", data={"text/plain": repr(value)}, execution_count=execution_count)


def without_guard(nb: NotebookNode) -> set[str]:
    """Take the guard's cell out of an autograded notebook (for the feedback). Returns its execution count,
    whose frames tracebacks may still show."""
    guard_cells = [cell for cell in nb.cells if cell.cell_type == "code" and cell.source.startswith(SIGNATURE)]
    nb.cells = [cell for cell in nb.cells if cell not in guard_cells]
    return {str(cell.execution_count) for cell in guard_cells if cell.get("execution_count") is not None}
