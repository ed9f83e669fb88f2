"""A course with two assignments side by side: TP1 and a small second one of two notebooks, each taken in, graded in
parallel, given feedback, exported and reported on by the same commands, none of which knows either by name."""
from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from coursekit import grades, notebooks, synthetic, tp1
from coursekit.course import Course
from repository import REPOSITORY

SECOND = "tp2"
SOLUTION_CELL = {"grade": False, "solution": True, "locked": False}
IMPORTS = new_code_cell("import numpy as np", metadata={"nbgrader": {"grade": False, "solution": False, "locked": True,
                                                                    "grade_id": "imports"}})
MASTER = {
    "vectors": [
        new_markdown_cell("# Vectors\nThe length of each row of a matrix."),
        IMPORTS,
        new_code_cell('def row_norms(X):\n    """The Euclidean norm of each row of X."""\n    ### BEGIN SOLUTION\n'
                      "    return np.sqrt((X ** 2).sum(axis=1))\n    ### END SOLUTION",
                      metadata={"nbgrader": {**SOLUTION_CELL, "grade_id": "row_norms"}}),
        new_code_cell('assert np.allclose(row_norms(np.array([[3.0, 4.0]])), [5.0]), "row_norms([[3, 4]]) should be [5]"\n'
                      "### BEGIN HIDDEN TESTS\n"
                      'assert np.allclose(row_norms(np.array([[0.0, -2.0], [1.0, 0.0]])), [2.0, 1.0]), '
                      '"a row with a negative entry has a positive norm"\n'
                      "### END HIDDEN TESTS",
                      metadata={"nbgrader": {"grade": True, "solution": False, "locked": True, "points": 2,
                                             "grade_id": "test_row_norms"}}),
        new_markdown_cell("Why the square root?\n\n=== BEGIN MARK SCHEME ===\nA norm scales with its vector.\n"
                          "=== END MARK SCHEME ===",
                          metadata={"nbgrader": {"grade": True, "solution": True, "locked": False, "points": 1,
                                                 "grade_id": "why_sqrt"}}),
    ],
    "angles": [
        IMPORTS,
        new_code_cell("def cosine(u, v):\n    ### BEGIN SOLUTION\n"
                      "    return u @ v / np.sqrt((u @ u) * (v @ v))\n    ### END SOLUTION",
                      metadata={"nbgrader": {**SOLUTION_CELL, "grade_id": "cosine"}}),
        new_code_cell('assert np.isclose(cosine(np.array([1.0, 0.0]), np.array([1.0, 1.0])), 0.5 ** 0.5), '
                      '"cosine([1, 0], [1, 1]) should be 1/sqrt(2)"',
                      metadata={"nbgrader": {"grade": True, "solution": False, "locked": True, "points": 1,
                                             "grade_id": "test_cosine"}}),
    ],
}
# Each student's solutions, by notebook; a notebook left out is not handed in.
SECOND_CLASS = {
    "ada": {"vectors": {}, "angles": {}},
    "ben": {"vectors": {"row_norms": "def row_norms(X):\n    return (X ** 2).sum(axis=1)"}, "angles": {}},
    "cy": {"vectors": {}},
}
FIRST_CLASS = {"ada": "reference", "ben": "loss_is_a_mean"}


def write_master(course: Course) -> None:
    for name, cells in MASTER.items():
        path = course.notebook(SECOND, "source", notebook=name)
        path.parent.mkdir(parents=True, exist_ok=True)
        notebook = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                                      "language": "python"}})
        for cell in notebook.cells:
            cell.metadata.get("nbgrader", {})["schema_version"] = 3
        nbformat.write(notebook, path)


def hand_in_second(course: Course, folder: Path) -> Path:
    """The second assignment's hand-in: each student's notebooks, the master's solutions but their own, and a stray
    file."""
    for student, handed in SECOND_CLASS.items():
        for name, own in handed.items():
            master = notebooks.read(course.notebook(SECOND, "source", notebook=name))
            release = notebooks.read(course.notebook(SECOND, "release", notebook=name))
            (folder / student).mkdir(parents=True, exist_ok=True)
            nbformat.write(synthetic.fill(release, {**notebooks.reference_solutions(master), **own}),
                           folder / student / f"{name}.ipynb")
    (folder / "ben" / "notes.txt").write_text("my notes")
    return folder


def hand_in_first(course: Course, folder: Path) -> Path:
    cases = {case.name: case for case in [synthetic.Case.reference(), *tp1.corpus_cases(REPOSITORY)]}
    for student, case in FIRST_CLASS.items():
        notebook = synthetic.submissions(course, tp1.ASSIGNMENT, [cases[case]], with_untouched_release=False)[case]
        (folder / student).mkdir(parents=True)
        nbformat.write(notebook, folder / student / tp1.NOTEBOOK_FILE)
    return folder


