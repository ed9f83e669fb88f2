"""nbgrader exporters of a class's grades as CSV, every student with their grade's status, or why they have none.

nbgrader's own `grades.csv` gives a student who handed nothing in, or whose notebook could not be graded, a score of
0.0, and a student whose written answers await the teacher a score that looks final. This one, set as `nbgrader
export`'s exporter in nbgrader_config.py, writes nbgrader's columns for the same rows (every student of the gradebook,
and every student the course knows of for the assignment: coursekit/standing.py), plus `status` (final, provisional,
not graded) and `why_not_graded`; the scores of a student not graded are left empty. `PerTestCsvExportPlugin` adds a
column per graded cell, test cells and written answers alike, in the order of the notebook, named
`assignment:notebook:cell` (`tp2:exercises:test_fit`), so that two assignments with a notebook of the same name have
distinct columns:

    nbgrader export --exporter=coursekit.plugins.PerTestCsvExportPlugin --to grades_per_test.csv

A cell still waiting for its manual grade is left empty, as are the cells of a student not graded.
"""
from __future__ import annotations

import csv
import os
from pathlib import Path

from nbgrader.api import Gradebook
from nbgrader.plugins import ExportPlugin
from traitlets import Unicode, default

from .. import standing as standing_
from ..course import Course

IDENTITY = ["assignment", "student_id", "last_name", "first_name", "email"]
FORMULA_STARTS = set("=+-@\t\r")
TOTALS = ["raw_score", "late_submission_penalty", "score", "max_score", "status", "why_not_graded"]


class CourseExportPlugin(ExportPlugin):
    """An exporter that reads the course folder's records besides the gradebook: who the intake refused, whose
    autograding failed, the Moodle participants."""

    course_root = Unicode(help="the course folder (default: nbgrader's)").tag(config=True)

    @default("course_root")
    def _course_root(self) -> str:
        return self.parent.coursedir.root if self.parent is not None else os.getcwd()

    def course(self) -> Course:
        return Course(Path(self.course_root))


class GradesCsvExportPlugin(CourseExportPlugin):
    def export(self, gradebook: Gradebook) -> None:
        destination = self.to or "grades.csv"
        assignments = [assignment for assignment in gradebook.assignments
                       if not self.assignment or assignment.name in map(str, self.assignment)]
        columns = IDENTITY + self.cell_columns(assignments) + TOTALS
        self.log.info("Exporting the grades of %d assignments to %s", len(assignments), destination)
        # Written whole to a file renamed over the old one: an export that fails leaves the last one as it was. A
        # student id from a folder's name may hold bytes that are not UTF-8: escaped.
        partial = Path(destination).with_name(f".{Path(destination).name}.partial")
        with open(partial, "w", newline="", encoding="utf-8", errors="backslashreplace") as file:
            writer = csv.DictWriter(file, fieldnames=columns, restval="")
            writer.writeheader()
            students = {student.id: student for student in gradebook.students}
            for assignment in assignments:
                for known in standing_.class_standings(self.course(), assignment.name, gradebook):
                    if not self.student or known.student in map(str, self.student):
                        row = self._row(gradebook, assignment, known, students.get(known.student))
                        writer.writerow({column: _inert(value) for column, value in row.items()})
        partial.replace(destination)

    def cell_columns(self, assignments: list) -> list[str]:
        """The columns between the identity and the totals: none here."""
        return []

    def cell_scores(self, submission) -> dict[str, float | str]:
        """The values of those columns for a graded submission."""
        return {}

    def _row(self, gradebook: Gradebook, assignment, known: standing_.Standing, student) -> dict:
        row = {"assignment": assignment.name, "student_id": known.student,
               "last_name": (student.last_name if student else None) or known.name,
               "first_name": (student.first_name if student else None) or "",
               "email": (student.email if student else None) or "", "max_score": assignment.max_score,
               "status": known.status, "why_not_graded": known.why_not_graded}
        if known.grade is None:
            return row
        submission = gradebook.find_submission(assignment.name, known.student)
        return {**row, **self.cell_scores(submission), "raw_score": submission.score,
                "late_submission_penalty": submission.late_submission_penalty or 0.0, "score": known.grade.score}


def _inert(value):
    """A value a spreadsheet shows as text: a text starting as a formula would (`=HYPERLINK(...)`, `+`, `-`, `@`, a tab
    or a carriage return: a student id or name is the student's) gets a `'` before it, which spreadsheets hide."""
    return f"'{value}" if isinstance(value, str) and value[:1] in FORMULA_STARTS else value


def column(assignment: str, notebook: str, cell: str) -> str:
    """The name of a graded cell's column: `assignment:notebook:cell`, unique across the assignments exported."""
    return f"{assignment}:{notebook}:{cell}"


class PerTestCsvExportPlugin(GradesCsvExportPlugin):
    def export(self, gradebook: Gradebook) -> None:
        self.to = self.to or "grades_per_test.csv"
        super().export(gradebook)

    def cell_columns(self, assignments: list) -> list[str]:
        return [column(assignment.name, notebook.name, cell.name) for assignment in assignments
                for notebook in assignment.notebooks for cell in notebook.grade_cells]

    def cell_scores(self, submission) -> dict[str, float | str]:
        return {column(submission.assignment.name, notebook.name, grade.name):
                "" if grade.needs_manual_grade else grade.score
                for notebook in submission.notebooks for grade in notebook.grades}
