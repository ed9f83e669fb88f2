"""Moodle's side of a course: the participants' names kept from its download, and the feedback files' zip it
takes back.

Moodle names a student's folder in its zips `<Full Name>_<participant id>_<plugin>` (with a trailing `_` before Moodle
4.1): the intake keeps each participant's full name (`downloaded/<assignment>/moodle_participants.json`), so that the
feedback zip can name the folders as Moodle does. The grading worksheet is plugins/moodle_worksheet.py's.
"""
from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

from .course import CommandError, Course

# The name Moodle gives a student's folder, or file without folders (then `_<file name>` follows). Moodle replaces
# "_" by a space in names.
MOODLE_NAME = r"(?P<full_name>.+?)_(?P<student_id>[0-9]+)_assignsubmission_[a-z]+(?P<rest>.*)"
PARTICIPANTS_FILE = "moodle_participants.json"
FEEDBACK_FOLDER = "{full_name}_{participant}_assignfeedback_file_"
STAND_IN_NAME = "Participant"  # for a participant whose name no download gave


def owner(parts: tuple[str, ...], named: str = MOODLE_NAME) -> tuple[int, re.Match] | None:
    """Which part of a path below a download names its student, and the match: the outermost such part (deeper ones
    are folders a student made, in an archive they handed in, which must not name another student)."""
    return next(((index, match) for index, part in enumerate(parts) if (match := re.fullmatch(named, part))), None)


def participants_file(course: Course, assignment: str) -> Path:
    return course.root / "downloaded" / assignment / PARTICIPANTS_FILE


def is_participant_id(student: str) -> bool:
    """Whether a student id can be a Moodle participant id: ASCII digits only, as PHP's is_numeric wants them."""
    return student.isascii() and student.isdigit()


def listed(students: list[str]) -> str:
    """A few students named, in parentheses, for a one-line summary."""
    return f"({', '.join(students[:5])}{', …' if len(students) > 5 else ''})"


def participants(course: Course, assignment: str) -> dict[str, str]:
    """Each participant id seen in the assignment's Moodle downloads, with the full name Moodle gave it."""
    path = participants_file(course, assignment)
    if not path.is_file():
        return {}
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError) as error:
        raise CommandError(f"{path}: damaged ({error}): remove it and take Moodle's download in again "
                           f"(`coursekit intake {assignment} --moodle-zip <download>`)") from None


def remember_participants(course: Course, assignment: str, names: dict[str, str]) -> None:
    """Add the participants of a Moodle download to those already kept (a later download's name wins)."""
    path = participants_file(course, assignment)
    path.parent.mkdir(parents=True, exist_ok=True)
    kept = {**participants(course, assignment), **names}
    path.write_text(json.dumps(dict(sorted(kept.items())), ensure_ascii=False, indent=1), encoding="utf-8")


def write_feedback_zip(course: Course, assignment: str, destination: Path) -> str:
    """The zip Moodle's "Upload multiple feedback files in a zip" takes: each student's feedback pages in the folder
    Moodle names after them. Return what was written, and who was left out and why."""
    names = participants(course, assignment)
    notebooks = course.notebook_names(assignment)
    with_feedback = [student for student in course.students(assignment, "feedback")
                     if any(course.feedback_html(assignment, student, notebook).is_file() for notebook in notebooks)]
    if not with_feedback:
        raise CommandError(f"no feedback for {assignment} in {course.folder(assignment, 'feedback', '*').parents[1]}: "
                           f"run `nbgrader generate_feedback {assignment}` first")
    # Moodle finds a student by the participant id in the folder's name and never reads the name: a student taken in
    # otherwise than from Moodle's download still gets their pages, under a stand-in name, if their id is Moodle's.
    not_moodle = [student for student in with_feedback if not is_participant_id(student)]
    unnamed = [student for student in with_feedback if is_participant_id(student) and student not in names]
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED) as archive:
            for student in with_feedback:
                if student in not_moodle:
                    continue
                # Moodle splits the folder's name on "_" and takes the second piece for the id: none in the name.
                full_name = names.get(student, STAND_IN_NAME).replace("_", " ")
                folder = FEEDBACK_FOLDER.format(full_name=full_name, participant=student)
                for notebook in notebooks:
                    page = course.feedback_html(assignment, student, notebook)
                    if page.is_file():
                        archive.write(page, f"{folder}/{page.name}")
    except OSError as error:
        raise CommandError(f"{destination}: cannot write the feedback zip there ({error.strerror})") from None
    said = f"Moodle feedback files: {destination} ({len(with_feedback) - len(not_moodle)} students"
    if unnamed:
        said += f"; {len(unnamed)} not taken in from Moodle's download, named {STAND_IN_NAME!r} in it"
    if not_moodle:
        said += f"; left out: {len(not_moodle)} whose student id is not a Moodle participant id {listed(not_moodle)}"
    return said + ")"
