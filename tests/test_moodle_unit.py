"""The feedback zip's refusals, before anything is written: students Moodle could not be given their pages."""
from __future__ import annotations

import pytest

from coursekit import moodle
from coursekit.course import CommandError
from coursekit.tp1 import ASSIGNMENT
from repository import REPOSITORY


@pytest.fixture
def course(tmp_path):
    return REPOSITORY.copy_to(tmp_path / "course")


def test_students_taken_in_without_a_moodle_name_are_named_and_nothing_is_written(course, tmp_path):
    moodle.remember_participants(course, ASSIGNMENT, {"1001": "Anaïs Lebœuf"})
    for student in ("1001", "alice"):
        page = course.feedback_html(ASSIGNMENT, student)
        page.parent.mkdir(parents=True)
        page.write_text("<html>feedback</html>")
    with pytest.raises(CommandError, match=r"no Moodle name for 1 students with feedback \(alice\).*--moodle-zip"):
        moodle.write_feedback_zip(course, ASSIGNMENT, tmp_path / "feedback.zip")
    assert not (tmp_path / "feedback.zip").exists()


def test_no_feedback_yet_says_which_command_writes_it(course, tmp_path):
    with pytest.raises(CommandError, match=f"nbgrader generate_feedback {ASSIGNMENT}"):
        moodle.write_feedback_zip(course, ASSIGNMENT, tmp_path / "feedback.zip")


def test_a_later_download_adds_its_participants_and_renames_none_it_does_not_hold(course):
    moodle.remember_participants(course, ASSIGNMENT, {"1001": "Anaïs Lebœuf", "1002": "Ömer Çelik"})
    moodle.remember_participants(course, ASSIGNMENT, {"1002": "Ömer Çelik-Arslan", "1003": "Zoë Ångström"})
    assert moodle.participants(course, ASSIGNMENT) == {"1001": "Anaïs Lebœuf", "1002": "Ömer Çelik-Arslan",
                                                       "1003": "Zoë Ångström"}
