"""A small class handed in and not yet graded, and the gradebook plain `nbgrader autograde` leaves of it: the
yardstick of every other way the course grades (in parallel, on a cluster, with the gradebook on PostgreSQL)."""
from __future__ import annotations

import shutil
from pathlib import Path

from nbgrader.api import Gradebook

from coursekit import grades, synthetic, tp1
from coursekit.course import Course
from coursekit.tp1 import ASSIGNMENT, NOTEBOOK
from repository import REPOSITORY

CASES = {"gradient_sign_flipped", "loss_is_a_mean", "sgd_never_shuffles"}  # mistakes of the corpus


def submitted(folder: Path) -> Course:
    """A course with the class submitted and nothing graded: the reference, the CASES, the release untouched."""
    course = REPOSITORY.copy_to(folder)
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    cases = [synthetic.Case.reference(), *(case for case in tp1.corpus_cases(REPOSITORY) if case.name in CASES)]
    synthetic.write_class(course, ASSIGNMENT, cases)
    return course


def copy_of(course: Course, destination: Path) -> Course:
    shutil.copytree(course.root, destination)
    return Course(destination)


def check_a_regrade_keeps_the_manual_grades_and_comments(course: Course) -> None:
    """In a graded course, grade the reference's Q2 by hand, with a comment, then regrade the class with
    `coursekit autograde --force`: the gradebook must hold what it held, that grade and comment included."""
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
