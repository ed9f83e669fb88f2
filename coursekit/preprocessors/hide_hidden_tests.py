"""Feedback that shows each test's result and message, but never the hidden tests' code.

nbgrader's feedback shows the autograded notebook as it ran, so the hidden tests appear in the
test cells and in the tracebacks of the tests that failed (nbgrader issues #917, #1363), which
spoils them for next year's students. Run in `nbgrader generate_feedback` (nbgrader_config.py),
this preprocessor replaces each hidden region of a test cell by a one-line note and drops, from
every traceback, the frames of code that lives in test cells (or in the guard's cell); the student still sees the error,
its message, and the frames of their own code. The guard against tampering (GuardTestCells) goes too.
"""
from __future__ import annotations

import re

from nbformat import NotebookNode
from traitlets import Unicode

from nbgrader.preprocessors import NbGraderPreprocessor

from .. import notebooks
from .guard_test_cells import without_guard

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_CELL_FRAME = re.compile(r"Cell In\[(\d+)\]")


class HideHiddenTests(NbGraderPreprocessor):
    note = Unicode("# (hidden tests ran here; their code is not shown)",
                   help="what replaces each hidden region of a test cell").tag(config=True)
    begin = Unicode("BEGIN HIDDEN TESTS").tag(config=True)
    end = Unicode("END HIDDEN TESTS").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        guard_runs = without_guard(nb)
        tests = list(notebooks.test_cells(nb).values())
        test_runs = guard_runs | {str(cell.execution_count) for cell in tests if cell.get("execution_count") is not None}
        for cell in tests:
            cell.source = self.without_hidden_regions(cell.source)
        for cell in nb.cells:  # a student's cell can fail through the guard's or a test cell's code too
            for output in cell.get("outputs", []):
                if output.output_type == "error":
                    output.traceback = [frame for frame in output.traceback if not _runs_in(frame, test_runs)]
        return nb, resources

    def without_hidden_regions(self, source: str) -> str:
        kept, hidden = [], False
        for line in source.split("\n"):
            if self.begin in line:
                hidden = True
                kept.append(self.note)
            elif self.end in line:
                hidden = False
            elif not hidden:
                kept.append(line)
        return "\n".join(kept)


def _runs_in(frame: str, executions: set[str]) -> bool:
    """Whether a traceback frame shows code of one of the given cell executions."""
    match = _CELL_FRAME.search(_ANSI.sub("", frame))
    return bool(match) and match.group(1) in executions
