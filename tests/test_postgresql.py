"""The gradebook on PostgreSQL (CourseDirectory.db_url = "postgresql://..."), on a server the tests start
(tests/postgres.py): `coursekit autograde` leaves the grades plain nbgrader leaves in SQLite; feedback, the per-test
export and the class report read it; a regrade keeps the manual grades; two graders saving at once through their own
formgraders lose nothing; a batch that fails is put back from its pg_dump.

The class is graded once on PostgreSQL; each test that changes it works on a copy of the course folder and of its
database (a fresh database made from the graded one)."""
from __future__ import annotations

import csv
import json
import threading
import urllib.request
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

import postgres
from background_batch import PATIENCE
from coursekit import backup, grades, notebooks, synthetic
from coursekit.course import CommandError, Course
from coursekit.tp1 import ASSIGNMENT, NOTEBOOK
from formgrader_server import running as formgrader_in
from small_class import check_a_regrade_keeps_the_manual_grades_and_comments, copy_of

WRITTEN_ANSWERS = ("q1_principle", "q2_gradient", "q3_stochastic", "q4_learning_rate")


@pytest.fixture(scope="module")
def server():
    with postgres.running_server() as server:
        yield server


def on_database(course: Course, db_url: str) -> Course:
    """The course with its gradebook at `db_url`, set as an instructor sets it: a line of nbgrader_config.py."""
    with open(course.root / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.CourseDirectory.db_url = {db_url!r}\n")
    return Course(course.root)


@pytest.fixture(scope="module")
def graded(submitted_class, server, tmp_path_factory) -> Course:
    """The small class autograded by `coursekit autograde` with its gradebook on PostgreSQL."""
    course = on_database(copy_of(submitted_class, tmp_path_factory.mktemp("postgresql") / "course"),
                         server.new_database())
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")  # the assignment, into this gradebook
    course.coursekit("autograde", ASSIGNMENT)
    return course


def copy_of_graded(graded: Course, server: postgres.Server, folder: Path) -> Course:
    """The graded course folder copied, its gradebook a fresh copy of the graded one's database."""
    return on_database(copy_of(graded, folder), server.new_database(copy_of=graded.db_url))


def test_a_class_graded_on_postgresql_gets_the_grades_sequential_nbgrader_gives_in_sqlite(graded,
                                                                                         sequentially_graded):
    assert graded.db_url.startswith("postgresql://")
    assert grades.gradebook_contents(graded, ASSIGNMENT) == sequentially_graded
    assert [path.suffix for path in (graded.root / backup.FOLDER).iterdir()] == [".dump"]


def test_feedback_the_per_test_export_and_the_class_report_read_the_postgresql_gradebook(graded):
    graded.nbgrader("generate_feedback", ASSIGNMENT, "--force")
    graded.nbgrader("export", "--exporter=coursekit.plugins.PerTestCsvExportPlugin", "--to", "per_test.csv")
    graded.coursekit("report", ASSIGNMENT)

    students = graded.students(ASSIGNMENT, "submitted")
    assert graded.students(ASSIGNMENT, "feedback") == students
    with Gradebook(graded.db_url) as gradebook:  # the grade and its status, read from the gradebook
        said = {student: grades.SubmissionGrade.of(gradebook.find_submission(ASSIGNMENT, student))
                for student in students}
    for student, grade in said.items():
        page = graded.feedback_html(ASSIGNMENT, student).read_text()
        assert f"{grade.status.capitalize()} grade: {grade.points()}" in page, student
    with open(graded.root / "per_test.csv", newline="") as file:
        rows = {row["student_id"]: row for row in csv.DictReader(file)}
    assert sorted(rows) == students
    for student, row in rows.items():
        for cell, grade in grades.notebook_grades(graded, ASSIGNMENT, student).items():
            assert row[f"{ASSIGNMENT}:{NOTEBOOK}:{cell}"] == ("" if grade.score is None else str(grade.score))
    report = (graded.root / "reports" / ASSIGNMENT / "class_report.html").read_text()
    assert all(student in report for student in students)


def test_a_regrade_on_postgresql_keeps_the_manual_grades_and_comments(graded, server, tmp_path):
    check_a_regrade_keeps_the_manual_grades_and_comments(copy_of_graded(graded, server, tmp_path / "course"))


def test_two_graders_saving_at_once_in_their_own_formgraders_lose_no_grade(graded, server, tmp_path):
    """Each grader runs a formgrader (a Jupyter server) of their own on the shared gradebook, as on JupyterHub; both
    save their half of the written answers' grades and comments at the same time, through the formgrader's API."""
    course = copy_of_graded(graded, server, tmp_path / "course")
    students = course.students(ASSIGNMENT, "submitted")
    with Gradebook(course.db_url) as gradebook:
        ids = {(student, cell): (gradebook.find_grade(cell, NOTEBOOK, ASSIGNMENT, student).id,
                                 gradebook.find_comment(cell, NOTEBOOK, ASSIGNMENT, student).id)
               for student in students for cell in WRITTEN_ANSWERS}
    # Grader 0 grades Q1 and Q2 of everyone, grader 1 Q3 and Q4: distinct grades, saved at the same time.
    halves = [{key: ids[key] for key in ids if key[1] in WRITTEN_ANSWERS[:2]},
              {key: ids[key] for key in ids if key[1] in WRITTEN_ANSWERS[2:]}]
    score = {key: (number % 4) * 0.25 for number, key in enumerate(ids)}
    (tmp_path / "grader0").mkdir()
    (tmp_path / "grader1").mkdir()
    failures = []
    start = threading.Barrier(2, timeout=PATIENCE)

    def grade(server, half):
        start.wait()
        try:
            for key, (grade_id, comment_id) in half.items():
                put(server, f"grade/{grade_id}", {"manual_score": score[key], "extra_credit": None})
                put(server, f"comment/{comment_id}", {"manual_comment": f"{key[1]} of {key[0]}"})
        except Exception as error:  # noqa: BLE001 (reported by the test's thread)
            failures.append(repr(error))

    with formgrader_in(course.root, tmp_path / "grader0") as first, formgrader_in(course.root, tmp_path / "grader1") \
            as second:
        graders = [threading.Thread(target=grade, args=pair) for pair in zip((first, second), halves)]
        for grader in graders:
            grader.start()
        for grader in graders:
            grader.join(PATIENCE)
    assert not failures

    contents = grades.gradebook_contents(course, ASSIGNMENT)
    for (student, cell), value in score.items():
        assert contents[(student, NOTEBOOK, cell)][1:4:2] == (value, False), (student, cell)
        assert contents[(student, NOTEBOOK, f"{cell} (comment)")][1] == f"{cell} of {student}"


def put(server, path: str, body: dict) -> None:
    request = urllib.request.Request(f"{server.url}/formgrader/api/{path}", data=json.dumps(body).encode(),
                                     method="PUT", headers={"Authorization": f"token {server.token}",
                                                            "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=PATIENCE) as response:
        assert response.status == 200, response.read()


def test_a_batch_that_fails_puts_the_postgresql_gradebook_back_from_its_dump(graded, server, tmp_path, master):
    course = copy_of_graded(graded, server, tmp_path / "course")
    before = grades.gradebook_contents(course, ASSIGNMENT)
    # Two students hand in late: the first's submission enters the gradebook; the second's notebook is in a newer
    # nbgrader's format, which stops the batch (as it stops nbgrader's) after the first was prepared.
    release = notebooks.read(course.notebook(ASSIGNMENT, "release"))
    newer = synthetic.fill(release, synthetic.Case.reference().solutions(master))
    for cell in newer.cells:
        if "nbgrader" in cell.metadata:
            cell.metadata.nbgrader["schema_version"] = 99
    for student, notebook in {"aaa_late": release, "zzz_newer_nbgrader": newer}.items():
        path = course.notebook(ASSIGNMENT, "submitted", student)
        path.parent.mkdir(parents=True)
        nbformat.write(notebook, path)

    with pytest.raises(CommandError) as failure:
        course.coursekit("autograde", ASSIGNMENT, "--workers=1")

    assert "newer version of the nbgrader metadata format" in str(failure.value)
    assert grades.gradebook_contents(course, ASSIGNMENT) == before
    with Gradebook(course.db_url) as gradebook:
        assert "aaa_late" not in {student.id for student in gradebook.students}
    dumps = sorted((course.root / backup.FOLDER).glob("gradebook-*.dump"))
    assert len(dumps) == 2  # the graded course's batch, and this one's
