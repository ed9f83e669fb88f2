"""The test cells put back where the student version has them, whatever the student did to them.

nbgrader restores the source of a test cell it finds, by grade id. A test cell the student deleted,
or whose nbgrader metadata they removed, is not found, and scores 0 even if the code it tests is
right; a test cell moved above its function fails on a NameError; a grade id changed to an unknown
one stops the submission. Run in `nbgrader autograde` among the sanitizing steps, before
OverwriteCells (nbgrader_config.py), this preprocessor takes every read-only and test cell out of
the submission and puts the release's back, each after the cell that precedes it in the release
(matched by grade id, or by identical source for plain cells); a cell with a grade id the release
does not know, or a second cell with one id, becomes an ordinary cell of the student's. The
student's solutions and own cells keep their order; OverwriteCells then restores the hidden tests.
"""
from __future__ import annotations

import copy
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from traitlets import Unicode

from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor


class RestoreTestCells(NbGraderPreprocessor):
    release_notebook = Unicode("release/{assignment}/{notebook}.ipynb",
                               help="The student version, relative to the course folder.").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        submission = resources["nbgrader"]
        release = nbformat.read(Path(self.release_notebook.format(**submission)), as_version=4)
        protected = {_grade_id(cell) for cell in release.cells if _is_protected(cell)}
        known = {_grade_id(cell) for cell in release.cells if _grade_id(cell)}
        kept, seen = [], set()
        for cell in nb.cells:
            grade_id = _grade_id(cell)
            if grade_id in protected:
                continue
            if grade_id and (grade_id not in known or grade_id in seen):
                self.log.warning("Cell with grade id %r is not the release's: graded as an ordinary cell", grade_id)
            if "nbgrader" in cell.metadata and (not grade_id or grade_id not in known or grade_id in seen):
                del cell.metadata["nbgrader"]  # DeduplicateIds leaves an empty one, which nbgrader then refuses
            seen.add(grade_id)
            kept.append(cell)
        nb.cells = _with_protected_cells(kept, release.cells)
        return nb, resources


def _with_protected_cells(kept: list[NotebookNode], release: list[NotebookNode]) -> list[NotebookNode]:
    """The kept cells with each protected cell of the release inserted after its predecessor's match."""
    cells, cursor = list(kept), 0
    for cell in release:
        if _is_protected(cell):
            cells.insert(cursor, copy.deepcopy(cell))
            cursor += 1
            continue
        match = next((index for index in range(cursor, len(cells)) if _same_cell(cells[index], cell)), None)
        if match is not None:
            cursor = match + 1
    return cells


def _grade_id(cell: NotebookNode) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def _is_protected(cell: NotebookNode) -> bool:
    """A test cell or a read-only cell: the release's version is the only one graded."""
    return bool(_grade_id(cell)) and not utils.is_solution(cell) and (utils.is_grade(cell) or utils.is_locked(cell))


def _same_cell(cell: NotebookNode, release_cell: NotebookNode) -> bool:
    if _grade_id(release_cell):
        return _grade_id(cell) == _grade_id(release_cell)
    return cell.cell_type == release_cell.cell_type and cell.source == release_cell.source
