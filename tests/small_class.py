"""A small class handed in and not yet graded, and the gradebook plain `nbgrader autograde` leaves of it: the
yardstick of every other way the course grades (in parallel, on a cluster, with the gradebook on PostgreSQL)."""
from __future__ import annotations

import shutil
from pathlib import Path

from coursekit import synthetic, tp1
from coursekit.course import Course
from coursekit.tp1 import ASSIGNMENT
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
