"""Moodle's side of a course: the participants' names kept from its download, and the feedback files' zip it
takes back.

Moodle names a student's folder in its zips `<Full Name>_<participant id>_<plugin>_`: the intake keeps each
participant's full name (`downloaded/<assignment>/moodle_participants.json`), so that the feedback zip can name the
folders as Moodle does. The grading worksheet is plugins/moodle_worksheet.py's.
"""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

from .course import CommandError, Course

PARTICIPANTS_FILE = "moodle_participants.json"
FEEDBACK_FOLDER = "{full_name}_{participant}_assignfeedback_file_"


def participants_file(course: Course, assignment: str) -> Path:
    return course.root / "downloaded" / assignment / PARTICIPANTS_FILE


def participants(course: Course, assignment: str) -> dict[str, str]:
    """Each participant id seen in the assignment's Moodle downloads, with the full name Moodle gave it."""
    path = participants_file(course, assignment)
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


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
    unknown = [student for student in with_feedback if student not in names]
    if unknown:
        raise CommandError(
            f"no Moodle name for {len(unknown)} students with feedback ({', '.join(unknown[:5])}"
            f"{', …' if len(unknown) > 5 else ''}): Moodle's feedback zip names each folder after the student as its "
            f"download did; take the submissions in with `coursekit intake {assignment} --moodle-zip <download>`")
    if not with_feedback:
        raise CommandError(f"no feedback for {assignment} in {course.folder(assignment, 'feedback', '*').parents[1]}: "
                           f"run `nbgrader generate_feedback {assignment}` first")
    destination.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED) as archive:
        for student in with_feedback:
            # Moodle splits the folder's name on "_" and takes the second piece for the id: none in the name.
            folder = FEEDBACK_FOLDER.format(full_name=names[student].replace("_", " "), participant=student)
            for notebook in notebooks:
                page = course.feedback_html(assignment, student, notebook)
                if page.is_file():
                    archive.write(page, f"{folder}/{page.name}")
    return f"Moodle feedback files: {destination} ({len(with_feedback)} students)"
