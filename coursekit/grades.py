"""The scores of a course's gradebook, read through nbgrader's Gradebook API, and a submission's grade as every page
and export states it: its points, on the assignment's scale, and whether they are final."""
from __future__ import annotations

from dataclasses import dataclass

from nbgrader.api import Gradebook

from . import notebooks
from .course import Course


@dataclass(frozen=True)
class CellGrade:
    cell: str
    score: float | None  # None while a manually graded cell awaits its grade
    max_score: float
    autograded: bool  # a test cell; the others are written answers, graded by hand

    @classmethod
    def of(cls, grade) -> CellGrade:
        """The grade of one of nbgrader's Grade rows."""
        return cls(grade.name, None if grade.needs_manual_grade else grade.score, grade.max_score,
                   autograded=grade.cell_type == "code")


# A submission's status: final once every cell has its grade; provisional while written answers await the teacher's
# (counted 0 meanwhile, so the grade can only rise); not graded when there is no grade at all (coursekit/standing.py
# says why).
FINAL, PROVISIONAL, NOT_GRADED = "final", "provisional", "not graded"


@dataclass(frozen=True)
class SubmissionGrade:
    score: float  # late penalty taken off, answers awaiting their grade counted 0
    max_score: float
    awaiting: tuple[str, ...]  # the written answers not graded yet, by grade id
    awaiting_points: float  # what they are worth

    @classmethod
    def of(cls, submission) -> SubmissionGrade:
        """The grade of one of nbgrader's SubmittedAssignment rows."""
        cells = [grade for notebook in submission.notebooks for grade in notebook.grades]
        awaiting = [grade for grade in cells if grade.needs_manual_grade]
        return cls(max(0.0, submission.score - (submission.late_submission_penalty or 0.0)), submission.max_score,
                   tuple(grade.name for grade in awaiting), sum(grade.max_score for grade in awaiting))

    @property
    def status(self) -> str:
        return PROVISIONAL if self.awaiting else FINAL

    def points(self) -> str:
        """`16.00 / 20`: on the assignment's whole scale, everywhere."""
        return f"{self.score:.2f} / {self.max_score:g}"

    def said(self) -> str:
        """The grade and its status in words: `16.00 / 20, provisional: written answers worth 4 points not graded
        yet`."""
        if not self.awaiting:
            return f"{self.points()}, final"
        worth = f"{self.awaiting_points:g} point{'' if self.awaiting_points == 1 else 's'}"
        return f"{self.points()}, provisional: written answers worth {worth} not graded yet"


def released_sources(gradebook: Gradebook, notebook: str, assignment: str) -> dict[str, str]:
    """The source of each cell students write in, as released, by grade id (nbgrader keeps them in the gradebook)."""
    return {cell.name: cell.source for cell in gradebook.find_notebook(notebook, assignment).source_cells
            if not cell.locked}


def handed_in_as(course: Course, gradebook: Gradebook, assignment: str, student: str) -> str | None:
    """Whether a student's graded notebooks are the release handed back untouched, or another notebook
    (notebooks.handed_in_as), as the first of them says; None when they hold the student's work. The gradebook is
    the caller's, open: tables ask for each student in turn."""
    for name in course.notebook_names(assignment):
        path = course.notebook(assignment, "autograded", student, name)
        if path.is_file() and (said := notebooks.handed_in_as(notebooks.read(path),
                                                              released_sources(gradebook, name, assignment))):
            return said
    return None


def notebook_grades(course: Course, assignment: str, student: str, notebook: str | None = None) -> dict[str, CellGrade]:
    """Every graded cell of a student's notebook, by grade id, as the gradebook holds it (`notebook` may be left
    out when the assignment has only one)."""
    notebook = notebook or course.notebook(assignment, "source").stem
    with Gradebook(course.db_url) as gradebook:
        submission = gradebook.find_submission_notebook(notebook, assignment, student)
        return {grade.name: CellGrade.of(grade) for grade in submission.grades}


def submission_grades(course: Course, assignment: str, student: str) -> dict[str, CellGrade]:
    """Every graded cell of a student's submission, in every notebook of the assignment, by cell label."""
    names = course.notebook_names(assignment)
    return {cell_label(name, cell, len(names)): grade for name in names
            for cell, grade in notebook_grades(course, assignment, student, name).items()}


def class_grades(course: Course, assignment: str) -> dict[str, dict[str, CellGrade]]:
    """Every graded cell of every submission of an assignment, by student and cell label (submission_grades for the
    class), read in one gradebook session: the class's grade cells are loaded once, not once per student (40 s, not
    10, for 300 students)."""
    names = course.notebook_names(assignment)
    with Gradebook(course.db_url) as gradebook:
        class_ = {}
        for submission in gradebook.find_assignment(assignment).submissions:
            by_name = {notebook.name: notebook for notebook in submission.notebooks}
            class_[submission.student_id] = {cell_label(name, grade.name, len(names)): CellGrade.of(grade)
                                             for name in names if name in by_name for grade in by_name[name].grades}
        return class_


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
