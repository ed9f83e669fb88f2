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


def tested_functions(notebook: NotebookNode) -> dict[str, str]:
    """The function each test cell judges, by test cell: the one it is named after (`test_softmax_stability`:
    `softmax`), or else the last one written before it (a test of what that function makes possible)."""
    functions, tested, last = set(), {}, ""
    for cell in notebook.cells:
        metadata = nbgrader_metadata(cell)
        graded_function = cell.cell_type == "code" and UNGRADED_EXERCISE not in cell.metadata.get("tags", [])
        if metadata.get("solution") and graded_function:
            last = metadata["grade_id"]
            functions.add(last)
        elif is_test_cell(cell):
            name = metadata["grade_id"].removeprefix("test_")
            named = [function for function in functions if name == function or name.startswith(f"{function}_")]
            tested[metadata["grade_id"]] = max(named, key=len) if named else last
    return tested


def parts(notebook: NotebookNode) -> dict[str, str]:
    """The part of the notebook each graded cell is in, by grade id: the title of the last level-2 heading above it
    (`Part 2 — The model`), or "" above the first heading."""
    part, in_part = "", {}
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for heading in _PART_HEADING.finditer(cell.source):
                part = heading["title"]
        if nbgrader_metadata(cell).get("grade"):
            in_part[grade_id(cell)] = part
    return in_part


UNTOUCHED, ANOTHER_NOTEBOOK = "untouched", "another notebook"


def handed_in_as(notebook: NotebookNode, released: dict[str, str]) -> str | None:
    """Whether an autograded submission is the release handed back with nothing written (UNTOUCHED), or a notebook
    that has none of its solution cells (ANOTHER_NOTEBOOK), from the released source of each solution cell by grade
    id; else None. Never while a test cell passed: work written in cells of the student's own earns points too."""
    written = solution_cells(notebook)
    if any(not any(output.get("output_type") == "error" for output in cell.get("outputs", []))
           for cell in test_cells(notebook).values()):
        return None
    if not set(written) & set(released):
        return ANOTHER_NOTEBOOK
    if all(written[cell_id].source.strip() == source.strip() for cell_id, source in released.items()
           if cell_id in written):
        return UNTOUCHED
    return None


def not_their_work(handed_in: str) -> str:
    """What the tables say of a submission handed_in_as calls UNTOUCHED or ANOTHER_NOTEBOOK."""
    return f"{handed_in}: nothing of the student's in it"


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
