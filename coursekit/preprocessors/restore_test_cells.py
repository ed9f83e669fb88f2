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
When it changed anything, a note at the top of the notebook (and so of the feedback) says what.
"""
from __future__ import annotations

import copy
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_markdown_cell
from traitlets import Unicode

from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor

from .. import notebooks


class RestoreTestCells(NbGraderPreprocessor):
    release_notebook = Unicode("release/{assignment}/{notebook}.ipynb",
                               help="The student version, relative to the course folder.").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        submission = resources["nbgrader"]
        release = nbformat.read(Path(self.release_notebook.format(**submission)), as_version=4)
        protected = {notebooks.grade_id(cell) for cell in release.cells if _is_protected(cell)}
        known = {notebooks.grade_id(cell) for cell in release.cells if notebooks.grade_id(cell)}
        kept, seen, stripped = [], set(), []
        for cell in nb.cells:
            grade_id = notebooks.grade_id(cell)
            if grade_id in protected:
                continue
            if grade_id and (grade_id not in known or grade_id in seen):
                stripped.append(grade_id)
            if "nbgrader" in cell.metadata and (not grade_id or grade_id not in known or grade_id in seen):
                del cell.metadata["nbgrader"]  # DeduplicateIds leaves an empty one, which nbgrader then refuses
            seen.add(grade_id)
            kept.append(cell)
        handed_in = [notebooks.grade_id(cell) for cell in nb.cells if notebooks.grade_id(cell) in protected]
        expected = [notebooks.grade_id(cell) for cell in release.cells if _is_protected(cell)]
        nb.cells = _with_protected_cells(kept, release.cells)
        if handed_in != expected or stripped:
            note = _note(expected, handed_in, stripped)
            self.log.warning("%s: %s", submission["student"], note)
            nb.cells.insert(0, new_markdown_cell(f"**Note from the grader.** {note}"))
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


def _note(expected: list[str], handed_in: list[str], stripped: list[str]) -> str:
    """What the student did to the test cells, and what the grader did about it, in a sentence or two."""
    changed = sorted({grade_id for grade_id in expected if handed_in.count(grade_id) != 1}
                     | _out_of_order(list(dict.fromkeys(handed_in)), expected))
    parts = []
    if changed:
        parts.append(f"test or read-only cells were missing, repeated or out of place ({', '.join(changed)}): "
                     "the original ones were put back in their places before grading.")
    if stripped:
        parts.append(f"cells with the grade ids {', '.join(sorted(set(stripped)))}, which the assignment does not "
                     "have (or has once only), were graded as ordinary cells.")
    return " ".join(part[0].upper() + part[1:] for part in parts)


def _out_of_order(handed_in: list[str], expected: list[str]) -> set[str]:
    """The cells not in the longest run of handed-in cells that keeps the release's order: those that moved."""
    rank = [expected.index(grade_id) for grade_id in handed_in]
    longest = [[index] for index in range(len(rank))]  # the longest increasing run ending at each cell
    for end in range(len(rank)):
        for start in range(end):
            if rank[start] < rank[end] and len(longest[start]) + 1 > len(longest[end]):
                longest[end] = longest[start] + [end]
    kept = set(max(longest, key=len, default=[]))
    return {grade_id for index, grade_id in enumerate(handed_in) if index not in kept}


def _is_protected(cell: NotebookNode) -> bool:
    """A test cell or a read-only cell: the release's version is the only one graded."""
    return bool(notebooks.grade_id(cell)) and not utils.is_solution(cell) and (utils.is_grade(cell) or utils.is_locked(cell))


def _same_cell(cell: NotebookNode, release_cell: NotebookNode) -> bool:
    if notebooks.grade_id(release_cell):
        return notebooks.grade_id(cell) == notebooks.grade_id(release_cell)
    return cell.cell_type == release_cell.cell_type and cell.source == release_cell.source
