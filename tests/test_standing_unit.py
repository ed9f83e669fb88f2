"""Where each student stands, in-process, on a course folder built here: a gradebook made with nbgrader's own API,
the intake's record, the grading log, Moodle's participants and a submitted folder, each the source of one reason
a student is not graded."""
from __future__ import annotations

from pathlib import Path

import pytest
from nbgrader.api import Base, Gradebook
from sqlalchemy import create_engine

from coursekit import intake, moodle, standing
from coursekit.grading_log import SubmissionOutcome, log_path, write_log
from coursekit.course import Course

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")  # nbgrader's add_submission


@pytest.fixture
def course(tmp_path) -> Course:
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    (tmp_path / "source" / "tp2").mkdir(parents=True)
    (tmp_path / "source" / "tp2" / "lab.ipynb").write_text("{}")
    course = Course(tmp_path)
    Base.metadata.create_all(create_engine(course.db_url))
    with Gradebook(course.db_url) as gradebook:
        gradebook.add_assignment("tp2")
        gradebook.add_notebook("lab", "tp2")
        gradebook.add_grade_cell("test_fit", "lab", "tp2", max_score=2.0, cell_type="code")
        gradebook.add_grade_cell("q1", "lab", "tp2", max_score=1.0, cell_type="markdown")
        for student, answer_graded in [("1001", True), ("1002", False), ("1003", True)]:
            gradebook.add_student(student)
            gradebook.add_submission("tp2", student)
            test = gradebook.find_grade("test_fit", "lab", "tp2", student)
            test.auto_score, test.needs_manual_grade = 1.5, False
            answer = gradebook.find_grade("q1", "lab", "tp2", student)
            answer.manual_score, answer.needs_manual_grade = (1.0, False) if answer_graded else (None, True)
        gradebook.db.commit()
    return course


def test_every_student_is_listed_with_their_grade_or_why_they_have_none(course):
    write_log(log_path(course.root, "tp2"), [SubmissionOutcome("1003", False, 30.0, "the kernel died")])
    taken = intake.Intake(rejected=[intake.Rejection(Path("x.ipynb"), "1004", "empty file")],
                          missing={"1004": ["lab.ipynb"]})
    intake.record(course, "tp2", taken)
    moodle.remember_participants(course, "tp2", {"1001": "Ada", "1005": "Absent Student"})
    course.folder("tp2", "submitted", "1006").mkdir(parents=True)

    said = {known.student: (known.status, known.said()) for known in standing.class_standings(course, "tp2")}

    assert said == {
        "1001": ("final", "2.50 / 3, final"),
        "1002": ("provisional", "1.50 / 3, provisional: written answers worth 1 point not graded yet"),
        "1003": ("not graded", "not graded: autograding failed: the kernel died"),
        "1004": ("not graded", "not graded: refused at intake: empty file"),
        "1005": ("not graded", "not graded: nothing handed in"),
        "1006": ("not graded", "not graded: handed in, not autograded yet: run `coursekit autograde tp2`"),
    }
    assert standing.class_standings(course, "tp2")[0].name == "Ada"


def test_a_student_taken_in_after_a_refusal_leaves_the_intakes_record(course):
    refused = intake.Intake(rejected=[intake.Rejection(Path("x.ipynb"), "1004", "empty file")],
                            missing={"1004": ["lab.ipynb"], "1007": ["lab.ipynb"]})
    intake.record(course, "tp2", refused)
    intake.record(course, "tp2", intake.Intake(accepted={"1004": {"lab.ipynb": Path("lab.ipynb")}}))
    assert intake.refused(course, "tp2") == {"1007": "nothing to grade: no lab.ipynb that can be read"}


def test_a_damaged_intake_record_counts_as_none(course):
    intake.record_path(course, "tp2").parent.mkdir(parents=True, exist_ok=True)
    intake.record_path(course, "tp2").write_text("[not a record")
    assert intake.refused(course, "tp2") == {}
