"""The nbgrader pipeline on the synthetic class: grades, restored test cells, feedback and the grades CSV."""
from __future__ import annotations

import csv

import nbformat

from coursekit import grades, notebooks, synthetic
from coursekit.demo import student_id
from coursekit.tp1 import ASSIGNMENT
from repository import REPOSITORY

AUTOGRADED_MAXIMUM = 16


def test_reference_solution_earns_the_full_autograded_maximum(demo_course):
    score, maximum = grades.autograded_total(grades.notebook_grades(demo_course, ASSIGNMENT, student_id(demo_course, "reference")))
    assert maximum == AUTOGRADED_MAXIMUM
    assert score == AUTOGRADED_MAXIMUM


def test_untouched_release_scores_zero_and_every_test_fails_on_not_implemented(demo_course):
    untouched = student_id(demo_course, synthetic.UNTOUCHED_RELEASE)
    cell_grades = grades.notebook_grades(demo_course, ASSIGNMENT, untouched)
    assert grades.autograded_total(cell_grades) == (0, AUTOGRADED_MAXIMUM)
    autograded = notebooks.read(demo_course.notebook(ASSIGNMENT, "autograded", untouched))
    for cell_id, cell in notebooks.test_cells(autograded).items():
        errors = [output.ename for output in cell.outputs if output.output_type == "error"]
        assert errors == ["NotImplementedError"], cell_id


def test_written_answers_await_manual_grading(demo_course):
    cell_grades = grades.notebook_grades(demo_course, ASSIGNMENT, student_id(demo_course, "reference"))
    awaiting = {cell for cell, grade in cell_grades.items() if grade.score is None}
    assert awaiting == {"q1_principle", "q2_gradient", "q3_stochastic", "q4_learning_rate"}


def test_every_student_gets_a_feedback_page_with_their_score(demo_course):
    students = sorted(path.name for path in (demo_course.root / "submitted").iterdir())
    assert len(students) >= 3
    for student in students:
        page = demo_course.feedback_html(ASSIGNMENT, student).read_text()
        score, maximum = grades.autograded_total(grades.notebook_grades(demo_course, ASSIGNMENT, student))
        assert f"{score:g}" in page and "20" in page, student


def test_grades_csv_lists_every_student_with_their_score_and_status(demo_course):
    with open(demo_course.root / "grades.csv", newline="") as file:
        rows = {row["student_id"]: row for row in csv.DictReader(file)}
    graded = set(demo_course.students(ASSIGNMENT, "autograded"))
    assert graded < set(rows)  # and the students not graded, each with why (tests/plugins/test_grades_csv.py)
    for student in graded:
        row = rows[student]
        assert row["assignment"] == ASSIGNMENT and row["status"] in ("final", "provisional")
        assert float(row["max_score"]) == 20
        score, _ = grades.autograded_total(grades.notebook_grades(demo_course, ASSIGNMENT, student))
        assert float(row["score"]) == score, student


def test_a_tampered_test_cell_is_restored_from_the_master_before_grading(tmp_path, master):
    course = REPOSITORY.copy_to(tmp_path)
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    release = notebooks.read(course.notebook(ASSIGNMENT, "release"))
    submission = synthetic.fill(release, synthetic.Case.reference().solutions(master))
    notebooks.solution_cells(submission)["softmax"].source = "def softmax(A):\n    return np.exp(A) / np.exp(A).sum(axis=1, keepdims=True)"
    notebooks.test_cells(submission)["test_softmax_stability"].source = "print('all good')"
    path = course.notebook(ASSIGNMENT, "submitted", "tamperer")
    path.parent.mkdir(parents=True)
    nbformat.write(submission, path)
    course.nbgrader("autograde", ASSIGNMENT, "--student", "tamperer")
    assert grades.cells_losing_points(grades.notebook_grades(course, ASSIGNMENT, "tamperer")) == {"test_softmax_stability"}
    autograded = notebooks.read(course.notebook(ASSIGNMENT, "autograded", "tamperer"))
    restored = notebooks.test_cells(autograded)["test_softmax_stability"].source
    assert restored == notebooks.test_cells(master)["test_softmax_stability"].source


def test_the_same_submission_autograded_twice_gets_the_identical_grades(tmp_path, master):
    course = REPOSITORY.copy_to(tmp_path)
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    students = synthetic.write_class(course, ASSIGNMENT, [synthetic.Case.reference()], with_untouched_release=True)
    course.nbgrader("autograde", ASSIGNMENT)
    first = {student: grades.notebook_grades(course, ASSIGNMENT, student) for student in students}
    course.nbgrader("autograde", ASSIGNMENT, "--force")
    assert {student: grades.notebook_grades(course, ASSIGNMENT, student) for student in students} == first
