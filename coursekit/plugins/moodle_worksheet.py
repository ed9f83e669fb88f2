"""An nbgrader exporter: the grading worksheet Moodle's assignment imports (*Upload grading worksheet*).

Moodle's importer (mod/assign/feedback/offline/importgradeslib.php) needs three columns, found by their headers in
the language of the Moodle user who imports: `Identifier` (`Participant <id>`, the participant id that names the
students of Moodle's download), `Grade` and `Last modified (grade)`; it reads `Feedback comments` when that plugin
is on, and ignores the others. So the best worksheet is the one the instructor downloaded from Moodle
(*Download grading worksheet*): its headers are already in the right language, its rows and columns are the ones
Moodle expects back, and its dates let Moodle refuse to overwrite a grade changed there since. Given it
(`downloaded`), this exporter keeps every row and column and fills in, for each student graded here, the grade (the
total out of Moodle's maximum, with the file's decimal separator and decimals) and a short feedback comment (points
per part, the tests that lost points); the other rows are left as they were. Without it, it writes the minimal
worksheet, in English:

    nbgrader export --exporter=coursekit.plugins.MoodleWorksheetExportPlugin --assignment=tp1 --to worksheet.csv \\
        --MoodleWorksheetExportPlugin.downloaded=Grades-ML-TP1-42.csv

A student whose written answers still await a grade keeps their row unless `ungraded_answers_as_zero` is set.
"""
from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook
from traitlets import Bool, Unicode

from .. import grades, moodle, notebooks
from .. import standing as standing_
from ..course import CommandError, Course
from .grades_csv import CourseExportPlugin

# Moodle's headers of the columns the importer reads, and of the participants' names, in the languages coursekit knows
# (Moodle's strings: recordid, fullnameuser, gradenoun, maxgrade, lastmodifiedgrade, assignfeedback_comments'
# pluginname). Another language is one more row.
HEADERS = {
    "en": {"identifier": "Identifier", "name": "Full name", "grade": "Grade", "maximum": "Maximum grade",
           "scale": "Scale", "modified": "Last modified (grade)", "comments": "Feedback comments"},
    "fr": {"identifier": "Identifiant", "name": "Nom complet", "grade": "Note", "maximum": "Note maximale",
           "scale": "Barème", "modified": "Dernière modification (note)", "comments": "Feedback par commentaires"},
}
# What spreadsheets save a CSV file in, besides UTF-8: Excel's "CSV" on a French or English Windows.
OTHER_ENCODING = "cp1252"
PARTICIPANT = "Participant "  # how the English worksheet writes an identifier before the participant id
NEVER_GRADED = "-"  # Moodle's "Last modified (grade)" of a student with no grade yet
BYTE_ORDER_MARK = "\ufeff"  # Moodle writes its worksheet with one, and its importer takes it off


