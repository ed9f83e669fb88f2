"""Where each student of an assignment stands: graded (final or provisional) with their grade, or not graded and why.

Every place that shows a class's grades (the terminal tables, the class report, the CSV exports, Moodle's worksheet)
reads it from here, so that they all tell the same students, grades and statuses. The class is everyone the course
knows of for the assignment: the gradebook's students, the Moodle participants of its downloads, and whoever the
intake refused or the autograding failed. Why a student is not graded comes from those records, most recent step
first: the autograding failed (its log), the intake refused what they handed in (its record), nothing was handed in.
"""
from __future__ import annotations

from dataclasses import dataclass

from nbgrader.api import Gradebook

from . import grades, intake, moodle
from .course import Course
from .grading_log import logged

NOTHING_HANDED_IN = "nothing handed in"
NOT_AUTOGRADED = "handed in, not autograded yet: run `coursekit autograde {assignment}`"


@dataclass(frozen=True)
class Standing:
    student: str
    name: str  # as Moodle or the gradebook knows them; "" when neither does
    grade: grades.SubmissionGrade | None  # None: not graded
    why_not_graded: str = ""

    @property
    def status(self) -> str:
        return self.grade.status if self.grade else grades.NOT_GRADED

    def said(self) -> str:
        """The grade and status, or why there is none, in one line."""
        return self.grade.said() if self.grade else f"not graded: {self.why_not_graded}"


def class_standings(course: Course, assignment: str, gradebook: Gradebook | None = None) -> list[Standing]:
    """Every student of the assignment, by student id (Moodle's participant ids in numeric order), from the course's
    gradebook or the one given, open."""
    if gradebook is None:
        with Gradebook(course.db_url) as opened:
            return class_standings(course, assignment, opened)
    names = moodle.participants(course, assignment)
    failed = {outcome.student: f"autograding failed: {outcome.message}"
              for outcome in logged(course.root, assignment) if not outcome.graded}
    refused = intake.refused(course, assignment)
    submitted = set(course.students(assignment, "submitted"))
    standings = {}
    graded = {submission.student_id: grades.SubmissionGrade.of(submission)
              for submission in gradebook.find_assignment(assignment).submissions} \
        if assignment in {known.name for known in gradebook.assignments} else {}
    for student in gradebook.students:
        names.setdefault(student.id, " ".join(filter(None, (student.first_name, student.last_name))))
    for student in {*names, *graded, *failed, *refused, *submitted}:
        if student in graded and student not in failed:
            standings[student] = Standing(student, names.get(student, ""), graded[student])
            continue
        why = (failed.get(student) or refused.get(student)
               or (NOT_AUTOGRADED.format(assignment=assignment) if student in submitted else NOTHING_HANDED_IN))
        standings[student] = Standing(student, names.get(student, ""), None, why)
    return sorted(standings.values(), key=lambda standing: _order(standing.student))


def _order(student: str) -> tuple:
    return (0, len(student), student) if moodle.is_participant_id(student) else (1, 0, student)
