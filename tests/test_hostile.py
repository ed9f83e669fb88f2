"""Hostile and broken submissions (tests/hostile/cases.py) graded in one batch with two honest students,
through the real pipeline: intake, `coursekit autograde` in the sandbox, the gradebook."""
from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from coursekit import grades, notebooks
from coursekit.grading_log import read_log
from coursekit.course import Course
from coursekit.tp1 import ASSIGNMENT

from hostile.batch import HONEST_STUDENTS, fingerprints
from feedback_pages import leaked_lines, page_text, secret_lines
from hostile.cases import ALL_TESTS, CASES, HONEST


def outputs_of(course: Course, student: str, cell_id: str) -> str:
    autograded = notebooks.read(course.notebook(ASSIGNMENT, "autograded", student))
    cell = next(cell for cell in autograded.cells if notebooks.grade_id(cell) == cell_id)
    return "\n".join(str(output.get("text", "")) + str(output.get("evalue", "")) + str(output.get("ename", ""))
                     for output in cell.get("outputs", []))


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_case_gets_the_grade_its_code_deserves_and_says_what_happened(hostile_batch, case):
    expected = case.expected
    outcomes = {outcome.student: outcome for outcome in read_log(hostile_batch.course.root / "reports" / ASSIGNMENT /
                                                                 "autograde_log.csv")}
    if expected.intake_rejects:
        assert any(case.name in line and expected.intake_rejects in line
                   for line in hostile_batch.intake_report.splitlines()), hostile_batch.intake_report
        assert case.name not in outcomes
        return
    assert outcomes[case.name].graded, outcomes[case.name].message
    cell_grades = grades.notebook_grades(hostile_batch.course, ASSIGNMENT, case.name)
    assert grades.autograded_total(cell_grades)[1] == 16  # no cheat changes what the tests are worth
    losing = grades.cells_losing_points(cell_grades)
    if expected.may_lose_points_in is None:
        assert losing == set(expected.loses_points_in)
    else:
        assert set(expected.loses_points_in) <= losing <= expected.may_lose_points_in
    if expected.cell_output:
        cell_id, words = expected.cell_output
        assert words in outputs_of(hostile_batch.course, case.name, cell_id)
    with Gradebook(hostile_batch.course.db_url) as gradebook:
        assert (gradebook.find_submission(ASSIGNMENT, case.name).total_seconds_late > 0) == expected.late
    everything = notebooks.read(hostile_batch.course.notebook(ASSIGNMENT, "autograded", case.name))
    notes = [cell.source for cell in everything.cells if cell.source.startswith("**Note from the grader.**")]
    assert (expected.note is None) == (not notes) and all(expected.note in note for note in notes), notes
    text = "\n".join(str(output) for cell in everything.cells for output in cell.get("outputs", []))
    assert "LEAKED" not in text and "CONNECTED" not in text


def test_the_honest_students_in_the_same_batch_are_graded_normally(hostile_batch):
    for student in HONEST_STUDENTS:
        assert grades.autograded_total(grades.notebook_grades(hostile_batch.course, ASSIGNMENT, student)) == (16, 16), student


def test_no_feedback_page_holds_a_line_of_the_hidden_tests_whatever_the_submission_printed(hostile_feedback, master,
                                                                                        release):
    secrets = secret_lines(master, release)
    for page in sorted((hostile_feedback.root / "feedback").glob(f"*/{ASSIGNMENT}/*.html")):
        leaked = leaked_lines(page_text(page), secrets)
        assert not leaked, f"{page.parts[-3]}'s feedback shows {len(leaked)} hidden-test lines: {sorted(leaked)[:2]}"
    for student in HONEST_STUDENTS:  # and honest work is shown whole
        assert "a line of the hidden tests was removed" not in hostile_feedback.feedback_html(ASSIGNMENT, student).read_text()


def test_untouched_notebooks_earn_nothing_whatever_they_register(hostile_batch):
    untouched = [case.name for case in CASES if case.expected.loses_points_in == ALL_TESTS]
    assert len(untouched) > 8
    for student in untouched:
        assert grades.autograded_total(grades.notebook_grades(hostile_batch.course, ASSIGNMENT, student))[0] == 0, student


def test_course_files_and_other_students_files_are_intact(hostile_batch):
    assert fingerprints(hostile_batch.course) == hostile_batch.files_before
    with contextlib.closing(sqlite3.connect(hostile_batch.course.root / "gradebook.db")) as gradebook:
        assert gradebook.execute("pragma integrity_check").fetchone() == ("ok",)


def test_without_bubblewrap_grading_refuses_to_start_unless_told(hostile_batch, tmp_path):
    environment = {**os.environ, "PATH": str(Path(sys.executable).parent)}  # no /usr/bin: no bwrap
    command = [str(Path(sys.executable).parent / "coursekit"), "autograde", ASSIGNMENT, f"--student={HONEST}",
               "--force"]
    refused = subprocess.run(command, cwd=hostile_batch.course.root, env=environment, capture_output=True, text=True)
    assert refused.returncode != 0
    assert "Refusing to grade: bubblewrap is not installed" in refused.stdout + refused.stderr


def test_no_autograded_notebook_grows_past_the_output_caps(hostile_batch):
    """1 MiB of output a cell, display updates ignored: a submission cannot make its graded notebook huge."""
    for path in (hostile_batch.course.root / "autograded").glob(f"*/{ASSIGNMENT}/*.ipynb"):
        assert path.stat().st_size < 16 * 2**20, f"{path.parts[-3]}'s autograded notebook: {path.stat().st_size} bytes"