@pytest.fixture(scope="module")
def two_assignments(tmp_path_factory) -> dict[str, str]:
    """A course with TP1 and the second assignment, each through the whole pipeline; what each command said."""
    course = REPOSITORY.copy_to(tmp_path_factory.mktemp("two") / "course")
    write_master(course)
    said = {}
    for assignment, hand_in in {tp1.ASSIGNMENT: hand_in_first, SECOND: hand_in_second}.items():
        course.nbgrader("generate_assignment", assignment, "--force")
        folder = hand_in(course, course.root / "hand-in" / assignment)
        said[f"intake {assignment}"] = course.coursekit("intake", assignment, "--folder", str(folder))
        said[f"autograde {assignment}"] = course.coursekit("autograde", assignment, "--workers=2")
        course.nbgrader("generate_feedback", assignment)
        said[f"report {assignment}"] = course.coursekit("report", assignment)
    course.nbgrader("export", "--exporter=coursekit.plugins.PerTestCsvExportPlugin", "--to", "per_test.csv")
    return {"root": str(course.root), **said}


@pytest.fixture(scope="module")
def course(two_assignments) -> Course:
    return Course(Path(two_assignments["root"]))


def test_the_intake_takes_every_notebook_of_the_assignment_and_says_what_is_missing(two_assignments, course):
    said = two_assignments[f"intake {SECOND}"]
    assert said.startswith("3 submissions accepted, 1 entries skipped"), said
    assert "student ben: ben/notes.txt: not a notebook: only vectors.ipynb and angles.ipynb are graded" in said \
        or "student ben: ben/notes.txt: not a notebook: only angles.ipynb and vectors.ipynb are graded" in said, said
    assert "student cy handed in no angles.ipynb" in said, said
    assert course.students(SECOND, "submitted") == ["ada", "ben", "cy"]
    assert course.students(tp1.ASSIGNMENT, "submitted") == ["ada", "ben"]


def test_each_assignment_is_graded_on_its_own_notebooks(two_assignments, course):
    assert "3 graded, 0 failed" in two_assignments[f"autograde {SECOND}"]
    assert "2 graded, 0 failed" in two_assignments[f"autograde {tp1.ASSIGNMENT}"]
    second = {student: grades.submission_grades(course, SECOND, student) for student in SECOND_CLASS}
    assert {student: grades.autograded_total(cells) for student, cells in second.items()} == {
        "ada": (3, 3), "ben": (1, 3), "cy": (2, 3)}
    assert grades.cells_losing_points(second["ben"]) == {"vectors: test_row_norms"}
    assert second["ada"]["vectors: why_sqrt"].score is None  # the written answer awaits its grade
    first = {student: grades.notebook_grades(course, tp1.ASSIGNMENT, student) for student in FIRST_CLASS}
    assert grades.autograded_total(first["ada"]) == (16, 16)
    assert "test_cross_entropy" in grades.cells_losing_points(first["ben"])


def test_the_feedback_of_each_notebook_says_what_to_fix(course):
    page = course.feedback_html(SECOND, "ben", "vectors").read_text()
    assert "What to fix first" in page
    assert "row_norms([[3, 4]]) should be [5]" in page
    assert "a row with a negative entry" not in page  # the hidden test stays hidden
    assert course.feedback_html(SECOND, "ben", "angles").is_file()
    assert course.feedback_html(tp1.ASSIGNMENT, "ben").is_file()


def test_the_per_test_export_has_a_column_per_graded_cell_of_both_assignments(course):
    with (course.root / "per_test.csv").open() as file:
        rows = {(row["assignment"], row["student_id"]): row for row in csv.DictReader(file)}
    assert rows[(SECOND, "ben")][f"{SECOND}:vectors:test_row_norms"] == "0.0"
    assert rows[(SECOND, "ben")][f"{SECOND}:angles:test_cosine"] == "1.0"
    assert rows[(SECOND, "cy")][f"{SECOND}:angles:test_cosine"] == "0.0"
    assert float(rows[(tp1.ASSIGNMENT, "ada")][f"{tp1.ASSIGNMENT}:tp1_sgd:test_softmax"]) > 0
    assert rows[(tp1.ASSIGNMENT, "ada")][f"{SECOND}:vectors:test_row_norms"] == ""  # not a cell of TP1


def test_each_assignment_has_its_own_class_report(two_assignments, course):
    for assignment in (tp1.ASSIGNMENT, SECOND):
        page = (course.root / "reports" / assignment / "class_report.html").read_text()
        assert f"<h1>Class report: {assignment}</h1>" in page
    second = (course.root / "reports" / SECOND / "class_report.html").read_text()
    assert "vectors: test_row_norms" in second
    assert "row_norms([[#, #]]) should be [#]" in second
    assert "3 students: 3 graded (" in second


def test_the_self_check_runs_every_notebook_of_any_assignment(course, tmp_path):
    notebooks_handed_out = []
    for name in MASTER:
        notebooks_handed_out.append(tmp_path / f"{name}.ipynb")
        shutil.copyfile(course.notebook(SECOND, "release", notebook=name), notebooks_handed_out[-1])
    checked = subprocess.run([str(Path(sys.executable).parent / "coursekit"), "selfcheck", *map(str, notebooks_handed_out)],
                             capture_output=True, text=True)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    for name, test in {"vectors": "test_row_norms", "angles": "test_cosine"}.items():
        assert f"{name}.ipynb" in checked.stdout and test in checked.stdout, checked.stdout
    assert checked.stdout.count("NotImplementedError") == 2
