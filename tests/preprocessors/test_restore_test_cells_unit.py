"""RestoreTestCells on notebooks built in memory: whatever the student did to the test and read-only cells, the
release's come back in the release's places, the student's own cells keep their order, and a note says what changed."""
from __future__ import annotations

import copy

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell

from coursekit import notebooks
from coursekit.preprocessors import RestoreTestCells

from nbgrader_cells import autograded_cell, notebook, read_only_cell, solution_cell, written_answer

NOTE = "**Note from the grader.**"
RELEASE = notebook(
    new_markdown_cell("# The assignment"),
    read_only_cell("helpers", "def close(a, b):\n    return abs(a - b) < 1e-9"),
    solution_cell("softmax", "raise NotImplementedError"),
    autograded_cell("test_softmax", "assert close(softmax(0), 1)"),
    new_markdown_cell("## Part 2"),
    solution_cell("sgd", "raise NotImplementedError"),
    autograded_cell("test_sgd", "assert sgd() == 2", points=2.0),
    written_answer("q1"),
)
ANSWERS = {"softmax": "def softmax(a):\n    return 1", "sgd": "def sgd():\n    return 2", "q1": "Because."}


@pytest.fixture
def restore(tmp_path):
    """Grade a submission as `nbgrader autograde` would, against RELEASE saved in a course folder."""
    release = tmp_path / "release" / "tp9" / "lab.ipynb"
    release.parent.mkdir(parents=True)
    nbformat.write(RELEASE, release)
    preprocessor = RestoreTestCells(release_notebook=str(tmp_path / "release" / "{assignment}" / "{notebook}.ipynb"))

    def graded(submission):
        resources = {"nbgrader": {"assignment": "tp9", "notebook": "lab", "student": "ada"}}
        return preprocessor.preprocess(copy.deepcopy(submission), resources)[0]
    return graded


def handed_in():
    """The release with every answer written."""
    submission = copy.deepcopy(RELEASE)
    for cell in submission.cells:
        cell.source = ANSWERS.get(notebooks.grade_id(cell), cell.source)
    return submission


def layout(nb) -> list[str]:
    """Each cell by grade id, or by its source for a cell of no id; the grader's note left out."""
    return [notebooks.grade_id(cell) or cell.source for cell in nb.cells if not cell.source.startswith(NOTE)]


def note(nb) -> str | None:
    first = nb.cells[0].source
    return first if first.startswith(NOTE) else None


def cell(nb, grade_id):
    [found] = [cell for cell in nb.cells if notebooks.grade_id(cell) == grade_id]
    return found


def release_cell(grade_id):
    return cell(RELEASE, grade_id)


def test_a_submission_as_released_is_left_as_it_is_without_a_note(restore):
    graded = restore(handed_in())
    assert layout(graded) == layout(RELEASE) and note(graded) is None
    assert [cell.source for cell in graded.cells] == [cell.source for cell in handed_in().cells]


def test_a_deleted_test_cell_is_put_back_after_its_function_and_the_note_names_it(restore):
    submission = handed_in()
    submission.cells.remove(cell(submission, "test_sgd"))
    graded = restore(submission)
    assert layout(graded) == layout(RELEASE)
    assert cell(graded, "test_sgd") == release_cell("test_sgd")
    assert "test_sgd" in note(graded) and "test_softmax" not in note(graded)


def test_a_test_cell_moved_to_the_top_goes_back_below_its_function_and_only_it_is_named(restore):
    submission = handed_in()
    moved = cell(submission, "test_sgd")
    submission.cells.remove(moved)
    submission.cells.insert(0, moved)
    graded = restore(submission)
    assert layout(graded) == layout(RELEASE)
    assert "(test_sgd)" in note(graded)  # not the cells it jumped over


def test_a_duplicated_test_cell_is_graded_once_in_its_place(restore):
    submission = handed_in()
    submission.cells.append(copy.deepcopy(cell(submission, "test_softmax")))
    graded = restore(submission)
    assert layout(graded) == layout(RELEASE)
    assert "test_softmax" in note(graded)


def test_a_test_cell_whose_code_and_points_the_student_changed_is_the_releases_again(restore):
    submission = handed_in()
    tampered = cell(submission, "test_softmax")
    tampered.source = "pass"
    tampered.metadata.nbgrader.points = 100.0
    graded = restore(submission)
    assert cell(graded, "test_softmax") == release_cell("test_softmax")
    assert layout(graded) == layout(RELEASE)


def test_a_read_only_cell_turned_into_markdown_is_the_releases_code_cell_again(restore):
    submission = handed_in()
    cell(submission, "helpers").cell_type = "markdown"
    graded = restore(submission)
    assert cell(graded, "helpers") == release_cell("helpers")


def test_a_test_cell_stripped_of_its_metadata_stays_as_the_students_and_the_releases_is_put_back(restore):
    submission = handed_in()
    stripped = cell(submission, "test_sgd")
    del stripped.metadata["nbgrader"]
    graded = restore(submission)
    sources = [cell.source for cell in graded.cells]
    assert cell(graded, "test_sgd") == release_cell("test_sgd")
    assert sources.index(ANSWERS["sgd"]) + 1 == sources.index(release_cell("test_sgd").source)
    assert sources.count(release_cell("test_sgd").source) == 2  # the student's copy, now an ordinary cell
    assert "test_sgd" in note(graded)


def test_an_unknown_grade_id_and_a_repeated_one_become_ordinary_cells_named_in_the_note(restore):
    submission = handed_in()
    cell(submission, "test_softmax").metadata.nbgrader.grade_id = "test_softmax_mine"
    second_sgd = solution_cell("sgd", "def sgd():\n    return 3")
    submission.cells.append(second_sgd)
    graded = restore(submission)
    assert "test_softmax_mine" not in layout(graded) and "nbgrader" not in graded.cells[-1].metadata
    assert cell(graded, "sgd").source == ANSWERS["sgd"]  # the first one is graded
    assert cell(graded, "test_softmax") == release_cell("test_softmax")
    assert "test_softmax_mine" in note(graded) and "sgd" in note(graded)


def test_the_students_own_cells_keep_their_order_among_the_restored_ones(restore):
    submission = handed_in()
    own = [new_code_cell("scratch = 1"), new_markdown_cell("my notes"), new_code_cell("scratch += 1")]
    submission.cells.insert(3, own[0])  # between softmax and its test
    submission.cells.insert(0, own[1])
    submission.cells.append(own[2])
    submission.cells.remove(cell(submission, "test_softmax"))
    graded = restore(submission)
    protected = {"helpers", "test_softmax", "test_sgd"}
    assert [cell.source for cell in graded.cells if notebooks.grade_id(cell) not in protected][1:] == [
        cell.source for cell in submission.cells if notebooks.grade_id(cell) not in protected]
    kept = layout(graded)
    assert [name for name in kept if name in protected] == ["helpers", "test_softmax", "test_sgd"]
    assert kept.index("softmax") < kept.index("test_softmax") < kept.index("sgd")
