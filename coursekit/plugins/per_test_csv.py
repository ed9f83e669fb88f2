"""An nbgrader exporter: one row per student and assignment, one column per graded cell.

nbgrader's own CSV has totals only. This one adds each graded cell's score, test cells and manually
graded answers alike, in the order of the notebook, with the totals after them. A cell's column is named
`assignment:notebook:cell` (`tp2:exercises:test_fit`), so that two assignments with a notebook of the same name
have distinct columns:

    nbgrader export --exporter=coursekit.plugins.PerTestCsvExportPlugin --to grades_per_test.csv

A cell still waiting for its manual grade is left empty; a student who submitted nothing gets zeros.
"""
from __future__ import annotations

import csv

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import ExportPlugin

IDENTITY = ["assignment", "student_id", "last_name", "first_name", "email"]
TOTALS = ["score", "max_score", "needs_manual_grade"]


def column(assignment: str, notebook: str, cell: str) -> str:
    """The name of a graded cell's column: `assignment:notebook:cell`, unique across the assignments exported."""
    return f"{assignment}:{notebook}:{cell}"


class PerTestCsvExportPlugin(ExportPlugin):
    def export(self, gradebook: Gradebook) -> None:
        destination = self.to or "grades_per_test.csv"
        assignments = [assignment for assignment in gradebook.assignments
                       if not self.assignment or assignment.name in map(str, self.assignment)]
        students = [student for student in gradebook.students
                    if not self.student or student.id in map(str, self.student)]
        cells = [column(assignment.name, notebook.name, cell.name) for assignment in assignments
                 for notebook in assignment.notebooks for cell in notebook.grade_cells]
        self.log.info("Exporting the scores of %d graded cells to %s", len(cells), destination)
        with open(destination, "w", newline="") as file:
            writer = csv.DictWriter(file, fieldnames=IDENTITY + cells + TOTALS, restval="")
            writer.writeheader()
            for assignment in assignments:
                for student in students:
                    writer.writerow(self._row(gradebook, assignment, student))

    @staticmethod
    def _row(gradebook: Gradebook, assignment, student) -> dict:
        row = {"assignment": assignment.name, "student_id": student.id, "last_name": student.last_name or "",
               "first_name": student.first_name or "", "email": student.email or "",
               "max_score": assignment.max_score}
        try:
            submission = gradebook.find_submission(assignment.name, student.id)
        except MissingEntry:
            cells = {column(assignment.name, notebook.name, cell.name): 0.0 for notebook in assignment.notebooks
                     for cell in notebook.grade_cells}
            return {**row, **cells, "score": 0.0, "needs_manual_grade": False}
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                row[column(assignment.name, notebook.name, grade.name)] = "" if grade.needs_manual_grade else grade.score
        penalty = submission.late_submission_penalty or 0.0
        return {**row, "score": max(0.0, submission.score - penalty),
                "needs_manual_grade": submission.needs_manual_grade}
