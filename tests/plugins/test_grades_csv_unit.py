"""The grades' CSV exporters on a gradebook built here, with nbgrader's own API: an assignment of one notebook with
a test cell and a written answer, a student who handed in and awaits a manual grade, and one who handed in nothing;
the course folder around it empty (no intake record, no grading log)."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from nbgrader.api import Base, Gradebook
from sqlalchemy import create_engine

from coursekit.plugins import GradesCsvExportPlugin, PerTestCsvExportPlugin

# nbgrader's add_submission warns as it builds the submission's grades, as in every autograde.
pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")
IDENTITY = ["assignment", "student_id", "last_name", "first_name", "email"]
TOTALS = ["raw_score", "late_submission_penalty", "score", "max_score", "status", "why_not_graded"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The gradebook, built once: each test grades a copy."""
    path = tmp_path_factory.mktemp("gradebook") / "gradebook.db"
    # nbgrader's tables created first: a new gradebook would be stamped with its schema version by nbgrader's
    # `alembic` command, seconds on a busy machine, and the exporter never reads it.
    Base.metadata.create_all(create_engine(f"sqlite:///{path}"))
    with Gradebook(f"sqlite:///{path}") as gradebook:
        gradebook.add_assignment("tp2")
        gradebook.add_notebook("lab", "tp2")
        # In the notebook's order, which is not the alphabetical one.
        gradebook.add_grade_cell("test_fit", "lab", "tp2", max_score=2.0, cell_type="code")
        gradebook.add_grade_cell("q1", "lab", "tp2", max_score=1.0, cell_type="markdown")
        gradebook.add_student("ada", first_name="Ada", last_name="Lovelace", email="ada@example.org")
        gradebook.add_student("bob")
        gradebook.add_submission("tp2", "ada")
        autograded = gradebook.find_grade("test_fit", "lab", "tp2", "ada")
        autograded.auto_score, autograded.needs_manual_grade = 1.5, False
        gradebook.db.commit()  # q1 keeps nbgrader's default: it needs a manual grade
    return path


@pytest.fixture
def gradebook(built, tmp_path):
    shutil.copyfile(built, tmp_path / "gradebook.db")
    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as gradebook:
        yield gradebook


def exported(gradebook, tmp_path, key=lambda row: row["student_id"], exporter=PerTestCsvExportPlugin,
             **options) -> tuple[list[str], dict]:
    """The CSV's columns, and its rows by key(row), the student's id unless told."""
    destination = tmp_path / "grades.csv"
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")  # a course folder, with no record in it
    exporter(to=str(destination), course_root=str(tmp_path), **options).export(gradebook)
    with destination.open(newline="") as file:
        reader = csv.DictReader(file)
        return reader.fieldnames, {key(row): row for row in reader}


def test_one_column_per_graded_cell_in_the_notebooks_order_between_the_identity_and_the_totals(gradebook, tmp_path):
    columns, _ = exported(gradebook, tmp_path)
    assert columns == IDENTITY + ["tp2:lab:test_fit", "tp2:lab:q1"] + TOTALS


def test_the_grades_csv_has_nbgraders_columns_and_the_status_for_every_student(gradebook, tmp_path):
    columns, rows = exported(gradebook, tmp_path, exporter=GradesCsvExportPlugin)
    assert columns == IDENTITY + TOTALS
    assert {student: (row["score"], row["status"]) for student, row in rows.items()} == {
        "ada": ("1.5", "provisional"), "bob": ("", "not graded")}


def test_a_student_awaiting_a_manual_grade_has_an_empty_cell_for_it_and_a_provisional_grade(gradebook, tmp_path):
    _, rows = exported(gradebook, tmp_path)
    assert rows["ada"] == {"assignment": "tp2", "student_id": "ada", "last_name": "Lovelace", "first_name": "Ada",
                           "email": "ada@example.org", "tp2:lab:test_fit": "1.5", "tp2:lab:q1": "", "raw_score": "1.5",
                           "late_submission_penalty": "0.0", "score": "1.5", "max_score": "3.0",
                           "status": "provisional", "why_not_graded": ""}


