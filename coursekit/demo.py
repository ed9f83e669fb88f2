"""The main job: the whole grading pipeline on a synthetic class, in a course folder of its own.

The class hands in on Moodle: the instructor downloads its submissions (two of them broken) and its grading
worksheet; the intake sorts the submissions out, `coursekit autograde` grades the rest in parallel, nbgrader writes
the feedback and the exports, the class report sums it up, and the worksheet, filled in, and the feedback pages go
back to Moodle.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from nbgrader.api import Gradebook

from . import grades, moodle, notebooks, synthetic, synthetic_moodle, tp1
from . import standing as standing_
from .course import Course
from .plugins import PerTestCsvExportPlugin
from .tp1 import ASSIGNMENT, NOTEBOOK_FILE

# The typical mistakes of the demo's class, and one correct submission written otherwise (tests/corpus/).
DEMO_CASES = {"gradient_sign_flipped", "gradient_as_on_the_slide", "loss_is_a_mean", "softmax_without_max_shift",
              "sgd_never_shuffles", "loops_everywhere"}
# Submissions that cannot be graded, by Moodle's full name: the intake reports them and goes on.
BROKEN_SUBMISSIONS = {"Empty Upload": (NOTEBOOK_FILE, b""), "Renamed Notebook": ("TP1 final version.ipynb", None)}
ABSENT = "Absent Student"  # a participant who handed nothing in: in the worksheet, left as it was


def run_demo(repository: Course, folder: Path) -> Course:
    """Generate TP1's student version, take in a synthetic class from Moodle, autograde it, write feedback, grades
    and report, and what goes back to Moodle, in a copy of the repository's course.

    The folder is emptied first: the demo never touches the repository's own course folders.
    """
    shutil.rmtree(folder, ignore_errors=True)
    course = repository.copy_to(folder)
    print(f"Course folder: {course.root}")
    _step("Generating the student version", course, "nbgrader", "generate_assignment", ASSIGNMENT, "--force")
    download, worksheet = write_moodle_downloads(course, tp1.corpus_cases(repository), course.root / "moodle")
    print(_step("Taking in Moodle's download", course, "coursekit", "intake", ASSIGNMENT, "--moodle-zip",
                str(download), "--moodle-worksheet", str(worksheet)))
    _step("Autograding", course, "coursekit", "autograde", ASSIGNMENT, "--force", capture=False)
    _step("Writing the feedback", course, "nbgrader", "generate_feedback", ASSIGNMENT, "--force")
    _step("Exporting the grades", course, "nbgrader", "export", "--to", "grades.csv")
    _step("Exporting the grades per test", course, "nbgrader", "export", f"--exporter={PerTestCsvExportPlugin.__module__}."
          f"{PerTestCsvExportPlugin.__name__}", "--to", "grades_per_test.csv")
    _step("Writing the class report", course, "coursekit", "report", ASSIGNMENT)
    # The written answers are graded by hand in the formgrader; the demo's go back to Moodle counted 0 until then.
    print(_step("Writing what goes back to Moodle", course, "coursekit", "export", ASSIGNMENT, "--moodle-worksheet",
                "moodle_worksheet.csv", "--from", str(worksheet), "--ungraded-answers-as-zero",
                "--moodle-feedback", "moodle_feedback.zip"))
    print()
    print(grade_table(course))
    print()
    print(f"Feedback for each student: {course.root / 'feedback'}/<student>/{ASSIGNMENT}/")
    print(f"Grades: {course.root / 'grades.csv'}, per test: {course.root / 'grades_per_test.csv'}")
    print(f"Class report: {course.root / 'reports' / ASSIGNMENT / 'class_report.html'}")
    print(f"For Moodle: {course.root / 'moodle_worksheet.csv'} (Upload grading worksheet), "
          f"{course.root / 'moodle_feedback.zip'} (Upload multiple feedback files in a zip)")
    return course


def full_name(case: str) -> str:
    """The demo's Moodle name of a synthetic student: their case's name (`Gradient Sign Flipped`)."""
    return case.replace("_", " ").title()


def student_id(course: Course, case: str) -> str:
    """The student id (Moodle's participant id) the demo's class gives a case."""
    return {name: participant for participant, name in moodle.participants(course, ASSIGNMENT).items()}[full_name(case)]


def write_moodle_downloads(course: Course, corpus: list[synthetic.Case], folder: Path) -> tuple[Path, Path]:
    """What the instructor downloads from Moodle for the demo's class: the submissions' zip (the broken ones
    included) and the grading worksheet, in English; return their paths."""
    cases = [synthetic.Case.reference(), *(case for case in corpus if case.name in DEMO_CASES)]
    submissions = {full_name(student): notebook
                   for student, notebook in synthetic.submissions(course, ASSIGNMENT, cases).items()}
    names = [*sorted(submissions), *BROKEN_SUBMISSIONS, ABSENT]
    ids = synthetic_moodle.participant_ids(names)
    release = course.notebook(ASSIGNMENT, "release").read_bytes()
    broken = {f"{synthetic_moodle.submission_folder(name, ids[name])}/{file}": release if content is None else content
              for name, (file, content) in BROKEN_SUBMISSIONS.items()}
    folder.mkdir(parents=True)
    download, worksheet = folder / "TP1-download.zip", folder / "Grades-ML-TP1.csv"
    synthetic_moodle.write_download(download, NOTEBOOK_FILE, submissions, {name: name for name in names}, ids, broken)
    synthetic_moodle.write_worksheet(worksheet, {name: name for name in names}, ids,
                                     {*submissions, *BROKEN_SUBMISSIONS}, "en")
    return download, worksheet


def _step(title: str, course: Course, command: str, *arguments: str, capture: bool = True) -> str:
    print(f"{title}: {command} {' '.join(arguments)}", flush=True)
    return course.run(command, *arguments, capture=capture).strip()


def grade_table(course: Course) -> str:
    """One line per student of the class, graded or not: their Moodle name, the grade and its status, and the test
    cells that lost points, or why they were not graded."""
    lines = [f"{'student':<8} {'name':<28} {'grade':>13}  {'status':<11}  "
             "test cells that lost points, or why not graded"]
    class_grades = grades.class_grades(course, ASSIGNMENT)
    with Gradebook(course.db_url) as gradebook:
        for standing in standing_.class_standings(course, ASSIGNMENT, gradebook):
            if standing.grade:
                grade = standing.grade.points()
                handed_in = grades.handed_in_as(course, gradebook, ASSIGNMENT, standing.student)
                note = (notebooks.not_their_work(handed_in) if handed_in
                        else ", ".join(sorted(grades.cells_losing_points(class_grades[standing.student]))) or "-")
            else:
                grade, note = "-", standing.why_not_graded
            lines.append(f"{standing.student:<8} {standing.name:<28} {grade:>13}  {standing.status:<11}  {note}")
    return "\n".join(lines)
