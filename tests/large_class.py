"""A class of 300 for the class report, built in seconds rather than hours: the demo's class, graded for real by
nbgrader, copied over and over to new students through nbgrader's Gradebook API (their autograded notebooks and
feedback pages hard links to those of the student they copy), some of their written answers graded by hand; and
students not graded for each reason the course knows: refused at intake, nothing handed in, autograding failed,
handed in but not autograded yet."""
from __future__ import annotations

import os
import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook
from sqlalchemy.exc import SAWarning

from coursekit import intake, moodle
from coursekit.grading_log import SubmissionOutcome, log_path, read_log, write_log
from coursekit.course import Course
from coursekit.standing import NOTHING_HANDED_IN, class_standings
from coursekit.tp1 import ASSIGNMENT

CLASS_SIZE = 300
FIRST_ID = 2001  # after the demo's participant ids
FIRST_NAMES = ["Zoé", "Mathis", "Inès", "Lucas", "Chloé", "Nguyễn", "Yasmine", "Tomás", "Anaïs", "Oskar", "Léa"]
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Nguyen", "Moreau", "Da Silva", "Haddad", "Lefèvre", "Kowalski"]
# Names a roster must show whole and in their own direction.
LONG_NAME = "Marie-Charlotte Alexandrine de La Rochefoucauld-Montmorency-Laval"
RIGHT_TO_LEFT_NAME = "ياسمين الحداد"
KERNEL_DIED = "DeadKernelError: Kernel died"
REFUSED = {"not a notebook: tp1_sgd.pdf (hand in the .ipynb file)": "tp1_sgd.pdf",
           "not a notebook that can be read: not JSON": "tp1_sgd.ipynb"}
ABSENT = 4


@dataclass(frozen=True)
class LargeClass:
    course: Course
    not_graded: dict[str, str]  # each student added without a grade, and what the report must say of why


def build(demo: Course, folder: Path) -> LargeClass:
    """The demo's course copied to `folder`, grown to CLASS_SIZE students."""
    shutil.copytree(demo.root, folder)
    course = Course(folder)
    ids = iter(str(student) for student in range(FIRST_ID, FIRST_ID + CLASS_SIZE))
    failed, not_autograded = next(ids), next(ids)
    refused = {next(ids): reason for reason in REFUSED}
    absent = [next(ids) for _ in range(ABSENT)]
    clones = [next(ids) for _ in range(CLASS_SIZE - len(class_standings(demo, ASSIGNMENT)) - 2 - len(refused) - ABSENT)]
    moodle.remember_participants(course, ASSIGNMENT, {student: _name(index) for index, student in
                                                      enumerate([failed, not_autograded, *refused, *absent, *clones])})
    templates = _copy_grades(course, clones)
    for clone, template in zip(clones, templates):
        for step in ("submitted", "autograded", "feedback"):
            _linked_copy(course, step, template, clone)
    for student, template in ((failed, templates[0]), (not_autograded, templates[1])):
        _linked_copy(course, "submitted", template, student)
    intake.record(course, ASSIGNMENT, intake.Intake(rejected=[
        intake.Rejection(course.root / "downloaded" / student / name, student, reason)
        for student, (reason, name) in zip(refused, REFUSED.items())]))
    _log_grading(course, dict(zip(clones, templates)), failed)
    return LargeClass(course, {failed: f"autograding failed: {KERNEL_DIED}", not_autograded: "not autograded yet",
                               **{student: f"refused at intake: {reason}" for student, reason in refused.items()},
                               **{student: NOTHING_HANDED_IN for student in absent}})


def _name(index: int) -> str:
    special = {0: LONG_NAME, 1: RIGHT_TO_LEFT_NAME}
    return special.get(index, f"{FIRST_NAMES[index % len(FIRST_NAMES)]} {LAST_NAMES[index % len(LAST_NAMES)]}")


def _copy_grades(course: Course, clones: list[str]) -> list[str]:
    """Give each clone, in the gradebook, the submission and grades of one of the demo's graded students, in turn;
    two clones in three get their written answers graded by hand (a share of their points that varies), so that the
    class has final and provisional grades. Return the student each clone copies."""
    with Gradebook(course.db_url) as gradebook, warnings.catch_warnings():
        # nbgrader 0.9's add_submission makes SQLAlchemy 2 warn of a cascade it does not need (as in
        # coursekit/apps/autograde_app.py)
        warnings.filterwarnings("ignore", category=SAWarning, module=r"nbgrader\.api")
        submissions = gradebook.find_assignment(ASSIGNMENT).submissions
        templates = [submissions[index % len(submissions)] for index in range(len(clones))]
        for index, (clone, template) in enumerate(zip(clones, templates)):
            gradebook.update_or_create_student(clone)
            copy = gradebook.add_submission(ASSIGNMENT, clone, timestamp=template.timestamp)
            for notebook, copied_notebook in zip(template.notebooks, copy.notebooks):
                copied = {grade.name: grade for grade in copied_notebook.grades}
                for grade in notebook.grades:
                    _copy_grade(grade, copied[grade.name], written_share=None if index % 3 == 0 else index % 5 / 4)
        gradebook.db.commit()
        return [template.student_id for template in templates]


def _copy_grade(grade, copy, written_share: float | None) -> None:
    copy.auto_score, copy.manual_score, copy.needs_manual_grade = (grade.auto_score, grade.manual_score,
                                                                   grade.needs_manual_grade)
    if grade.needs_manual_grade and written_share is not None:
        copy.manual_score, copy.needs_manual_grade = written_share * grade.max_score, False


def _linked_copy(course: Course, step: str, template: str, student: str) -> None:
    """A student's folder of a step, as the template's: hard links, for 300 notebooks of half a megabyte."""
    source = course.folder(ASSIGNMENT, step, template)
    if source.is_dir():
        shutil.copytree(source, course.folder(ASSIGNMENT, step, student), copy_function=os.link)


def _log_grading(course: Course, templates: dict[str, str], failed: str) -> None:
    """The grading log of the whole class: each clone graded in its template's time, give or take, and one failure."""
    path = log_path(course.root, ASSIGNMENT)
    seconds = {outcome.student: outcome.seconds for outcome in read_log(path)}
    write_log(path, [*(SubmissionOutcome(clone, True, seconds[template] * (0.8 + index % 7 / 10))
                       for index, (clone, template) in enumerate(templates.items())),
                     SubmissionOutcome(failed, False, 31.0, KERNEL_DIED)])
