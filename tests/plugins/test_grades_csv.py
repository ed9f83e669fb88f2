"""The per-test CSV that `nbgrader export` writes through the course's exporter plugin, on the demo's class."""
from __future__ import annotations

import csv

from coursekit import grades, notebooks, standing
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


def test_one_row_per_student_of_the_class_with_the_gradebook_scores_and_their_status(demo_course):
    _, rows = read_rows(demo_course)
    class_ = standing.class_standings(demo_course, ASSIGNMENT)
    assert list(rows) == [known.student for known in class_]
    for known in class_:
        row = rows[known.student]
        assert (row["assignment"], row["status"], row["why_not_graded"]) == (ASSIGNMENT, known.status,
                                                                             known.why_not_graded)
        if known.grade is None:
            assert all(row[column] == "" for column in row if column.startswith(f"{ASSIGNMENT}:")), known.student
            continue
        cell_grades = grades.notebook_grades(demo_course, ASSIGNMENT, known.student)
        for cell, grade in cell_grades.items():
            expected = "" if grade.score is None else grade.score
            assert row[f"{ASSIGNMENT}:{NOTEBOOK}:{cell}"] == str(expected), (known.student, cell)
        awaiting_manual_grade = any(grade.score is None for grade in cell_grades.values())
        assert row["status"] == ("provisional" if awaiting_manual_grade else "final"), known.student
        assert float(row["score"]) == known.grade.score


def test_the_students_not_graded_say_why(demo_course):
    _, rows = read_rows(demo_course)
    not_graded = {row["last_name"]: row["why_not_graded"] for row in rows.values() if row["status"] == "not graded"}
    assert not_graded == {"Empty Upload": "refused at intake: empty file",
                          "Renamed Notebook": "refused at intake: wrong file name: expected tp1_sgd.ipynb (rename it "
                                              "and run the intake again)",
                          "Absent Student": "nothing handed in"}


def test_the_scores_of_a_mistake_show_which_tests_it_failed(demo_course):
    _, rows = read_rows(demo_course)
    row = rows[student_id(demo_course, "softmax_without_max_shift")]
    assert row[f"{ASSIGNMENT}:{NOTEBOOK}:test_softmax_stability"] == "0.0"
    assert row[f"{ASSIGNMENT}:{NOTEBOOK}:test_softmax"] == "1.0"
    assert row[f"{ASSIGNMENT}:{NOTEBOOK}:q2_gradient"] == ""
