"""One truth about a grade, on a copy of the demo's class: while the written answers await the teacher, every output
says the grade is provisional; once the teacher has graded them in the formgrader (a real Jupyter server, in headless
Chromium), the feedback page, the class report, grades.csv, Moodle's worksheet and the terminal's table all give the
same final grade, on the same scale; and the students who were not graded are in each, with why."""
from __future__ import annotations

import csv
import shutil

import pytest
from playwright.sync_api import Browser

from coursekit import demo
from coursekit.course import Course
from coursekit.demo import student_id
from coursekit.tp1 import ASSIGNMENT, NOTEBOOK

from conftest import SCREEN
from formgrader_server import logged_in, submission_views
from formgrader_server import running as jupyter_server_in
from moodle_importer import import_worksheet

ANSWERS = {"q1_principle": "0.5", "q2_gradient": "1.5", "q3_stochastic": "1", "q4_learning_rate": "0.5"}
FINAL = "19.50 / 20"  # the reference's 16 test points, and 3.5 of the answers' 4


@pytest.fixture(scope="module")
def course(demo_course, tmp_path_factory) -> Course:
    """A copy of the demo's course, its reference student's answers graded by the teacher in the formgrader."""
    copy = Course(tmp_path_factory.mktemp("graded_by_hand") / "course")
    shutil.copytree(demo_course.root, copy.root)
    return copy


def outputs(course: Course, student: str) -> dict[str, str]:
    """What each output says of a student's grade, in its own words."""
    with (course.root / "grades.csv").open(newline="") as file:
        row = next(row for row in csv.DictReader(file) if row["student_id"] == student)
    worksheet = {row.participant: row for row in import_worksheet((course.root / "worksheet.csv").read_bytes(), "en")}
    table = next(line for line in demo.grade_table(course).splitlines() if line.startswith(student))
    report = (course.root / "reports" / ASSIGNMENT / "class_report.html").read_text()
    roster_row = next(row for row in report.split("<tr") if f">{student}<" in row)
    page = course.feedback_html(ASSIGNMENT, student).read_text()
    return {"grades.csv": f"{float(row['score']):.2f} / {float(row['max_score']):g} {row['status']}",
            "worksheet": f"{worksheet[student].grade:.2f} / 20 {worksheet[student].comment}",
            "table": " ".join(table.split()), "report": roster_row, "feedback page": page}


def export_everything(course: Course) -> None:
    course.nbgrader("generate_feedback", ASSIGNMENT, "--force")
    course.coursekit("report", ASSIGNMENT)
    course.nbgrader("export", "--to", "grades.csv")
    course.coursekit("export", ASSIGNMENT, "--moodle-worksheet", "worksheet.csv", "--ungraded-answers-as-zero",
                     "--from", str(course.root / "moodle" / "Grades-ML-TP1.csv"))


def grade_in_the_formgrader(browser: Browser, course: Course, student: str, tmp_path) -> None:
    with jupyter_server_in(course.root, tmp_path) as server:
        teacher = logged_in(browser, server, SCREEN)
        page = teacher.new_page()
        page.goto(submission_views(teacher, server, ASSIGNMENT, NOTEBOOK)[student])
        for answer, points in ANSWERS.items():
            with page.expect_response(lambda response: "/formgrader/api/grade/" in response.url
                                      and response.request.method == "PUT") as saved:
                page.fill(f"input.score#{answer}", points)
                page.keyboard.press("Tab")
            assert saved.value.ok, saved.value.text()
        teacher.close()


def test_a_grade_is_provisional_everywhere_until_the_teacher_grades_the_answers_then_final_everywhere(
        course, browser, tmp_path):
    student = student_id(course, "reference")
    export_everything(course)
    before = outputs(course, student)
    assert before["grades.csv"] == "16.00 / 20 provisional"
    assert before["worksheet"].startswith("16.00 / 20 <p>Grade: 16.00 / 20.00 (provisional:")
    assert "16.00 / 20 provisional" in before["table"]
    assert "16.00 / 20" in before["report"] and "provisional" in before["report"]
    assert "Provisional grade: 16.00 / 20" in before["feedback page"]

    grade_in_the_formgrader(browser, course, student, tmp_path)
    export_everything(course)

    after = outputs(course, student)
    assert after["grades.csv"] == f"{FINAL} final"
    assert after["worksheet"].startswith(f"{FINAL} <p>Grade: 19.50 / 20.00 (final).")
    assert f"{FINAL} final" in after["table"]
    assert FINAL in after["report"] and ">final<" in after["report"]
    assert f"Final grade: {FINAL}" in after["feedback page"] and "Provisional" not in after["feedback page"]


def test_the_students_not_graded_are_in_every_output_with_why(course):
    export_everything(course)
    not_graded = {line.split()[0]: line.split(" not graded ", 1)[1].strip()
                  for line in demo.grade_table(course).splitlines()[1:] if " not graded " in line}
    assert len(not_graded) == len(demo.BROKEN_SUBMISSIONS) + 1
    report = (course.root / "reports" / ASSIGNMENT / "class_report.html").read_text()
    with (course.root / "grades.csv").open(newline="") as file:
        csv_rows = {row["student_id"]: row for row in csv.DictReader(file)}
    worksheet = {row.participant: row for row in import_worksheet((course.root / "worksheet.csv").read_bytes(), "en")}
    for student, why in not_graded.items():
        assert csv_rows[student]["status"] == "not graded" and csv_rows[student]["why_not_graded"] == why
        assert worksheet[student].grade is None and f"Not graded: {why}." in worksheet[student].comment
        roster_row = next(row for row in report.split("<tr") if f">{student}<" in row)
        assert "not graded" in roster_row and why.split(":")[0] in roster_row
