"""The autograded scores of a course's gradebook, read through nbgrader's Gradebook API."""
from __future__ import annotations

from dataclasses import dataclass

from nbgrader.api import Gradebook

from .course import Course


@dataclass(frozen=True)
class CellGrade:
    cell: str
    score: float | None  # None while a manually graded cell awaits its grade
    max_score: float
    autograded: bool  # a test cell; the others are written answers, graded by hand


def notebook_grades(course: Course, assignment: str, student: str, notebook: str | None = None) -> dict[str, CellGrade]:
    """Every graded cell of a student's notebook, by grade id, as the gradebook holds it (`notebook` may be left
    out when the assignment has only one)."""
    notebook = notebook or course.notebook(assignment, "source").stem
    with Gradebook(course.db_url) as gradebook:
        submission = gradebook.find_submission_notebook(notebook, assignment, student)
        return {
            grade.name: CellGrade(grade.name, None if grade.needs_manual_grade else grade.score,
                                  grade.max_score, autograded=grade.cell_type == "code")
            for grade in submission.grades
        }


def submission_grades(course: Course, assignment: str, student: str) -> dict[str, CellGrade]:
    """Every graded cell of a student's submission, in every notebook of the assignment, by cell label."""
    names = course.notebook_names(assignment)
    return {cell_label(name, cell, len(names)): grade for name in names
            for cell, grade in notebook_grades(course, assignment, student, name).items()}


def cell_label(notebook: str, cell: str, notebooks_in_assignment: int) -> str:
    """How reports name a graded cell: its grade id, after its notebook's name when the assignment has several."""
    return cell if notebooks_in_assignment == 1 else f"{notebook}: {cell}"


def autograded_total(grades: dict[str, CellGrade]) -> tuple[float, float]:
    """The autograded score and its maximum, from the test cells only."""
    tests = [grade for grade in grades.values() if grade.autograded]
    return sum(grade.score or 0.0 for grade in tests), sum(grade.max_score for grade in tests)


def cells_losing_points(grades: dict[str, CellGrade]) -> set[str]:
    """The autograded cells that gave less than their maximum, by the names `grades` gives them."""
    return {name for name, grade in grades.items() if grade.autograded and (grade.score or 0.0) < grade.max_score}


def gradebook_contents(course: Course, assignment: str) -> dict[tuple[str, str, str], tuple]:
    """What an instructor sees of an assignment in the gradebook, without its row ids: for each student, notebook
    and graded cell, the scores, whether it awaits a manual grade, and its comments; and each notebook's late
    penalty."""
    contents = {}
    with Gradebook(course.db_url) as gradebook:
        for submission in gradebook.find_assignment(assignment).submissions:
            for notebook in submission.notebooks:
                key = (submission.student_id, notebook.name)
                contents[(*key, "(submission)")] = (submission.timestamp, notebook.late_submission_penalty)
                for grade in notebook.grades:
                    contents[(*key, grade.name)] = (grade.auto_score, grade.manual_score, grade.extra_credit,
                                                    grade.needs_manual_grade)
                for comment in notebook.comments:
                    contents[(*key, f"{comment.name} (comment)")] = (comment.auto_comment, comment.manual_comment)
    return contents
