"""A course folder's assignments, notebooks and students, found as nbgrader finds them (its CourseDirectory, the
course's nbgrader_config.py), in scratch folders: no nbgrader command run."""
from __future__ import annotations

import os

import nbformat
import pytest
from nbformat.v4 import new_notebook

from coursekit.course import CommandError, Course
from repository import REPOSITORY


@pytest.fixture
def course(tmp_path) -> Course:
    course = Course(tmp_path)
    (tmp_path / "nbgrader_config.py").write_text((REPOSITORY.root / "nbgrader_config.py").read_text())
    for path in ["source/tp1/tp1_sgd.ipynb", "source/tp2/vectors.ipynb", "source/tp2/angles.ipynb",
                 "release/tp3/only_released.ipynb", "submitted/ada/tp2/vectors.ipynb",
                 "submitted/jean luc/tp2/angles.ipynb", "submitted/ada/tp1/tp1_sgd.ipynb"]:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(new_notebook(), tmp_path / path)
    (tmp_path / "source" / "notes").mkdir()  # a folder with no notebook is no assignment
    return course


def test_the_assignments_are_the_folders_of_source_that_hold_a_notebook(course):
    assert course.assignments() == ["tp1", "tp2"]


def test_an_assignments_notebooks_come_from_its_source_or_else_its_release(course):
    assert course.notebook_names("tp2") == ["angles", "vectors"]
    assert course.notebook_names("tp3") == ["only_released"]
    with pytest.raises(CommandError, match="no assignment 'tp4'.*source/tp4"):
        course.notebook_names("tp4")


def test_a_notebook_is_named_unless_the_assignment_has_only_one(course):
    assert course.notebook("tp1", "submitted", "ada") == course.root / "submitted" / "ada" / "tp1" / "tp1_sgd.ipynb"
    assert course.notebook("tp2", "release", notebook="angles") == course.root / "release" / "tp2" / "angles.ipynb"
    assert course.feedback_html("tp1", "ada") == course.root / "feedback" / "ada" / "tp1" / "tp1_sgd.html"
    with pytest.raises(ValueError, match="several notebooks"):
        course.notebook("tp2", "source")


def test_the_students_of_a_step_are_those_with_a_folder_of_the_assignment(course):
    assert course.students("tp2", "submitted") == ["ada", "jean luc"]
    assert course.students("tp1", "submitted") == ["ada"]
    assert course.students("tp2", "autograded") == []


def test_the_course_follows_its_nbgrader_config(course):
    config = course.root / "nbgrader_config.py"
    config.write_text(config.read_text() + '\nc.CourseDirectory.submitted_directory = "handed_in"\n')
    moved = Course(course.root)
    assert moved.folder("tp2", "submitted", "ada") == course.root / "handed_in" / "ada" / "tp2"
    assert moved.db_url == f"sqlite:///{course.root / 'gradebook.db'}"


def test_a_command_run_outside_a_course_folder_says_so(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError, match="not a course folder.*nbgrader_config.py"):
        Course.here()
    assert not os.listdir(tmp_path)
