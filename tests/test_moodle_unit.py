"""The feedback zip: who is in it, under which name, and what is refused."""
from __future__ import annotations

import zipfile

import pytest

from coursekit import moodle
from coursekit.course import CommandError
from coursekit.tp1 import ASSIGNMENT
from repository import REPOSITORY


@pytest.fixture
def course(tmp_path):
    return REPOSITORY.copy_to(tmp_path / "course")


def test_students_taken_in_otherwise_get_a_stand_in_name_and_ids_moodle_cannot_know_are_left_out(course, tmp_path):
    moodle.remember_participants(course, ASSIGNMENT, {"1001": "Anaïs Lebœuf"})
    for student in ("1001", "1002", "alice"):
        page = course.feedback_html(ASSIGNMENT, student)
        page.parent.mkdir(parents=True)
        page.write_text(f"<html>feedback of {student}</html>")

    said = moodle.write_feedback_zip(course, ASSIGNMENT, tmp_path / "feedback.zip")

    with zipfile.ZipFile(tmp_path / "feedback.zip") as archive:
        assert sorted(archive.namelist()) == ["Anaïs Lebœuf_1001_assignfeedback_file_/tp1_sgd.html",
                                              "Participant_1002_assignfeedback_file_/tp1_sgd.html"]
    assert "1 not taken in from Moodle's download" in said and "left out: 1" in said and "(alice)" in said


def test_a_folder_for_the_zip_is_refused_naming_it(course, tmp_path):
    page = course.feedback_html(ASSIGNMENT, "1001")
    page.parent.mkdir(parents=True)
    page.write_text("<html>feedback</html>")
    with pytest.raises(CommandError, match=f"{tmp_path}: cannot write the feedback zip there"):
        moodle.write_feedback_zip(course, ASSIGNMENT, tmp_path)


def test_no_feedback_yet_says_which_command_writes_it(course, tmp_path):
    with pytest.raises(CommandError, match=f"nbgrader generate_feedback {ASSIGNMENT}"):
        moodle.write_feedback_zip(course, ASSIGNMENT, tmp_path / "feedback.zip")


def test_a_later_download_adds_its_participants_and_renames_none_it_does_not_hold(course):
    moodle.remember_participants(course, ASSIGNMENT, {"1001": "Anaïs Lebœuf", "1002": "Ömer Çelik"})
    moodle.remember_participants(course, ASSIGNMENT, {"1002": "Ömer Çelik-Arslan", "1003": "Zoë Ångström"})
    assert moodle.participants(course, ASSIGNMENT) == {"1001": "Anaïs Lebœuf", "1002": "Ömer Çelik-Arslan",
                                                       "1003": "Zoë Ångström"}


@pytest.mark.parametrize("student, is_one", [("1001", True), ("alice", False), ("１２", False), ("١٢", False),
                                             ("", False)])
def test_only_ascii_digits_make_a_participant_id_as_moodle_reads_them(student, is_one):
    assert moodle.is_participant_id(student) == is_one


def test_a_damaged_participants_file_is_named_with_what_to_do(course):
    path = moodle.participants_file(course, ASSIGNMENT)
    path.parent.mkdir(parents=True)
    path.write_text('{"1001": "Anaïs')
    with pytest.raises(CommandError, match=f"{path}: damaged.*--moodle-zip"):
        moodle.participants(course, ASSIGNMENT)
