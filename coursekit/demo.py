"""The main job: the whole nbgrader pipeline on a synthetic class, in a course folder of its own."""
from __future__ import annotations

import shutil
from pathlib import Path

from . import grades, synthetic
from .course import ASSIGNMENT, Course
from .plugins import PerTestCsvExportPlugin

# The typical mistakes of the demo's class, and one correct submission written otherwise (tests/corpus/).
DEMO_CASES = {"gradient_sign_flipped", "gradient_as_on_the_slide", "loss_is_a_mean", "softmax_without_max_shift",
              "sgd_never_shuffles", "loops_everywhere"}


def run_demo(folder: Path) -> Course:
    """Generate the student version, autograde a synthetic class, write feedback and the grades CSV.

    The folder is emptied first: the demo never touches the repository's own course folders.
    """
    shutil.rmtree(folder, ignore_errors=True)
    course = Course.copy_of_repository(folder)
    print(f"Course folder: {course.root}")
    _step("Generating the student version", course, "generate_assignment", ASSIGNMENT, "--force")
    cases = [synthetic.Case.reference(),
             *(case for case in synthetic.corpus_cases() if case.name in DEMO_CASES)]
    students = synthetic.write_class(course, cases)
    print(f"Synthetic class: {len(students)} submissions in {course.root / 'submitted'}")
    _step("Autograding", course, "autograde", ASSIGNMENT, "--force")
    _step("Writing the feedback", course, "generate_feedback", ASSIGNMENT, "--force")
    _step("Exporting the grades", course, "export", "--to", "grades.csv")
    _step("Exporting the grades per test", course, "export", f"--exporter={PerTestCsvExportPlugin.__module__}."
          f"{PerTestCsvExportPlugin.__name__}", "--to", "grades_per_test.csv")
    print()
    print(grade_table(course, students))
    print()
    print(f"Feedback for each student: {course.root / 'feedback'}/<student>/{ASSIGNMENT}/")
    print(f"Grades: {course.root / 'grades.csv'}, per test: {course.root / 'grades_per_test.csv'}")
    return course


def _step(title: str, course: Course, *arguments: str) -> None:
    print(f"{title}: nbgrader {' '.join(arguments)}", flush=True)
    course.nbgrader(*arguments)


def grade_table(course: Course, students: list[str]) -> str:
    """One line per student: the autograded score and the test cells that lost points."""
    lines = [f"{'student':<32} {'autograded':>10}  test cells that lost points"]
    for student in sorted(students):
        cell_grades = grades.notebook_grades(course, student)
        score, maximum = grades.autograded_total(cell_grades)
        failing = ", ".join(sorted(grades.cells_losing_points(cell_grades))) or "-"
        lines.append(f"{student:<32} {score:>5.2f}/{maximum:<4g}  {failing}")
    return "\n".join(lines)
