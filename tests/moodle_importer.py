"""Moodle's side of the round trip: how Moodle 4 reads a grading worksheet and a zip of feedback files
(mod/assign/feedback/offline/importgradeslib.php, lib/csvlib.class.php, lib/moodlelib.php's unformat_float;
mod/assign/feedback/file/importziplib.php), ported for what the tests check. Its strings are Moodle's language
packs', written here apart from coursekit's own, so that the tests do not check coursekit against itself."""
from __future__ import annotations

import csv
import html
import io
import re
import zipfile
from dataclasses import dataclass

# The strings of the importing user's language: recordid, gradenoun, lastmodifiedgrade (mod_assign, core),
# assignfeedback_comments' pluginname, hiddenuser (mod_assign), and langconfig's decsep.
STRINGS = {
    "en": {"identifier": "Identifier", "grade": "Grade", "modified": "Last modified (grade)",
           "comments": "Feedback comments", "hiddenuser": "Participant ", "decsep": "."},
    "fr": {"identifier": "Identifiant", "grade": "Note", "modified": "Dernière modification (note)",
           "comments": "Feedback par commentaires", "hiddenuser": "Participant", "decsep": ","},
}


class ImportRefused(ValueError):
    """Moodle refuses the whole file; the message is why."""


@dataclass(frozen=True)
class ImportedRow:
    participant: str  # what Moodle takes for the participant id
    grade: float | None  # None: Moodle skips the grade (empty cell)
    comment: str | None  # None: no comments column


def import_worksheet(content: bytes, language: str) -> list[ImportedRow]:
    """The rows Moodle's importer reads from a worksheet, for a user of `language`, with a comma separator and
    UTF-8 (the upload form's defaults)."""
    strings = STRINGS[language]
    text = content.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").strip()
    lines = [row for row in csv.reader(io.StringIO(text)) if row]
    header, rows = lines[0], lines[1:]
    if any(len(row) != len(header) for row in rows):
        raise ImportRefused("csvweirdcolumns: a row has not as many columns as the header")
    columns = {key: index for index, column in enumerate(header) for key in ("identifier", "grade", "modified",
                                                                              "comments") if column == strings[key]}
    if not {"identifier", "grade", "modified"} <= set(columns):
        raise ImportRefused(f"invalidgradeimport: no {strings['identifier']}, {strings['grade']} or "
                            f"{strings['modified']} column in {header}")
    prefix = len(strings["hiddenuser"].encode())  # substr($idstr, strlen(get_string('hiddenuser', 'assign')))
    return [ImportedRow(row[columns["identifier"]].encode()[prefix:].decode(),
                        unformat_float(row[columns["grade"]], strings["decsep"]),
                        row[columns["comments"]] if "comments" in columns else None) for row in rows]


def as_downloaded(cell: str) -> str:
    """A cell as Moodle writes it into the worksheet it gives for download (base_export_format::format_text):
    `</p>` and line breaks as three spaces, tags stripped, HTML entities decoded."""
    for flattened in ("</p>", "\n", "\r"):
        cell = cell.replace(flattened, "   ")
    return html.unescape(re.sub(r"<[^>]*>", "", cell))


def unformat_float(value: str, decimal_separator: str) -> float | None:
    """moodlelib's unformat_float, then PHP's (float): the number a leading numeric prefix makes, 0 if none."""
    value = value.strip()
    if value == "":
        return None
    value = value.replace(" ", "").replace(decimal_separator, ".")
    number = re.match(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", value)
    return float(number[0]) if number else 0.0


@dataclass(frozen=True)
class FeedbackFile:
    participant: str
    plugin: str  # assignfeedback_file
    path: str  # where Moodle stores the file for the participant


def import_feedback_zip(archive: zipfile.ZipFile) -> list[FeedbackFile]:
    """The files Moodle's zip importer takes, and for whom: the first part of a file's path that splits on "_" into a
    name, a numeric participant id and a plugin, names them (is_valid_filename_for_import); the others are
    ignored."""
    taken = []
    for name in archive.namelist():
        file_name = name.rsplit("/", 1)[-1]
        if name.endswith("/") or file_name.startswith((".", "~")):
            continue
        parts = name.split("/")
        while parts:
            info = parts.pop(0).split("_", 4)
            if len(info) < 4 or not info[1].isdigit():
                continue
            parts.insert(0, info[4] if len(info) == 5 else "")
            taken.append(FeedbackFile(info[1], f"{info[2]}_{info[3]}", "/".join(parts)))
            break
    return taken
