"""The grading log of an assignment, reports/<assignment>/autograde_log.csv: what became of each student's submission
in the batches that graded it, for the class report and every output that says who was not graded and why.

The log is the class's record, merged run after run: a student's row is replaced only when a run grades or fails them
again, so a run for one student (--student) or the rerun of an interrupted batch keeps the other students' times and
failures.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

LOG_COLUMNS = ["student", "graded", "seconds", "message"]
SKIPPED = "already graded: skipped"  # the outcome of a submission a batch found graded and left alone


@dataclass(frozen=True)
class SubmissionOutcome:
    """What became of one student's submission in a batch."""

    student: str
    graded: bool
    seconds: float  # the notebooks' execution, kernel start included
    message: str = ""  # why it failed, in one line


def log_path(course_root: Path, assignment: str) -> Path:
    """Where an assignment's grading log is kept, for the class report: reports/<assignment>/autograde_log.csv."""
    return course_root / "reports" / assignment / "autograde_log.csv"


def logged(course_root: Path, assignment: str) -> list[SubmissionOutcome]:
    """The outcomes an assignment's grading log holds; none before its first batch."""
    path = log_path(course_root, assignment)
    return read_log(path) if path.is_file() else []


def write_log(path: Path, outcomes: list[SubmissionOutcome]) -> None:
    """Merge a run's outcomes into the log (see merged_log), written whole to a file renamed over the old one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = merged_log(read_log(path) if path.is_file() else [], outcomes)
    partial = path.with_name(f".{path.name}.partial")
    with partial.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(LOG_COLUMNS)
        for outcome in rows:
            writer.writerow([outcome.student, int(outcome.graded), f"{outcome.seconds:.2f}", outcome.message])
    partial.replace(path)


def merged_log(logged: list[SubmissionOutcome], outcomes: list[SubmissionOutcome]) -> list[SubmissionOutcome]:
    """The log's rows once a run's outcomes are merged in, by student: a row is replaced by an outcome that graded
    or failed its student; an "already graded: skipped" outcome only fills in a student the log does not have."""
    rows = {outcome.student: outcome for outcome in logged}
    for outcome in outcomes:
        if outcome.message != SKIPPED or outcome.student not in rows:
            rows[outcome.student] = outcome
    return sorted(rows.values(), key=lambda outcome: outcome.student)


def graded_now(outcomes: list[SubmissionOutcome]) -> list[SubmissionOutcome]:
    """The outcomes of the submissions a run graded, not those it skipped as already graded."""
    return [outcome for outcome in outcomes if outcome.graded and outcome.message != SKIPPED]


def read_log(path: Path) -> list[SubmissionOutcome]:
    with path.open(newline="") as file:
        return [SubmissionOutcome(row["student"], row["graded"] == "1", float(row["seconds"]), row["message"])
                for row in csv.DictReader(file)]
