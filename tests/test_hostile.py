"""Hostile and broken submissions (tests/hostile/cases.py) graded in one batch with two honest students,
through the real pipeline: intake, `coursekit autograde` in the sandbox, the gradebook."""
from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from coursekit import grades, notebooks, synthetic
from coursekit.apps.autograde_app import read_log
from coursekit.course import ASSIGNMENT, NOTEBOOK_FILE, CommandError, Course

from hostile.cases import CASES, HONEST

HONEST_STUDENTS = [HONEST, f"{HONEST}_2"]
TIME_BOUND = 300  # seconds for the whole batch, on 2 cores
DUE_DATE = "2026-11-19 18:00:00"


@dataclass(frozen=True)
class Batch:
    course: Course
    intake_report: str
    seconds: float
    files_before: dict[str, str]


def fingerprints(course: Course) -> dict[str, str]:
    """A hash of every file a submission must not change: the course's own, and the honest students'."""
    folders = [course.root / "source", course.root / "release",
               *(course.root / "submitted" / student for student in HONEST_STUDENTS)]
    return {str(path): hashlib.sha256(path.read_bytes()).hexdigest()
            for folder in folders for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def batch(tmp_path_factory, master) -> Batch:
    course = Course.copy_of_repository(tmp_path_factory.mktemp("hostile") / "course")
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    release = notebooks.read(course.notebook("release"))
    reference = synthetic.fill(release, synthetic.Case.reference().solutions(master))
    hand_in = course.root.parent / "hand-in"
    for student in HONEST_STUDENTS:
        (hand_in / student).mkdir(parents=True)
        (hand_in / student / NOTEBOOK_FILE).write_bytes(nbformat.writes(reference).encode())
    for case in CASES:
        (hand_in / case.name).mkdir(parents=True)
        (hand_in / case.name / case.file_name).write_bytes(case.make(reference, release))
        if case.handed_in_at:
            (hand_in / case.name / "timestamp.txt").write_text(case.handed_in_at)
    with Gradebook(course.db_url) as gradebook:
        gradebook.update_or_create_assignment(ASSIGNMENT, duedate=DUE_DATE)
    report = course.coursekit("intake", ASSIGNMENT, "--folder", str(hand_in))
    before = fingerprints(course)
    start = time.perf_counter()
    try:
        course.coursekit("autograde", ASSIGNMENT)
    except CommandError:
        pass  # some submissions fail to grade: each test says which may
    return Batch(course, report, time.perf_counter() - start, before)


def outputs_of(course: Course, student: str, cell_id: str) -> str:
    autograded = notebooks.read(course.notebook("autograded", student))
    cell = next(cell for cell in autograded.cells if notebooks.grade_id(cell) == cell_id)
    return "\n".join(str(output.get("text", "")) + str(output.get("evalue", "")) + str(output.get("ename", ""))
                     for output in cell.get("outputs", []))


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_case_gets_the_grade_its_code_deserves_and_says_what_happened(batch, case):
    expected = case.expected
    outcomes = {outcome.student: outcome for outcome in read_log(batch.course.root / "reports" / ASSIGNMENT /
                                                                 "autograde_log.csv")}
    if expected.intake_rejects:
        assert any(case.name in line and expected.intake_rejects in line
                   for line in batch.intake_report.splitlines()), batch.intake_report
        assert case.name not in outcomes
        return
    assert outcomes[case.name].graded, outcomes[case.name].message
    cell_grades = grades.notebook_grades(batch.course, case.name)
    assert grades.autograded_total(cell_grades)[1] == 16  # no cheat changes what the tests are worth
    losing = grades.cells_losing_points(cell_grades)
    if expected.may_lose_points_in is None:
        assert losing == set(expected.loses_points_in)
    else:
        assert losing <= expected.may_lose_points_in
    if expected.cell_output:
        cell_id, words = expected.cell_output
        assert words in outputs_of(batch.course, case.name, cell_id)
    with Gradebook(batch.course.db_url) as gradebook:
        assert (gradebook.find_submission(ASSIGNMENT, case.name).total_seconds_late > 0) == expected.late
    everything = notebooks.read(batch.course.notebook("autograded", case.name))
    notes = [cell.source for cell in everything.cells if cell.source.startswith("**Note from the grader.**")]
    assert (expected.note is None) == (not notes) and all(expected.note in note for note in notes), notes
    text = "\n".join(str(output) for cell in everything.cells for output in cell.get("outputs", []))
    assert "LEAKED" not in text and "CONNECTED" not in text


def test_the_honest_students_in_the_same_batch_are_graded_normally(batch):
    for student in HONEST_STUDENTS:
        assert grades.autograded_total(grades.notebook_grades(batch.course, student)) == (16, 16), student


def test_course_files_and_other_students_files_are_intact(batch):
    assert fingerprints(batch.course) == batch.files_before
    with contextlib.closing(sqlite3.connect(batch.course.root / "gradebook.db")) as gradebook:
        assert gradebook.execute("pragma integrity_check").fetchone() == ("ok",)


def test_the_batch_finishes_within_its_time_bound(batch):
    assert batch.seconds < TIME_BOUND, f"{batch.seconds:.0f} s"


def test_without_bubblewrap_grading_refuses_to_start_unless_told(batch, tmp_path):
    environment = {**os.environ, "PATH": str(Path(sys.executable).parent)}  # no /usr/bin: no bwrap
    command = [str(Path(sys.executable).parent / "coursekit"), "autograde", ASSIGNMENT, f"--student={HONEST}",
               "--force"]
    refused = subprocess.run(command, cwd=batch.course.root, env=environment, capture_output=True, text=True)
    assert refused.returncode != 0
    assert "Refusing to grade: bubblewrap is not installed" in refused.stdout + refused.stderr
