"""The hostile batch: every case of tests/hostile/cases.py handed in with two honest students, taken in and
graded in one `coursekit autograde` run, in the sandbox. One batch serves every test that looks at its results
(grades, the kernels' reach, the feedback pages, the formgrader, the class report)."""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

import nbformat
from nbformat import NotebookNode
from nbgrader.api import Gradebook

from coursekit import notebooks, synthetic
from coursekit.course import CommandError, Course
from coursekit.tp1 import ASSIGNMENT, NOTEBOOK_FILE

from .cases import CASES, HONEST

HONEST_STUDENTS = [HONEST, f"{HONEST}_2"]
DUE_DATE = "2026-11-19 18:00:00"


@dataclass(frozen=True)
class Batch:
    course: Course
    intake_report: str
    seconds: float  # the autograde command, for the record (timing is measured in bench/, not asserted)
    files_before: dict[str, str]


def fingerprints(course: Course) -> dict[str, str]:
    """A hash of every file a submission must not change: the course's own, and the honest students'."""
    folders = [course.root / "source", course.root / "release",
               *(course.root / "submitted" / student for student in HONEST_STUDENTS)]
    return {str(path): hashlib.sha256(path.read_bytes()).hexdigest()
            for folder in folders for path in sorted(folder.rglob("*")) if path.is_file()}


def grade(course: Course, master: NotebookNode) -> Batch:
    """Hand in every case and the honest students, take them in, autograde them in one batch."""
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    release = notebooks.read(course.notebook(ASSIGNMENT, "release"))
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