@dataclass
class Worksheet:
    header: list[str]
    rows: list[list[str]]
    columns: dict[str, int]  # the importer's columns (identifier, grade, modified; maximum, comments if present)
    delimiter: str = ","
    decimal_separator: str = "."
    decimals: int = 2  # at least: Moodle keeps more than it shows
    maximum: float | None = None  # the assignment's maximum grade in Moodle, when the file gives it

    def participant(self, row: list[str]) -> str | None:
        """The participant id of a row (the digits that end its identifier), or None."""
        match = re.search(r"([0-9]+)\s*$", row[self.columns["identifier"]])
        return match[1] if match else None

    def participants(self) -> dict[str, str]:
        """Every participant of the worksheet, with their full name ("" when the file has no such column)."""
        return {participant: row[self.columns["name"]] if "name" in self.columns else ""
                for row in self.rows if (participant := self.participant(row))}

    def number(self, value: float) -> str:
        return f"{value:.{self.decimals}f}".replace(".", self.decimal_separator)

    def write(self, path: Path) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=self.delimiter, lineterminator="\n")
        writer.writerow(self.header)
        writer.writerows(self.rows)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(BYTE_ORDER_MARK + buffer.getvalue(), encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{path}: cannot write the worksheet there ({error.strerror})") from None


def read_worksheet(path: Path) -> Worksheet:
    """A worksheet downloaded from Moodle (or saved again by a spreadsheet), its columns found by their headers in
    any language of HEADERS."""
    try:
        content = path.read_bytes()
    except OSError as error:
        raise CommandError(f"{path}: cannot be read ({error.strerror})") from None
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode(OTHER_ENCODING, errors="replace")
    delimiter = max(",;\t", key=lambda candidate: text.partition("\n")[0].count(candidate))
    lines = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    numbered = [(number, row) for number, row in enumerate(lines, start=1) if row]
    if not numbered:
        raise CommandError(f"{path}: empty, not Moodle's grading worksheet")
    (_, header), rows = numbered[0], numbered[1:]
    for language in HEADERS.values():
        # The last column of a header, as Moodle's importer takes it (an identity field may share the name).
        columns = {key: len(header) - 1 - header[::-1].index(name) for key, name in language.items() if name in header}
        if {"identifier", "grade", "modified"} <= set(columns):
            break
    else:
        known = "; ".join(", ".join(language[key] for key in ("identifier", "grade", "modified"))
                          for language in HEADERS.values())
        raise CommandError(f"{path}: not a grading worksheet coursekit can read, as a CSV file in UTF-8: its headers "
                           f"({', '.join(header)}) lack Moodle's columns in the languages known ({known}); download "
                           "it from Moodle in one of them, or add the language to HEADERS in "
                           "coursekit/plugins/moodle_worksheet.py")
    if "scale" in columns:
        raise CommandError(f"{path}: the assignment is graded on a scale in Moodle ({header[columns['scale']]} "
                           "column), which takes a scale's words, not points: set its grade type to Point")
    uneven = [number for number, row in rows if len(row) != len(header)]
    if uneven:
        raise CommandError(f"{path}: line {uneven[0]} has not as many columns as the header ({len(header)}): Moodle "
                           "would refuse the whole file")
    worksheet = Worksheet(header, [row for _, row in rows], columns, delimiter)
    maximum = next((row[columns["maximum"]] for _, row in rows if "maximum" in columns), "")
    number = re.fullmatch(r"\s*(?P<units>[0-9]+)(?:(?P<separator>[.,])(?P<decimals>[0-9]+))?\s*", maximum)
    if number:
        worksheet.maximum = float(f"{number['units']}.{number['decimals'] or 0}")
    if number and number["separator"]:
        worksheet.decimal_separator = number["separator"]
        worksheet.decimals = max(worksheet.decimals, len(number["decimals"]))
    return worksheet


def minimal_worksheet(participants: list[str]) -> Worksheet:
    """The columns Moodle's importer needs, in English, one row per participant id, nothing graded yet."""
    english = HEADERS["en"]
    keys = ["identifier", "grade", "modified", "comments"]
    return Worksheet([english[key] for key in keys], [[PARTICIPANT + participant, "", NEVER_GRADED, ""]
                                                      for participant in participants],
                     {key: index for index, key in enumerate(keys)})


def as_moodle_shows(text: str) -> str:
    """A cell as Moodle writes it back into a worksheet (lib/table's export format): its HTML flattened, `</p>` and
    line breaks as three spaces, tags removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]*>", "", re.sub(r"</p>|\r|\n", "   ", text))).strip()


class MoodleWorksheetExportPlugin(CourseExportPlugin):
    downloaded = Unicode("", help="the grading worksheet downloaded from Moodle, kept and filled in (without it, "
                                  "the minimal worksheet)").tag(config=True)
    ungraded_answers_as_zero = Bool(False, help="export a student whose written answers await a grade, those "
                                                "answers counted 0 (said in the comment)").tag(config=True)
    summary = ""  # what export() did, for the command that runs it

    def export(self, gradebook: Gradebook) -> None:
        if len(self.assignment) != 1:
            raise CommandError("Moodle's grading worksheet is for one assignment: name it (--assignment=tp1)")
        assignment = str(self.assignment[0])
        destination = Path(self.to or f"moodle_worksheet_{assignment}.csv")
        course = self.course()
        graded_in_nbgrader = gradebook.find_assignment(assignment)
        standings = {known.student: known for known in standing_.class_standings(course, assignment, gradebook)}
        not_moodle = []
        if self.downloaded:
            worksheet = read_worksheet(Path(self.downloaded))
        else:
            not_moodle = sorted(student for student in standings if not moodle.is_participant_id(student))
            worksheet = minimal_worksheet([student for student in standings if student not in not_moodle])
        comments = _Comments(course, assignment)
        ours = graded_in_nbgrader.max_score
        maximum = worksheet.maximum or ours
        graded, capped, replaced, awaiting, not_graded = 0, [], [], [], 0
        for row in worksheet.rows:
            student = worksheet.participant(row)
            known = standings.get(student or "")
            if known is None or known.grade is None:
                not_graded += 1
                if "comments" in worksheet.columns:  # the grade stays blank: Moodle then keeps its own
                    row[worksheet.columns["comments"]] = _Comments.not_graded(
                        known.why_not_graded if known else standing_.NOTHING_HANDED_IN)
                continue
            if known.grade.awaiting and not self.ungraded_answers_as_zero:
                awaiting.append(student)
                continue
            submission = gradebook.find_submission(assignment, student)
            if known.grade.score > ours:  # extra credit: Moodle refuses a grade above its maximum, without a word
                capped.append(student)
            grade = worksheet.number(min(known.grade.score, ours) * maximum / ours)
            filled = {"grade": grade}
            if "comments" in worksheet.columns:
                filled["comments"] = comments.comment(submission, known.grade,
                                                      f"{grade} / {worksheet.number(maximum)}")
            # Moodle gives back the comments it was sent flattened: only a different text is a replacement.
            if any(as_moodle_shows(row[worksheet.columns[key]]) not in ("", as_moodle_shows(value))
                   for key, value in filled.items()):
                replaced.append(student)
            for key, value in filled.items():
                row[worksheet.columns[key]] = value
            graded += 1
        worksheet.write(destination)
        said = [f"{graded} grades"]
        if maximum != ours:
            said.append(f"scaled to Moodle's maximum {maximum:g} from {ours:g}")
        if capped:
            said.append(f"{len(capped)} above the maximum with extra credit, given the maximum {moodle.listed(capped)}")
        if replaced:
            said.append(f"{len(replaced)} replacing a grade or comment already in Moodle's worksheet "
                        f"{moodle.listed(replaced)}")
        if not_moodle:
            said.append(f"left out: {len(not_moodle)} whose student id is not a Moodle participant id "
                        f"{moodle.listed(not_moodle)}")
        said.append(f"{not_graded} not graded, their grade left blank and the comment saying why")
        if awaiting:
            said.append(f"{len(awaiting)} whose written answers await a grade {moodle.listed(awaiting)}: grade them in the "
                        "formgrader")
        if worksheet.delimiter != ",":
            said.append(f"columns separated by {worksheet.delimiter!r} as in the file given: choose that separator in "
                        "Moodle's upload form")
        self.summary = f"Moodle grading worksheet: {destination} ({'; '.join(said)})"
        self.log.info(self.summary)


class _Comments:
    """The feedback comment of a submission: its grade and status, the tests' points per part of the notebook, the
    written answers', the tests that lost points, and where to read more."""

    def __init__(self, course: Course, assignment: str):
        step = "source" if course.folder(assignment, "source").is_dir() else "release"
        names = course.notebook_names(assignment)
        masters = {name: notebooks.read(course.notebook(assignment, step, notebook=name)) for name in names}
        # A part is named after its notebook too when the assignment has several: each has its own Part 1.
        self.parts = {name: {cell: grades.cell_label(name, part or name, len(names))
                             for cell, part in notebooks.parts(master).items()} for name, master in masters.items()}
        self.tests = {name: set(notebooks.test_cells(master)) for name, master in masters.items()}
        self.pages = ", ".join(f"{name}.html" for name in names)

    def comment(self, submission, grade: grades.SubmissionGrade, points: str) -> str:
        tests = {part: [0.0, 0.0] for parts in self.parts.values() for part in parts.values()}
        answers, lost = [0.0, 0.0], []
        for notebook in submission.notebooks:
            for cell in notebook.grades:
                earned = cell.score or 0.0
                if cell.name in self.tests[notebook.name]:
                    points_of_part = tests[self.parts[notebook.name].get(cell.name, notebook.name)]
                    if earned < cell.max_score:
                        lost.append(f"{cell.name} ({earned:g} / {cell.max_score:g})")
                else:  # graded by hand
                    points_of_part = answers
                points_of_part[0] += earned
                points_of_part[1] += cell.max_score
        status = (f"provisional: {len(grade.awaiting)} written answers ({grade.awaiting_points:g} points) are not "
                  "graded yet and count 0 here" if grade.awaiting else "final")
        lines = [f"Grade: {points} ({status}).",
                 *(f"{part}: {earned:g} / {total:g}" for part, (earned, total) in tests.items() if total)]
        if answers[1]:
            lines.append(f"Written answers: {len(grade.awaiting)} not graded yet." if grade.awaiting
                         else f"Written answers: {answers[0]:g} / {answers[1]:g}.")
        if submission.late_submission_penalty:
            lines.append(f"Late: {submission.late_submission_penalty:g} points off.")
        if lost:
            lines += [f"Tests that lost points: {', '.join(lost)}.",
                      f"Your feedback page, {self.pages} (attached), says what went wrong in each and how to fix it."]
        else:
            lines.append(f"Every test passed. Your feedback page, {self.pages}, is attached.")
        return "".join(f"<p>{html.escape(line)}</p>" for line in lines)

    @staticmethod
    def not_graded(why: str) -> str:
        return f"<p>{html.escape(f'Not graded: {why}.')}</p>"
