"""A synthetic Moodle assignment, for the demo and the tests: the files Moodle gives an instructor for a class, its
"Download all submissions" zip and its grading worksheet, written as Moodle 4 writes them
(mod/assign/classes/downloader.php, mod/assign/gradingtable.php), in English or in French.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat import NotebookNode

FIRST_PARTICIPANT_ID = 1001


@dataclass(frozen=True)
class Language:
    """What a Moodle user's language changes in the worksheet Moodle gives them."""
    columns: tuple[str, ...]  # in Moodle's order: identifier, full name, email, status, grade, maximum grade,
    #                           grade can be changed, last modified (submission), last modified (grade), comments
    participant: str  # Moodle's `hiddenuser` string, before the participant id
    decimal_separator: str
    no_submission: str
    submitted: str
    yes: str


LANGUAGES = {
    "en": Language(("Identifier", "Full name", "Email address", "Status", "Grade", "Maximum grade",
                    "Grade can be changed", "Last modified (submission)", "Last modified (grade)",
                    "Feedback comments"), "Participant ", ".", "No submission", "Submitted for grading", "Yes"),
    "fr": Language(("Identifiant", "Nom complet", "Adresse de courriel", "Statut", "Note", "Note maximale",
                    "La note peut être modifiée", "Dernière modification (travail remis)",
                    "Dernière modification (note)", "Feedback par commentaires"),
                   "Participant", ",", "Aucun travail remis", "Remis pour évaluation", "Oui"),
}


def participant_ids(students: list[str]) -> dict[str, str]:
    """Moodle's participant id of each student, in the given order."""
    return {student: str(FIRST_PARTICIPANT_ID + index) for index, student in enumerate(students)}


def submission_folder(full_name: str, participant_id: str, moodle_4_1: bool = True) -> str:
    """The folder Moodle's download gives a student's files (with a trailing "_" before Moodle 4.1)."""
    return f"{full_name.replace('_', ' ')}_{participant_id}_assignsubmission_file{'' if moodle_4_1 else '_'}"


def write_download(path: Path, notebook_file: str, submissions: dict[str, NotebookNode], names: dict[str, str],
                   ids: dict[str, str], extra_files: dict[str, bytes] | None = None, moodle_4_1: bool = True) -> None:
    """Moodle's "Download all submissions" zip: each student's notebook in their folder (student -> notebook, full
    name, participant id); `extra_files` added as they are (paths inside the zip)."""
    with zipfile.ZipFile(path, "w") as archive:
        for student, notebook in submissions.items():
            archive.writestr(f"{submission_folder(names[student], ids[student], moodle_4_1)}/{notebook_file}",
                             nbformat.writes(notebook))
        for name, content in (extra_files or {}).items():
            archive.writestr(name, content)


def write_worksheet(path: Path, names: dict[str, str], ids: dict[str, str], submitted: set[str], language: str,
                    maximum: float = 20) -> None:
    """The grading worksheet Moodle gives for download before anything is graded: one row per participant, in the
    language's headers, numbers with its decimal separator, in UTF-8 with a byte order mark, quoted as PHP's
    fputcsv quotes."""
    words = LANGUAGES[language]
    grade_maximum = f"{maximum:.2f}".replace(".", words.decimal_separator)
    rows = [list(words.columns)]
    for student, name in names.items():
        handed_in = student in submitted
        rows.append([words.participant + ids[student], name, f"{name.lower().replace(' ', '.')}@example.org",
                     words.submitted if handed_in else words.no_submission, "", grade_maximum, words.yes,
                     "Friday, 4 December 2026, 6:05 PM" if handed_in else "-", "-", ""])
    path.write_text("\ufeff" + "".join(",".join(map(_php_csv_field, row)) + "\n" for row in rows), encoding="utf-8")


def _php_csv_field(field: str) -> str:
    """A field as PHP's fputcsv writes it: quoted when it holds a comma, a quote, a space, a tab or a line break."""
    if any(character in field for character in ',"\t\r\n '):
        return '"' + field.replace('"', '""') + '"'
    return field
