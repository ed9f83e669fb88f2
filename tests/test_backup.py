"""The gradebook backed up before every `coursekit autograde` batch, and put back when a batch is interrupted."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from coursekit import grades, synthetic
from coursekit.course import Course
from coursekit.tp1 import ASSIGNMENT, NOTEBOOK
from repository import REPOSITORY

FIRST = "aaa_first_graded"  # nbgrader grades students in name order


def graded_class(folder: Path) -> Course:
    course = REPOSITORY.copy_to(folder)
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    cases = [synthetic.Case.reference(), synthetic.Case(FIRST, "", {}, frozenset())]
    synthetic.write_class(course, ASSIGNMENT, cases, with_untouched_release=False)
    course.coursekit("autograde", ASSIGNMENT)
    with Gradebook(course.db_url) as gradebook:
        gradebook.find_grade("q1_principle", NOTEBOOK, ASSIGNMENT, FIRST).manual_score = 0.5
        gradebook.db.commit()
    return course


def first_students_score(course: Course) -> float:
    return grades.autograded_total(grades.notebook_grades(course, ASSIGNMENT, FIRST))[0]


def test_an_interrupted_regrade_leaves_the_gradebook_as_it_was_and_a_backup_behind(tmp_path):
    course = graded_class(tmp_path / "course")
    before = grades.gradebook_contents(course, ASSIGNMENT)
    # The first student hands in the untouched release instead: a finished regrade would give them 0.
    untouched = synthetic.submissions(course, ASSIGNMENT, [], with_untouched_release=True)[synthetic.UNTOUCHED_RELEASE]
    nbformat.write(untouched, course.notebook(ASSIGNMENT, "submitted", FIRST))
    regrade = subprocess.Popen([str(Path(sys.executable).parent / "coursekit"), "autograde", ASSIGNMENT, "--force",
                                "--workers=1"], cwd=course.root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               env={**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"})
    deadline = time.monotonic() + 120
    while first_students_score(course) != 0 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert first_students_score(course) == 0, "the regrade should have written the first student's new grade"
    regrade.send_signal(signal.SIGINT)
    regrade.wait(timeout=120)

    assert regrade.returncode != 0
    assert grades.gradebook_contents(course, ASSIGNMENT) == before  # manual grade included
    backups = sorted((course.root / "backups").glob("gradebook-*.db"))
    assert len(backups) == 2  # one per batch
    backed_up = course.copy_to(tmp_path / "backed_up")
    shutil.copyfile(backups[-1], backed_up.root / "gradebook.db")
    assert grades.gradebook_contents(backed_up, ASSIGNMENT) == before
