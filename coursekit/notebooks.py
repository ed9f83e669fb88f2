"""Reading the master and release notebooks cell by cell, through their nbgrader ids."""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
from nbformat import NotebookNode

_SOLUTION_MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$")
_PART_HEADING = re.compile(r"^## +(?P<title>.+?)\s*$", re.MULTILINE)


def read(path: Path) -> NotebookNode:
    return nbformat.read(path, as_version=4)


def nbgrader_metadata(cell: NotebookNode) -> dict:
    return cell.metadata.get("nbgrader", {})


def grade_id(cell: NotebookNode) -> str | None:
    return nbgrader_metadata(cell).get("grade_id")


def solution_cells(notebook: NotebookNode) -> dict[str, NotebookNode]:
    """The cells students write in (code and written answers), by grade id."""
    return {grade_id(cell): cell for cell in notebook.cells if nbgrader_metadata(cell).get("solution")}


UNGRADED_EXERCISE = "ungraded-exercise"  # the tag of the solution cells of exercises that no test grades


def ungraded_exercises(notebook: NotebookNode) -> dict[str, NotebookNode]:
    """The solution cells of the ungraded exercises (plots, experiments), by grade id."""
    return {cell_id: cell for cell_id, cell in solution_cells(notebook).items()
            if UNGRADED_EXERCISE in cell.metadata.get("tags", [])}


def is_test_cell(cell: NotebookNode) -> bool:
    """An autograded test cell: graded, and not a cell students write in."""
    return bool(nbgrader_metadata(cell).get("grade") and not nbgrader_metadata(cell).get("solution"))


def test_cells(notebook: NotebookNode) -> dict[str, NotebookNode]:
    """The autograded test cells, by grade id."""
    return {grade_id(cell): cell for cell in notebook.cells if is_test_cell(cell)}


def test_points(notebook: NotebookNode) -> dict[str, float]:
    """The points of each autograded test cell, by grade id, in notebook order."""
    return {cell_id: cell.metadata.nbgrader.points for cell_id, cell in test_cells(notebook).items()}


def parts(notebook: NotebookNode) -> dict[str, str]:
    """The part of the notebook each graded cell is in, by grade id: the title of the last level-2 heading above it
    (its short form, before a dash: `Part 2` for `## Part 2 — The model`), or "" above the first heading."""
    part, in_part = "", {}
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for heading in _PART_HEADING.finditer(cell.source):
                part = re.split(r"\s+[—–-]\s+", heading["title"], maxsplit=1)[0]
        if nbgrader_metadata(cell).get("grade"):
            in_part[grade_id(cell)] = part
    return in_part


def error_message(output: NotebookNode) -> str:
    """An error output as a reader sees its last line: `ErrorName: message` (the name alone if it has none)."""
    value = (output.get("evalue") or "").strip()
    return f"{output.get('ename')}: {value}" if value else str(output.get("ename"))


def error_line(output: NotebookNode) -> str:
    """An error output's `ErrorName: message`, its first line only."""
    return error_message(output).split("\n")[0]


def without_solution_markers(source: str) -> str:
    """A solution cell's source as a student would write it: the master's code without the ### markers."""
    return "\n".join(line for line in source.split("\n") if not _SOLUTION_MARKER.match(line))


def reference_solutions(master: NotebookNode) -> dict[str, str]:
    """The master notebook's solution of every solution cell, by grade id."""
    return {cell_id: without_solution_markers(cell.source) for cell_id, cell in solution_cells(master).items()}