def test_a_student_who_handed_in_nothing_is_not_graded_and_says_why(gradebook, tmp_path):
    _, rows = exported(gradebook, tmp_path)
    assert rows["bob"] == {"assignment": "tp2", "student_id": "bob", "last_name": "", "first_name": "", "email": "",
                           "tp2:lab:test_fit": "", "tp2:lab:q1": "", "raw_score": "", "late_submission_penalty": "",
                           "score": "", "max_score": "3.0", "status": "not graded",
                           "why_not_graded": "nothing handed in"}


def test_a_manual_grade_once_given_fills_its_cell_and_makes_the_grade_final(gradebook, tmp_path):
    answer = gradebook.find_grade("q1", "lab", "tp2", "ada")
    answer.manual_score, answer.needs_manual_grade = 1.0, False
    gradebook.db.commit()
    _, rows = exported(gradebook, tmp_path)
    assert (rows["ada"]["tp2:lab:q1"], rows["ada"]["score"], rows["ada"]["status"]) == ("1.0", "2.5", "final")


def test_the_export_can_be_limited_to_some_students(gradebook, tmp_path):
    _, rows = exported(gradebook, tmp_path, student=["bob"])
    assert list(rows) == ["bob"]


def test_two_assignments_with_a_notebook_of_the_same_name_have_distinct_columns(gradebook, tmp_path):
    # tp3 reuses tp2's notebook name and even its test cell's name: only the assignment tells them apart.
    gradebook.add_assignment("tp3")
    gradebook.add_notebook("lab", "tp3")
    gradebook.add_grade_cell("test_fit", "lab", "tp3", max_score=3.0, cell_type="code")
    gradebook.add_submission("tp3", "ada")
    autograded = gradebook.find_grade("test_fit", "lab", "tp3", "ada")
    autograded.auto_score, autograded.needs_manual_grade = 2.5, False
    gradebook.db.commit()
    columns, rows = exported(gradebook, tmp_path, key=lambda row: (row["assignment"], row["student_id"]))

    assert columns == IDENTITY + ["tp2:lab:test_fit", "tp2:lab:q1", "tp3:lab:test_fit"] + TOTALS
    cells = ["tp2:lab:test_fit", "tp2:lab:q1", "tp3:lab:test_fit"]
    assert [rows[("tp2", "ada")][cell] for cell in cells] == ["1.5", "", ""]
    assert [rows[("tp3", "ada")][cell] for cell in cells] == ["", "", "2.5"]
    assert [rows[("tp3", "bob")][cell] for cell in cells] == ["", "", ""]
    assert (rows[("tp3", "ada")]["score"], rows[("tp3", "ada")]["max_score"]) == ("2.5", "3.0")


def test_an_id_or_a_name_a_spreadsheet_would_run_as_a_formula_is_written_as_text(gradebook, tmp_path):
    gradebook.add_student("=HYPERLINK(\"http://evil.example\",\"x\")", last_name="+cmd|calc!A0", first_name="@SUM(1)")
    _, rows = exported(gradebook, tmp_path, exporter=GradesCsvExportPlugin)
    row = rows["'=HYPERLINK(\"http://evil.example\",\"x\")"]
    assert (row["last_name"], row["first_name"]) == ("'+cmd|calc!A0", "'@SUM(1)")


def test_an_id_that_is_not_utf8_is_escaped_and_the_other_students_exported(gradebook, tmp_path):
    # A folder of submitted/ whose name is bytes that are not UTF-8, as Python reads it: handed in, not graded yet.
    (tmp_path / "submitted" / "caf\udce9" / "tp2").mkdir(parents=True)
    _, rows = exported(gradebook, tmp_path, exporter=GradesCsvExportPlugin)
    assert {"ada", "bob", "caf\\udce9"} <= set(rows)
