"""The main job: the whole grading pipeline on a synthetic class, in a course folder of its own.

The class hands in a folder of student folders, two of its entries broken; the intake sorts them out,
`coursekit autograde` grades the rest in parallel, nbgrader writes the feedback and the exports, and
the class report sums it up.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat

from . import grades, synthetic, tp1
from .course import Course
from .plugins import PerTestCsvExportPlugin
from .tp1 import ASSIGNMENT, NOTEBOOK_FILE

# The typical mistakes of the demo's class, and one correct submission written otherwise (tests/corpus/).
DEMO_CASES = {"gradient_sign_flipped", "gradient_as_on_the_slide", "loss_is_a_mean", "softmax_without_max_shift",
              "sgd_never_shuffles", "loops_everywhere"}
# Entries of the hand-in that cannot be graded: the intake reports them and goes on.
BROKEN_ENTRIES = {f"empty_upload/{NOTEBOOK_FILE}": b"", "renamed_notebook/TP1 final version.ipynb": None}


def run_demo(repository: Course, folder: Path) -> Course:
    """Generate TP1's student version, take in a synthetic class, autograde it, write feedback, grades and report,
    in a copy of the repository's course.

    The folder is emptied first: the demo never touches the repository's own course folders.
    """
    shutil.rmtree(folder, ignore_errors=True)
    course = repository.copy_to(folder)
    print(f"Course folder: {course.root}")
    _step("Generating the student version", course, "nbgrader", "generate_assignment", ASSIGNMENT, "--force")
    hand_in = write_hand_in(course, tp1.corpus_cases(repository), course.root / "hand-in")
    print(_step("Taking in the hand-in folder", course, "coursekit", "intake", ASSIGNMENT, "--folder", str(hand_in)))
    _step("Autograding", course, "coursekit", "autograde", ASSIGNMENT, "--force", capture=False)
    _step("Writing the feedback", course, "nbgrader", "generate_feedback", ASSIGNMENT, "--force")
    _step("Exporting the grades", course, "nbgrader", "export", "--to", "grades.csv")
    _step("Exporting the grades per test", course, "nbgrader", "export", f"--exporter={PerTestCsvExportPlugin.__module__}."
          f"{PerTestCsvExportPlugin.__name__}", "--to", "grades_per_test.csv")
    _step("Writing the class report", course, "coursekit", "report", ASSIGNMENT)
    print()
    print(grade_table(course, sorted(path.name for path in (course.root / "submitted").iterdir())))
    print()
    print(f"Feedback for each student: {course.root / 'feedback'}/<student>/{ASSIGNMENT}/")
    print(f"Grades: {course.root / 'grades.csv'}, per test: {course.root / 'grades_per_test.csv'}")
    print(f"Class report: {course.root / 'reports' / ASSIGNMENT / 'class_report.html'}")
    return course


def write_hand_in(course: Course, corpus: list[synthetic.Case], folder: Path) -> Path:
    """The class's hand-in folder: one folder per student, and the broken entries."""
    cases = [synthetic.Case.reference(), *(case for case in corpus if case.name in DEMO_CASES)]
    release = course.notebook(ASSIGNMENT, "release").read_bytes()
    for student, notebook in synthetic.submissions(course, ASSIGNMENT, cases).items():
        (folder / student).mkdir(parents=True)
        nbformat.write(notebook, folder / student / NOTEBOOK_FILE)
    for name, content in BROKEN_ENTRIES.items():
        (folder / name).parent.mkdir(parents=True)
        (folder / name).write_bytes(release if content is None else content)
    return folder


def _step(title: str, course: Course, command: str, *arguments: str, capture: bool = True) -> str:
    print(f"{title}: {command} {' '.join(arguments)}", flush=True)
    return course.run(command, *arguments, capture=capture).strip()


def grade_table(course: Course, students: list[str]) -> str:
    """One line per student: the autograded score and the test cells that lost points."""
    lines = [f"{'student':<32} {'autograded':>10}  test cells that lost points"]
    for student in sorted(students):
        cell_grades = grades.notebook_grades(course, ASSIGNMENT, student)
        score, maximum = grades.autograded_total(cell_grades)
        failing = ", ".join(sorted(grades.cells_losing_points(cell_grades))) or "-"
        lines.append(f"{student:<32} {score:>5.2f}/{maximum:<4g}  {failing}")
    return "\n".join(lines)
