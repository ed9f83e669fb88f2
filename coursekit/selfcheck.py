"""The students' self-check: run a notebook in a fresh kernel and say which test cells pass.

`nbgrader validate` exits 0 even when tests fail (nbgrader issue #1908); this check exits 0 only
if every test cell ran without error, 1 if any failed, 2 if the notebook could not be read or run.
It runs the notebook as it is, with the visible tests a student has, and judges them as the grader does: each test
cell runs in the judge (coursekit/judge/), a process beside the kernel that calls the student's functions across,
so a visible check passes here exactly when it passes for the grader. The grader's hidden tests come on top.
When a cell that is not a test raises (numpy missing, a syntax error), the tests
after it fail with NameErrors that hide the cause: the report starts with a line naming that cell's error.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from jupyter_client.manager import KernelManager
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from . import notebooks, untrusted
from .judge.execution import JudgedExecution

PASSED, FAILED, UNREADABLE = 0, 1, 2


@dataclass(frozen=True)
class CellOutcome:
    cell: str
    points: float
    message: str | None  # None when the test passed

    @property
    def passed(self) -> bool:
        return self.message is None


@dataclass(frozen=True)
class NotebookCheck:
    tests: list[CellOutcome]
    error_outside_tests: str | None  # the first error of a cell that is not a test, where and what; None if none


def run_tests(path: Path, timeout: int = 60) -> NotebookCheck:
    """Execute the notebook in a fresh python3 kernel and read each test cell's outcome, and the first error of a
    cell that is not a test.

    Raises ValueError, naming the file, if it is not a notebook that can be read and run.
    """
    notebook = untrusted.read(path)
    with tempfile.TemporaryDirectory(prefix="coursekit-selfcheck-") as sockets:
        # IPC sockets, in a folder of the check's own: the judge's socket goes beside the kernel's.
        kernel = KernelManager(kernel_name="python3", transport="ipc", ip=str(Path(sockets) / "kernel"))
        client = JudgedExecution(notebook, km=kernel, timeout=timeout, kernel_name="python3", allow_errors=True,
                                 resources={"metadata": {"path": str(path.parent)}})
        try:
            client.execute()
        except (CellTimeoutError, DeadKernelError) as error:
            raise ValueError(f"{path}: the notebook did not finish running ({type(error).__name__})") from error
        finally:
            client.close_judge()
            if kernel.has_kernel:
                kernel.shutdown_kernel(now=True)
    return NotebookCheck([CellOutcome(cell_id, cell.metadata.nbgrader.points, _failure(cell))
                          for cell_id, cell in notebooks.test_cells(notebook).items()], _first_error_outside(notebook))


def _first_error_outside(notebook) -> str | None:
    """`cell N (not a test) raised Error: message`, N counting every cell of the notebook from 1, for the first
    code cell other than the test cells with an error output; the cell's grade id too when it has one."""
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type != "code" or notebooks.is_test_cell(cell):
            continue
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                name = notebooks.grade_id(cell)
                where = f"cell {number} ({name}, not a test)" if name else f"cell {number} (not a test)"
                return f"{where} raised {notebooks.error_line(output)}"
    return None


def _failure(cell) -> str | None:
    for output in cell.outputs:
        if output.output_type == "error":
            return notebooks.error_line(output)
        if output.output_type == "stream" and output.name == "stderr":
            return "wrote to stderr, which the grader counts as a failure: " + output.text.split("\n")[0]
        credit = _partial_credit(output)
        if credit is not None and credit < cell.metadata.nbgrader.points:
            return f"partial credit, {credit:g} of {cell.metadata.nbgrader.points:g} points on the visible example"
    return None


def _partial_credit(output) -> float | None:
    """The number a test cell's last expression gave, which nbgrader takes as its partial credit."""
    if output.output_type != "execute_result":
        return None
    try:
        return float(output.data.get("text/plain", ""))
    except ValueError:
        return None


def report(check: NotebookCheck) -> str:
    results = check.tests
    width = max(len(result.cell) for result in results)
    lines = [f"{check.error_outside_tests}: the tests after it may fail because of it; fix it first"
             ] if check.error_outside_tests else []
    lines.append(f"{'test':<{width}}  {'points':>6}  result")
    lines += [f"{result.cell:<{width}}  {result.points:>6g}  {'pass' if result.passed else 'FAIL  ' + result.message}"
              for result in results]
    passed = [result for result in results if result.passed]
    lines.append(f"{len(passed)} of {len(results)} test cells pass the visible checks "
                 f"({sum(result.points for result in passed):g} of {sum(result.points for result in results):g} "
                 "points if the hidden checks agree)")
    return "\n".join(lines)


def main(paths: list[Path]) -> int:
    """Check each notebook of an assignment in turn; the exit status is the worst of theirs."""
    statuses = []
    for path in paths:
        if len(paths) > 1:
            print(f"\n{path}")
        try:
            check = run_tests(path)
        except ValueError as error:
            print(error)
            statuses.append(UNREADABLE)
            continue
        print(report(check))
        statuses.append(PASSED if all(result.passed for result in check.tests) else FAILED)
    return max(statuses)
