"""`coursekit autograde`: several notebooks at once, the gradebook as sequential `nbgrader autograde` leaves
it, manual grades kept, a stuck or broken submission failing alone with a message, and a gradebook error
stopping the batch as it stops nbgrader's."""
from __future__ import annotations

import contextlib
import shutil
import sqlite3

import nbformat
import pytest
from nbgrader.api import Gradebook

from coursekit import grades, notebooks, synthetic, tp1
from coursekit.apps.autograde_app import read_log
from coursekit.course import CommandError, Course
from coursekit.tp1 import ASSIGNMENT, NOTEBOOK
from repository import REPOSITORY

CASES = {"gradient_sign_flipped", "loss_is_a_mean", "sgd_never_shuffles"}


@pytest.fixture(scope="module")
def submitted_class(tmp_path_factory) -> Course:
    """A course with a small class submitted and nothing graded: the reference, three mistakes, the release."""
    course = REPOSITORY.copy_to(tmp_path_factory.mktemp("class") / "course")
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    cases = [synthetic.Case.reference(), *(case for case in tp1.corpus_cases(REPOSITORY) if case.name in CASES)]
    synthetic.write_class(course, ASSIGNMENT, cases)
    return course


def copy_of(course: Course, destination) -> Course:
    shutil.copytree(course.root, destination)
    return Course(destination)


def test_parallel_grading_leaves_the_gradebook_sequential_nbgrader_leaves(submitted_class, tmp_path):
    sequential = copy_of(submitted_class, tmp_path / "sequential")
    parallel = copy_of(submitted_class, tmp_path / "parallel")
    sequential.nbgrader("autograde", ASSIGNMENT)
    output = parallel.coursekit("autograde", ASSIGNMENT, "--workers=2")

    contents = grades.gradebook_contents(parallel, ASSIGNMENT)
    assert contents == grades.gradebook_contents(sequential, ASSIGNMENT)
    students = {student for student, _, _ in contents}
    assert students == {"reference", synthetic.UNTOUCHED_RELEASE, *CASES}
    assert "5 graded, 0 failed" in output
    assert "autograde: 100%" in output  # the progress bar reached the end
    assert "database is locked" not in output
    for student in students:  # the autograded notebooks hold the executed test cells, as nbgrader writes them
        executed = notebooks.test_cells(notebooks.read(parallel.notebook(ASSIGNMENT, "autograded", student)))
        assert all(cell.execution_count for cell in executed.values()), student


def test_a_parallel_regrade_keeps_the_manual_grades_and_comments(submitted_class, tmp_path):
    course = copy_of(submitted_class, tmp_path / "course")
    course.coursekit("autograde", ASSIGNMENT)
    with Gradebook(course.db_url) as gradebook:
        gradebook.find_grade("q2_gradient", NOTEBOOK, ASSIGNMENT, "reference").manual_score = 1.25
        comment = gradebook.find_comment("q2_gradient", NOTEBOOK, ASSIGNMENT, "reference")
        comment.manual_comment = "Right sign; say why the slide's formula climbs the loss."
        gradebook.db.commit()
    before = grades.gradebook_contents(course, ASSIGNMENT)

    course.coursekit("autograde", ASSIGNMENT, "--force")

    after = grades.gradebook_contents(course, ASSIGNMENT)
    assert after == before
    assert after[("reference", NOTEBOOK, "q2_gradient")][1] == 1.25
    assert after[("reference", NOTEBOOK, "q2_gradient (comment)")][1].startswith("Right sign")


def test_a_stuck_and_a_broken_submission_fail_alone_with_a_message(submitted_class, tmp_path, master):
    course = copy_of(submitted_class, tmp_path / "course")
    release = notebooks.read(course.notebook(ASSIGNMENT, "release"))
    stuck = synthetic.fill(release, {**synthetic.Case.reference().solutions(master),
                                     "softmax": "def softmax(A):\n    while True:\n        pass"})
    for student, content in {"stuck": nbformat.writes(stuck), "broken": '{"cells": ['}.items():
        path = course.notebook(ASSIGNMENT, "submitted", student)
        path.parent.mkdir(parents=True)
        path.write_text(content)

    with pytest.raises(CommandError) as failure:
        course.coursekit("autograde", ASSIGNMENT, "--notebook-timeout=15")

    output = str(failure.value)
    assert "5 graded, 2 failed" in output
    outcomes = {outcome.student: outcome for outcome in read_log(course.root / "reports" / ASSIGNMENT /
                                                                 "autograde_log.csv")}
    assert "ran more than 15 s" in outcomes["stuck"].message
    assert "NotJSONError" in outcomes["broken"].message or "JSON" in outcomes["broken"].message
    assert all(outcome.graded for student, outcome in outcomes.items() if student not in {"stuck", "broken"})
    assert not (course.root / "autograded" / "stuck" / ASSIGNMENT).exists()  # as nbgrader: a failure leaves nothing
    assert grades.autograded_total(grades.notebook_grades(course, ASSIGNMENT, "reference"))[0] == 16


def test_a_gradebook_nbgrader_cannot_read_stops_the_batch_as_it_stops_nbgrader(submitted_class, tmp_path):
    course = copy_of(submitted_class, tmp_path / "course")
    # A column that a gradebook not brought up to date by `nbgrader db upgrade` lacks.
    with contextlib.closing(sqlite3.connect(course.root / "gradebook.db")) as database:
        database.execute("ALTER TABLE student DROP COLUMN lms_user_id")
    for command in (course.nbgrader, course.coursekit):
        with pytest.raises(CommandError) as failure:
            command("autograde", ASSIGNMENT)

        output = str(failure.value)
        assert output.count("run the command `nbgrader db upgrade`") == 1, output  # said once: the batch stopped
        assert "graded, " not in output  # no table of outcomes: no student's failure was recorded
        assert not list(course.root.glob(f"autograded/*/{ASSIGNMENT}"))
