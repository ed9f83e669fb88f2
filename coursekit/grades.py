"""The autograded scores of a course's gradebook, read through nbgrader's Gradebook API."""
from __future__ import annotations

from dataclasses import dataclass

from nbgrader.api import Gradebook

from .course import ASSIGNMENT, NOTEBOOK, Course


@dataclass(frozen=True)
class CellGrade:
    cell: str
    score: float | None  # None while a manually graded cell awaits its grade
    max_score: float
    autograded: bool  # a test cell; the others are written answers, graded by hand


def notebook_grades(course: Course, student: str) -> dict[str, CellGrade]:
    """Every graded cell of a student's notebook, by grade id, as the gradebook holds it."""
    with Gradebook(course.db_url) as gradebook:
        submission = gradebook.find_submission_notebook(NOTEBOOK, ASSIGNMENT, student)
        return {
            grade.name: CellGrade(grade.name, None if grade.needs_manual_grade else grade.score,
                                  grade.max_score, autograded=grade.cell_type == "code")
            for grade in submission.grades
        }


def autograded_total(grades: dict[str, CellGrade]) -> tuple[float, float]:
    """The autograded score and its maximum, from the test cells only."""
    tests = [grade for grade in grades.values() if grade.autograded]
    return sum(grade.score or 0.0 for grade in tests), sum(grade.max_score for grade in tests)


def cells_losing_points(grades: dict[str, CellGrade]) -> set[str]:
    """The autograded cells that gave less than their maximum."""
    return {grade.cell for grade in grades.values() if grade.autograded and (grade.score or 0.0) < grade.max_score}


def gradebook_contents(course: Course) -> dict[tuple[str, str, str], tuple]:
    """What an instructor sees in the gradebook, without its row ids: for each student, notebook and graded
    cell, the scores, whether it awaits a manual grade, and its comments; and each notebook's late penalty."""
    contents = {}
    with Gradebook(course.db_url) as gradebook:
        for submission in gradebook.find_assignment(ASSIGNMENT).submissions:
            for notebook in submission.notebooks:
                key = (submission.student_id, notebook.name)
                contents[(*key, "(submission)")] = (submission.timestamp, notebook.late_submission_penalty)
                for grade in notebook.grades:
                    contents[(*key, grade.name)] = (grade.auto_score, grade.manual_score, grade.extra_credit,
                                                    grade.needs_manual_grade)
                for comment in notebook.comments:
                    contents[(*key, f"{comment.name} (comment)")] = (comment.auto_comment, comment.manual_comment)
    return contents
