"""The gradebook backed up before every `coursekit autograde` batch; a regrade interrupted keeps the grades it
finished, puts the rest back as it was, and leaves the backup of the gradebook as the batch found it; a gradebook
that cannot be backed up is refused, saying what to do. (On PostgreSQL: tests/test_postgresql.py.)"""
from __future__ import annotations

import shutil
import signal
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from background_batch import NO_TIME_LIMIT, Batch, hand_in_a_hanging_notebook, wait_until
from coursekit import backup, grades, synthetic
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


def test_an_interrupted_regrade_keeps_what_it_finished_puts_the_rest_back_and_leaves_a_backup(tmp_path):
    course = graded_class(tmp_path / "course")
    before = grades.gradebook_contents(course, ASSIGNMENT)
    # The first student hands in the untouched release instead: the regrade gives them 0. The other hands in a
    # notebook that never ends: only the interrupt stops the regrade.
    untouched = synthetic.submissions(course, ASSIGNMENT, [], with_untouched_release=True)[synthetic.UNTOUCHED_RELEASE]
    nbformat.write(untouched, course.notebook(ASSIGNMENT, "submitted", FIRST))
    hand_in_a_hanging_notebook(course, ASSIGNMENT, "reference")
    regrade = Batch.start(course, ASSIGNMENT, "--force", "--workers=1", *NO_TIME_LIMIT)
    wait_until(lambda: first_students_score(course) == 0, "the first student's new grade saved", regrade)
    wait_until(regrade.runs_a_kernel, "a kernel running the other student's notebook", regrade)

    regrade.process.send_signal(signal.SIGINT)
    output = regrade.wait()

    assert regrade.process.returncode == 130, output
    after = grades.gradebook_contents(course, ASSIGNMENT)
    assert first_students_score(course) == 0
    assert after[(FIRST, NOTEBOOK, "q1_principle")][1] == 0.5  # the manual grade
    assert {key: value for key, value in after.items() if key[0] != FIRST} == {
        key: value for key, value in before.items() if key[0] != FIRST}
    assert not course.folder(ASSIGNMENT, "autograded", "reference").exists()  # so the next run grades it again
    backups = sorted((course.root / "backups").glob("gradebook-*.db"))
    assert len(backups) == 2  # one per batch
    backed_up = course.copy_to(tmp_path / "backed_up")
    shutil.copyfile(backups[-1], backed_up.root / "gradebook.db")
    assert grades.gradebook_contents(backed_up, ASSIGNMENT) == before


def test_a_gradebook_neither_sqlite_nor_postgresql_is_refused_before_anything_is_written(tmp_path):
    with pytest.raises(backup.BackupError, match="set CourseDirectory.db_url"):
        backup.back_up("mysql://grader@localhost/tp", tmp_path / "backups")
    assert not (tmp_path / "backups").exists()


def test_a_postgresql_gradebook_without_pg_dump_names_the_package_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine without PostgreSQL's client programs
    with pytest.raises(backup.BackupError, match="postgresql-client"):
        backup.back_up("postgresql+psycopg2://grader@localhost/tp", tmp_path / "backups")
    assert not (tmp_path / "backups").exists()
