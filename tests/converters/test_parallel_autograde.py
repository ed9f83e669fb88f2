"""`coursekit autograde`: several notebooks at once, the gradebook as sequential `nbgrader autograde` leaves
it, manual grades kept, a stuck or broken submission failing alone with a message, a gradebook error stopping
the batch as it stops nbgrader's, and a batch interrupted or killed graded to the end by the next run."""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sqlite3

import nbformat
import pytest
from nbgrader.api import Gradebook

from background_batch import (NO_TIME_LIMIT, Batch, hand_in_a_hanging_notebook, has_autograded_scores, running,
                              wait_until)
from coursekit import grades, notebooks, synthetic, untrusted
from coursekit.grading_log import read_log
from coursekit.converters.parallel_autograde import unfinished_marker
from coursekit.course import CommandError, Course
from coursekit.tp1 import ASSIGNMENT
from small_class import CASES, check_a_regrade_keeps_the_manual_grades_and_comments, copy_of

NOTEBOOK_LIMIT = 120
HANGS = "hangs_forever"  # graded after gradient_sign_flipped, the first, and before the others


def handed_in(course: Course) -> list[str]:
    """The students who handed the assignment in, in the order nbgrader grades them."""
    return sorted(path.parent.name for path in course.root.glob(f"submitted/*/{ASSIGNMENT}"))


def test_parallel_grading_leaves_the_gradebook_sequential_nbgrader_leaves(submitted_class, sequentially_graded,
                                                                          tmp_path):
    parallel = copy_of(submitted_class, tmp_path / "parallel")
    output = parallel.coursekit("autograde", ASSIGNMENT, "--workers=2")

    contents = grades.gradebook_contents(parallel, ASSIGNMENT)
    assert contents == sequentially_graded
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
    check_a_regrade_keeps_the_manual_grades_and_comments(course)


def test_a_stuck_and_a_broken_submission_fail_alone_with_a_message(submitted_class, tmp_path, master):
    course = copy_of(submitted_class, tmp_path / "course")
    release = notebooks.read(course.notebook(ASSIGNMENT, "release"))
    stuck = synthetic.fill(release, {**synthetic.Case.reference().solutions(master),
                                     "softmax": "def softmax(A):\n    while True:\n        pass"})
    for student, content in {"stuck": nbformat.writes(stuck), "broken": '{"cells": [', "huge": ""}.items():
        path = course.notebook(ASSIGNMENT, "submitted", student)
        path.parent.mkdir(parents=True)
        path.write_text(content)
    # Put in submitted/ by hand, past the intake's bound: refused before nbgrader parses it (sparse, never read)
    os.truncate(course.notebook(ASSIGNMENT, "submitted", "huge"), untrusted.MAX_NOTEBOOK_BYTES + 1)

    # The whole-notebook limit, not the cell's, stops the loop: 120 s, far more than an honest notebook takes even on
    # a two-core machine running two test suites (about 20 s), so that only the stuck one reaches it.
    with pytest.raises(CommandError) as failure:
        course.coursekit("autograde", ASSIGNMENT, f"--notebook-timeout={NOTEBOOK_LIMIT}", "--Execute.timeout=3600")

    output = str(failure.value)
    assert "5 graded, 3 failed" in output
    outcomes = {outcome.student: outcome for outcome in read_log(course.root / "reports" / ASSIGNMENT /
                                                                 "autograde_log.csv")}
    assert f"ran more than {NOTEBOOK_LIMIT} s" in outcomes["stuck"].message
    assert "NotJSONError" in outcomes["broken"].message or "JSON" in outcomes["broken"].message
    assert "MiB a notebook may have" in outcomes["huge"].message
    assert all(outcome.graded for student, outcome in outcomes.items() if student not in {"stuck", "broken", "huge"})
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


def test_an_interrupted_batch_keeps_what_it_finished_and_the_next_run_grades_the_rest(
        submitted_class, sequentially_graded, tmp_path):
    course = copy_of(submitted_class, tmp_path / "course")
    first = handed_in(course)[0]
    # Graded second, a notebook that never ends: only the interrupt can stop the batch.
    hand_in_a_hanging_notebook(course, ASSIGNMENT, HANGS)
    batch = Batch.start(course, ASSIGNMENT, "--workers=1", *NO_TIME_LIMIT)
    wait_until(lambda: has_autograded_scores(course, ASSIGNMENT, first), f"{first}'s grades saved", batch)
    wait_until(batch.runs_a_kernel, f"a kernel running {HANGS}'s notebook", batch)
    started = batch.descendants()
    with pytest.raises(CommandError, match="another `coursekit autograde` is grading this course"):
        course.coursekit("autograde", ASSIGNMENT)  # a second batch at once would grade the same submissions

    batch.process.send_signal(signal.SIGINT)
    output = batch.wait()

    assert batch.process.returncode == 130, output
    assert not running(started), f"left running after the interrupt: {running(started)}"
    assert f"interrupted: 1 graded, {len(handed_in(course)) - 1} left for the next run" in output
    assert [outcome.student for outcome in read_log(log_path(course))] == [first]
    assert has_autograded_scores(course, ASSIGNMENT, first)
    assert [path.parent.name for path in course.root.glob(f"autograded/*/{ASSIGNMENT}")] == [first]
    with Gradebook(course.db_url) as gradebook:
        assert [submission.student_id for submission in gradebook.find_assignment(ASSIGNMENT).submissions] == [first]

    shutil.rmtree(course.notebook(ASSIGNMENT, "submitted", HANGS).parent)  # it would hang the next run too
    course.coursekit("autograde", ASSIGNMENT)

    # The log keeps the first's row of the interrupted batch, with its time: the rerun only skipped it.
    assert {outcome.student: outcome.message for outcome in read_log(log_path(course))} == dict.fromkeys(
        handed_in(course), "")
    assert all(outcome.seconds > 0 for outcome in read_log(log_path(course)))
    assert grades.gradebook_contents(course, ASSIGNMENT) == sequentially_graded


