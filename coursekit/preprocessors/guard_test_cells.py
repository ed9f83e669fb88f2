"""Test cells that run as written, on the real numpy, and whose results the student's code cannot forge.

A student's code runs in the same Python as the tests. Without a guard it could replace `np.isclose`,
redefine the test helpers, register an IPython input or AST transformer that turns every test cell into
`pass`, catch the tests' exceptions with a custom handler, start a thread or a timer that patches numpy
while a test runs, read the test's expected values from its caller's frame, or print the hidden tests from
the interpreter's history.

Run in `nbgrader autograde` after OverwriteCells (nbgrader_config.py), this preprocessor draws a key for this
execution and adds a first cell, run before any student code, that hands the key and the source of every test
and read-only cell to the guard of kernel_guard.py: a Python audit hook, which no code can reach or remove.
SafeExecute then sends each of those cells as a call that raises the hook's event with the cell's index and a
nonce drawn for that execution alone (`call`); the hook runs the test, on numpy as recorded, and signs its
outcome with the key; the cell prints the signature. SafeExecute gives a test cell no points without a valid
signature (`take_proof`), so code that changes how cells run can only make its own tests fail. The cell's
source never reaches the kernel's history, and the guard's cell is left out of the feedback.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import symtable
from importlib import resources

from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_output

from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor

SIGNATURE = "# The grader's guard: runs before the notebook's code (coursekit/preprocessors/kernel_guard.py)."
EVENT = "coursekit.test"  # the audit event a guarded cell raises
METADATA_KEY = "coursekit_guard"  # notebook metadata: the key of this execution, for SafeExecute
# The guard's source, read as the package's data, wherever and however coursekit is installed.
_KERNEL_GUARD = resources.files(__package__).joinpath("kernel_guard.py").read_text(encoding="utf-8")
_PROOF = re.compile(r"\[coursekit proof (\S+) (\S+) ([0-9a-f]{64})\]\n?")
_HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS.*?^[ \t]*### END HIDDEN TESTS[^\n]*$", re.M | re.S)


class GuardTestCells(NbGraderPreprocessor):
    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        key = secrets.token_hex(32)
        # Each guarded cell: its source, the names its visible part defines, and for a read-only cell the source
        # that defines its helpers again in the notebook's own namespace.
        tests = tuple((cell.source, sorted(visible_names(cell.source)), "" if utils.is_grade(cell) else cell.source)
                      for cell in nb.cells if is_guarded(cell))
        guard = f"{_KERNEL_GUARD}\n_make_guard({key!r}, {tests!r}, {EVENT!r})\n"
        nb.cells.insert(0, new_code_cell(
            f"{SIGNATURE}\n(lambda builtins: exec(compile({guard!r}, '<coursekit guard>', 'exec'), {{\n"
            "    '__builtins__': dict(vars(builtins)), '__name__': 'coursekit_guard', 'get_ipython': get_ipython}))"
            "(__import__('builtins'))\n"))
        nb.metadata[METADATA_KEY] = key
        return nb, resources


def is_guarded(cell: NotebookNode) -> bool:
    """Test cells and read-only code cells: the cells the guard runs."""
    return cell.cell_type == "code" and utils.is_locked(cell) and not utils.is_solution(cell)


def visible_names(source: str) -> set[str]:
    """The names a guarded cell's visible part defines: what the student's later cells may use, as in their own
    notebook (the hidden part's names stay with the tests)."""
    try:
        table = symtable.symtable(_HIDDEN.sub("", source), "<cell>", "exec")
    except SyntaxError:
        return set()
    return {symbol.get_name() for symbol in table.get_symbols() if symbol.is_assigned() or symbol.is_imported()}


def call(index: int, nonce: str) -> str:
    """What the kernel is sent in place of the `index`-th guarded cell: statements only, no name of the notebook's
    that could stand in for one of Python's (the guard writes what the test defines into the namespace itself)."""
    return (f"import sys as _coursekit_sys\n_coursekit = ['', None]\n"
            f"_coursekit_sys.audit({EVENT!r}, {index}, {nonce!r}, _coursekit)\n"
            "_coursekit_sys.stdout.write(_coursekit[0])\n"
            "_coursekit_error = _coursekit[1]\n"
            "del _coursekit, _coursekit_sys\n"
            "if _coursekit_error is not None:\n    raise _coursekit_error")


def take_proof(text: str, key: str, index: int, nonce: str) -> tuple[str, bool, float | None]:
    """Take every proof line out of a stream's text. Returns the text without them, whether one of them is the
    guard's signature of a complete run of the `index`-th guarded cell for this `nonce`, and the value of the
    cell's final expression, if it had one."""
    proven, value = False, None
    for match in _PROOF.finditer(text):
        expected = hmac.new(bytes.fromhex(key), f"{nonce}|{index}|{match[2]}".encode(), hashlib.sha256).hexdigest()
        if match[1] == nonce and hmac.compare_digest(match[3], expected):
            proven, value = True, (None if match[2] == "-" else float(match[2]))
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
