"""`coursekit autograde <assignment>`: nbgrader's autograde app, grading notebooks in parallel, ending with a table.

It takes nbgrader autograde's options (--force, --student, --log-level...) plus --workers,
--notebook-timeout and --scheduler (a Dask scheduler's address: the notebooks then execute on its
workers); it records each submission's outcome and time in reports/<assignment>/autograde_log.csv for
the class report (coursekit/grading_log.py). Interrupted (Ctrl-C), it keeps what it finished, says how
many submissions are left for the next run, and exits with status 130.
"""
from __future__ import annotations

import logging
import signal
import sys
import warnings
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.apps import AutogradeApp
from nbgrader.apps.baseapp import NbGrader
from nbgrader.converters import NbGraderException
from sqlalchemy.exc import SAWarning
from traitlets import default

from .. import grades, notebooks, sandbox, standing
from ..converters import ParallelAutograde
from ..course import Course
from ..grading_log import SKIPPED, SubmissionOutcome, graded_now, log_path, write_log

INTERRUPTED = 128 + signal.SIGINT  # the exit status of a program stopped by Ctrl-C, as shells report it


class ParallelAutogradeApp(AutogradeApp):
    name = "coursekit-autograde"
    description = "Autograde the submissions of an assignment, several notebooks at once"
    aliases = {**AutogradeApp.aliases, "workers": "ParallelAutograde.workers",
               "notebook-timeout": "ParallelAutograde.notebook_timeout", "scheduler": "ParallelAutograde.scheduler"}
    flags = {**AutogradeApp.flags, "unsandboxed": (
        {"SandboxedKernelManager": {"allow_unsandboxed": True}},
        "Grade even where bubblewrap cannot confine the kernels: the students' code then runs with your rights, "
        "the network and the course's files.")}

    @default("classes")
    def _classes_default(self):
        return [*super()._classes_default(), ParallelAutograde]

    @default("log_level")
    def _log_level_default(self) -> int:
        # The progress bar and the final table say what matters; nbgrader's warnings include one per test cell
        # with hidden tests for every student (its checksum differs from the release's): --log-level=WARNING.
        return logging.ERROR

    def start(self) -> None:
        NbGrader.start(self)
        # nbgrader 0.9's gradebook makes SQLAlchemy 2 warn, three times per submission, of a cascade it does not need
        # (plain `nbgrader autograde` shows them too): harmless, and they would bury the progress bar.
        warnings.filterwarnings("ignore", category=SAWarning, module=r"nbgrader\.api")
        if self.config.SandboxedKernelManager.get("allow_unsandboxed") and sandbox.sandbox_problem():
            self.log.warning("Grading WITHOUT a sandbox: %s", sandbox.sandbox_problem())
        if len(self.extra_args) != 1:
            self.fail("Give the assignment id, and only it, as argument: coursekit autograde <assignment>")
        self.coursedir.assignment_id = self.extra_args[0]
        converter = ParallelAutograde(coursedir=self.coursedir, parent=self)
        try:
            converter.start()
        except NbGraderException:
            sys.exit(1)
        outcomes = sorted(converter.outcomes, key=lambda outcome: outcome.student)
        log = log_path(Path(self.coursedir.root), self.coursedir.assignment_id)
        write_log(log, outcomes)
        print(outcome_table(self.coursedir, self.coursedir.assignment_id, outcomes))
        elsewhere = not_graded_elsewhere(Course(Path(self.coursedir.root)), self.coursedir.assignment_id, outcomes)
        if elsewhere:
            print(elsewhere)
        print(f"Outcomes and times: {log}")
        handled = [outcome for outcome in outcomes if outcome.message != SKIPPED]
        if handled:
            print(f"nbgrader's steps in this process (sanitizing, saving the grades): "
                  f"{converter.steps_seconds / len(handled):.2f} s per submission")
        if converter.fault:
            print(f"stopped: {converter.fault}")
        if converter.interrupted:
            print(f"interrupted: {len(graded_now(outcomes))} graded, {len(converter.left)} left "
                  f"for the next run: run `coursekit autograde {self.coursedir.assignment_id}` again")
            sys.exit(INTERRUPTED)
        if not all(outcome.graded for outcome in outcomes):
            sys.exit(1)



def outcome_table(coursedir, assignment: str, outcomes: list[SubmissionOutcome]) -> str:
    """One line per submission: graded or failed, its grade on the assignment's scale and its status, its time, and
    why it failed or what else to know."""
    lines = [f"{'student':<32} {'result':<7} {'grade':>13} {'status':<11} {'seconds':>8}  note"]
    course = Course(Path(coursedir.root))
    with Gradebook(coursedir.db_url) as gradebook:
        for outcome in outcomes:
            grade, status, notes = "-", grades.NOT_GRADED, [outcome.message] if outcome.message else []
            try:
                submission = gradebook.find_submission(assignment, outcome.student)
                if outcome.graded:
                    graded = grades.SubmissionGrade.of(submission)
                    grade, status = graded.points(), graded.status
                    handed_in = grades.handed_in_as(course, gradebook, assignment, outcome.student)
                    if handed_in:
                        notes.append(notebooks.not_their_work(handed_in))
                    if graded.awaiting:
                        notes.append(f"{len(graded.awaiting)} written answers to grade")
                if submission.total_seconds_late > 0:
                    notes.insert(0, f"late by {submission.total_seconds_late / 3600:.1f} h")
            except MissingEntry:
                pass
            result = "graded" if outcome.graded else "FAILED"
            lines.append(f"{outcome.student:<32} {result:<7} {grade:>13} {status:<11} {outcome.seconds:>8.1f}  "
                         f"{'; '.join(notes)}")
    lines.append(count_line(outcomes))
    return "\n".join(lines)


def not_graded_elsewhere(course: Course, assignment: str, outcomes: list[SubmissionOutcome]) -> str:
    """The students of the class this batch did not handle who have no grade, with why (refused at intake, nothing
    handed in, failed in an earlier run): the table's students are not the whole class."""
    handled = {outcome.student for outcome in outcomes}
    others = [known for known in standing.class_standings(course, assignment)
              if known.grade is None and known.student not in handled]
    return "\n".join([f"Not graded, from the intake and earlier runs ({len(others)}):",
                      *(f"  {known.student:<30} {known.why_not_graded}" for known in others)]) if others else ""


def count_line(outcomes: list[SubmissionOutcome]) -> str:
    """`N graded, M failed`, then `, K skipped (already graded)` when a run skipped some."""
    skipped = sum(outcome.message == SKIPPED for outcome in outcomes)
    line = f"{len(graded_now(outcomes))} graded, {sum(not outcome.graded for outcome in outcomes)} failed"
    return f"{line}, {skipped} skipped (already graded)" if skipped else line