def test_a_batch_killed_outright_is_graded_again_where_it_stopped(submitted_class, sequentially_graded, tmp_path):
    course = copy_of(submitted_class, tmp_path / "course")
    third = handed_in(course)[2]
    batch = Batch.start(course, ASSIGNMENT, "--workers=1")
    # With one thread, the third is prepared once the first is finished, and executes once the second has.
    wait_until(course.notebook(ASSIGNMENT, "autograded", third).exists, f"{third}'s submission prepared", batch)

    batch.process.kill()
    batch.wait()

    half_graded = {student for student in handed_in(course) if course.notebook(ASSIGNMENT, "autograded", student)
                   .exists() and not has_autograded_scores(course, ASSIGNMENT, student)}
    assert third in half_graded
    for student in half_graded:  # nbgrader's generate_feedback copies each file of this folder into the feedback
        assert ({path.name for path in course.folder(ASSIGNMENT, "autograded", student).iterdir()} ==
                {path.name for path in course.folder(ASSIGNMENT, "submitted", student).iterdir()})

    with pytest.raises(CommandError, match="left half graded by a batch that was stopped"):
        course.coursekit("report", ASSIGNMENT)  # no report on grades that are not all there
    course.coursekit("autograde", ASSIGNMENT)

    outcomes = {outcome.student: outcome for outcome in read_log(log_path(course))}
    assert sorted(outcomes) == handed_in(course)
    # Graded again, not skipped as already graded.
    assert {student: outcomes[student].message for student in half_graded} == dict.fromkeys(half_graded, "")
    assert grades.gradebook_contents(course, ASSIGNMENT) == sequentially_graded


def test_an_interrupted_regrade_leaves_everyone_it_did_not_finish_to_the_next_plain_run(
        submitted_class, sequentially_graded, tmp_path):
    course = copy_of(submitted_class, tmp_path / "course")
    course.coursekit("autograde", ASSIGNMENT, "--workers=2")
    first = handed_in(course)[0]
    hand_in_a_hanging_notebook(course, ASSIGNMENT, HANGS)
    regrade = Batch.start(course, ASSIGNMENT, "--force", "--workers=1", *NO_TIME_LIMIT)
    # One thread: the hanging notebook is prepared while the first executes, and runs once the first is finished.
    wait_until(lambda: (course.notebook(ASSIGNMENT, "autograded", HANGS).exists() and regrade.runs_a_kernel()
                        and not unfinished_marker(course.folder(ASSIGNMENT, "autograded", first)).exists()),
               f"{first} regraded and {HANGS}'s notebook running", regrade)

    regrade.process.send_signal(signal.SIGINT)
    regrade.wait()

    # A plain run skips what autograded/ holds: only the first, regraded, is left there.
    assert [path.parent.name for path in course.root.glob(f"autograded/*/{ASSIGNMENT}")] == [first]
    shutil.rmtree(course.notebook(ASSIGNMENT, "submitted", HANGS).parent)
    course.coursekit("autograde", ASSIGNMENT)
    assert grades.gradebook_contents(course, ASSIGNMENT) == sequentially_graded
    assert sorted(path.parent.name for path in course.root.glob(f"autograded/*/{ASSIGNMENT}")) == handed_in(course)


def test_regrading_one_student_keeps_the_logged_outcomes_of_the_others(submitted_class, master, tmp_path):
    course = copy_of(submitted_class, tmp_path / "course")
    broken = course.notebook(ASSIGNMENT, "submitted", "broken")
    broken.parent.mkdir(parents=True)
    broken.write_text('{"cells": [')
    with pytest.raises(CommandError):
        course.coursekit("autograde", ASSIGNMENT, "--workers=2")
    first_run = {outcome.student: outcome for outcome in read_log(log_path(course))}
    assert not first_run["broken"].graded

    # The student hands in a readable notebook; the instructor regrades that student alone.
    release = notebooks.read(course.notebook(ASSIGNMENT, "release"))
    nbformat.write(synthetic.fill(release, synthetic.Case.reference().solutions(master)), broken)
    output = course.coursekit("autograde", ASSIGNMENT, "--force", "--student=broken")

    assert "1 graded, 0 failed" in output
    logged = {outcome.student: outcome for outcome in read_log(log_path(course))}
    assert sorted(logged) == sorted([*handed_in(submitted_class), "broken"])
    assert {student: logged[student] for student in handed_in(submitted_class)} == {
        student: first_run[student] for student in handed_in(submitted_class)}
    assert (logged["broken"].graded, logged["broken"].message) == (True, "")
    assert all(outcome.graded and outcome.seconds > 0 for outcome in logged.values()), logged


def log_path(course: Course):
    return course.root / "reports" / ASSIGNMENT / "autograde_log.csv"
