"""Reading notebooks cell by cell, in-process: which function each test cell judges, and when a submission is the
release handed back untouched or another notebook."""
from __future__ import annotations

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from coursekit import notebooks


def cell(source: str, grade_id: str, solution: bool = False, grade: bool = False, outputs=()):
    metadata = {"nbgrader": {"grade_id": grade_id, "solution": solution, "grade": grade, "locked": not solution,
                             "schema_version": 3, **({"points": 1} if grade else {})}}
    return new_code_cell(source, metadata=metadata, outputs=list(outputs))


STUB = "def softmax(A):\n    raise NotImplementedError()"
FAILED = new_output("error", ename="NotImplementedError", evalue="", traceback=[])


def test_each_test_cell_judges_the_function_it_is_named_after_or_the_last_one_before_it():
    notebook = new_notebook(cells=[cell("", "softmax", solution=True), cell("", "test_softmax_stability", grade=True),
                                   new_markdown_cell("## Part 2"), cell("", "features", solution=True),
                                   cell("", "test_circles_accuracy", grade=True)])
    assert notebooks.tested_functions(notebook) == {"test_softmax_stability": "softmax",
                                                    "test_circles_accuracy": "features"}


def test_the_release_handed_back_is_untouched_another_notebook_is_said_so_and_work_is_neither():
    released = {"softmax": STUB}
    untouched = new_notebook(cells=[cell(STUB, "softmax", solution=True),
                                    cell("", "test_softmax", grade=True, outputs=[FAILED])])
    assert notebooks.handed_in_as(untouched, released) == notebooks.UNTOUCHED
    another = new_notebook(cells=[cell("", "test_softmax", grade=True, outputs=[FAILED])])
    assert notebooks.handed_in_as(another, released) == notebooks.ANOTHER_NOTEBOOK
    written = new_notebook(cells=[cell("def softmax(A):\n    return A", "softmax", solution=True),
                                  cell("", "test_softmax", grade=True, outputs=[FAILED])])
    assert notebooks.handed_in_as(written, released) is None


def test_work_written_in_cells_of_the_students_own_is_never_called_untouched():
    """The stubs handed back as released, the solution in a new cell below: a test passes, so it is work."""
    notebook = new_notebook(cells=[cell(STUB, "softmax", solution=True), new_code_cell("def softmax(A): ..."),
                                   cell("", "test_softmax", grade=True)])
    assert notebooks.handed_in_as(notebook, {"softmax": STUB}) is None
