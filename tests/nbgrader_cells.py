"""Cells marked as nbgrader marks them, for the unit tests that build their notebooks in memory."""
from __future__ import annotations

from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook


def _marked(cell: NotebookNode, grade_id: str, *, solution=False, grade=False, locked=False, points=None):
    cell.metadata["nbgrader"] = {"grade_id": grade_id, "solution": solution, "grade": grade, "locked": locked,
                                 "schema_version": 3, **({"points": points} if grade else {})}
    return cell


def solution_cell(grade_id: str, source: str = "") -> NotebookNode:
    """A code cell the student writes in."""
    return _marked(new_code_cell(source), grade_id, solution=True)


def written_answer(grade_id: str, source: str = "", points: float = 1.0) -> NotebookNode:
    """A markdown answer, graded by hand."""
    return _marked(new_markdown_cell(source), grade_id, solution=True, grade=True, points=points)


def autograded_cell(grade_id: str, source: str = "", points: float = 1.0) -> NotebookNode:
    """A test cell (not named test_...: pytest would collect it)."""
    return _marked(new_code_cell(source), grade_id, grade=True, locked=True, points=points)


def read_only_cell(grade_id: str, source: str = "", cell_type: str = "code") -> NotebookNode:
    cell = new_code_cell(source) if cell_type == "code" else new_markdown_cell(source)
    return _marked(cell, grade_id, locked=True)


def notebook(*cells: NotebookNode) -> NotebookNode:
    return new_notebook(cells=list(cells))

