"""The per-test CSV that `nbgrader export` writes through the course's exporter plugin."""
from __future__ import annotations

import csv

from coursekit import grades, notebooks
from coursekit.tp1 import ASSIGNMENT, NOTEBOOK
from coursekit.demo import student_id


def read_rows(course):
    with open(course.root / "grades_per_test.csv", newline="") as file:
        reader = csv.DictReader(file)
        return reader.fieldnames, {row["student_id"]: row for row in reader}


def test_one_column_per_graded_cell_in_the_notebook_order(demo_course, master):
    columns, _ = read_rows(demo_course)
    graded = [f"{ASSIGNMENT}:{NOTEBOOK}:{notebooks.grade_id(cell)}" for cell in master.cells
              if notebooks.nbgrader_metadata(cell).get("grade")]
    assert [column for column in columns if column.startswith(f"{ASSIGNMENT}:{NOTEBOOK}:")] == graded
    assert len(graded) == 22


def test_one_row_per_student_with_the_gradebook_scores(demo_course):
    _, rows = read_rows(demo_course)
    students = {path.name for path in (demo_course.root / "submitted").iterdir()}
    assert set(rows) == students
    for student, row in rows.items():
        assert row["assignment"] == ASSIGNMENT
        cell_grades = grades.notebook_grades(demo_course, ASSIGNMENT, student)
        for cell, grade in cell_grades.items():
            expected = "" if grade.score is None else grade.score
            assert row[f"{ASSIGNMENT}:{NOTEBOOK}:{cell}"] == str(expected), (student, cell)
        awaiting_manual_grade = any(grade.score is None for grade in cell_grades.values())
        assert row["needs_manual_grade"] == str(awaiting_manual_grade), student


def test_the_scores_of_a_mistake_show_which_tests_it_failed(demo_course):
    _, rows = read_rows(demo_course)
    row = rows[student_id(demo_course, "softmax_without_max_shift")]
    assert row[f"{ASSIGNMENT}:{NOTEBOOK}:test_softmax_stability"] == "0.0"
    assert row[f"{ASSIGNMENT}:{NOTEBOOK}:test_softmax"] == "1.0"
    assert row[f"{ASSIGNMENT}:{NOTEBOOK}:q2_gradient"] == ""
