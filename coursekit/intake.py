"""Which of the files a class handed in can be graded: the assignment's notebooks, readable, one of each per
student; the others reported.

Every source of submissions (a folder of student folders, a Moodle zip, nbgrader's exchange) comes
down to files grouped by student; `sort_out` keeps, for each student, each file named as one of the
assignment's notebooks, and rejects with a reason an instructor can act on: a file that is not a
notebook, a notebook under another name, two notebooks of one name for one student, an empty file, a
file that is not JSON. A rejected entry never stops the others.
"""
from __future__ import annotations

import contextlib
import json
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.apps import ZipCollectApp
from traitlets import Integer
from traitlets.config import Configurable

from . import nbgrader_internals, untrusted
from .course import CommandError, Course

TIMESTAMP_FILE = "timestamp.txt"  # nbgrader's record of when a submission was handed in
RECORD_FILE = "intake_record.json"  # in reports/<assignment>/: the students an intake could not take, and why


class IntakeBounds(Configurable):
    """The intake's bounds on each notebook a student hands in (the archives': plugins/bounded_extractor.py)."""

    max_notebook_bytes = Integer(untrusted.MAX_NOTEBOOK_BYTES, help="Bytes a notebook may have: a larger one is "
                                                                    "refused unread.").tag(config=True)


@dataclass(frozen=True)
class Rejection:
    path: Path
    student: str | None  # None when the file belongs to no student
    reason: str


@dataclass
class Intake:
    accepted: dict[str, dict[str, Path]] = field(default_factory=dict)  # student -> notebook file name -> file
    rejected: list[Rejection] = field(default_factory=list)
    missing: dict[str, list[str]] = field(default_factory=dict)  # student -> notebooks not handed in, or unreadable
    source: Path | None = None  # the folder the paths are reported relative to

    def report(self) -> str:
        lines = [f"{len(self.accepted)} submissions accepted, {len(self.rejected)} entries skipped"]
        for rejection in self.rejected:
            owner = f"student {rejection.student}: " if rejection.student else ""
            path = rejection.path
            if self.source is not None and path.is_relative_to(self.source):
                path = path.relative_to(self.source)
            lines.append(f"  skipped {owner}{path}: {rejection.reason}")
        for student, names in self.missing.items():
            if student in self.accepted:
                lines.append(f"  student {student} handed in no {' nor '.join(names)}: graded as missing")
            else:
                lines.append(f"  student {student}: nothing to grade (no {' nor '.join(names)} that can be read)")
        return _printable("\n".join(lines))

    def not_taken(self) -> dict[str, str]:
        """The students this intake has nothing of to grade, with why, in a line each."""
        why = {}
        for rejection in self.rejected:
            if rejection.student is not None and rejection.student not in self.accepted:
                why.setdefault(rejection.student, f"refused at intake: {_printable(rejection.reason)}")
        for student, names in self.missing.items():
            if student not in self.accepted:
                why.setdefault(student, f"nothing to grade: no {' nor '.join(names)} that can be read")
        return why


def _printable(text: str) -> str:
    """A file name from an archive may hold bytes that are not UTF-8: escaped, so that the text can be printed."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def record_path(course: Course, assignment: str) -> Path:
    return course.root / "reports" / assignment / RECORD_FILE


def record(course: Course, assignment: str, intake: Intake) -> None:
    """Keep, for the class report and the exports, the students this intake could not take and why: a student taken
    in since leaves the record, one refused again has the new reason."""
    path = record_path(course, assignment)
    kept = {student: why for student, why in refused(course, assignment).items() if student not in intake.accepted}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({**kept, **intake.not_taken()}, indent=1, sort_keys=True), encoding="utf-8")


def refused(course: Course, assignment: str) -> dict[str, str]:
    """The students the intakes of an assignment could not take, and why (an unreadable record counts as none)."""
    try:
        kept = json.loads(record_path(course, assignment).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(student): str(why) for student, why in kept.items()} if isinstance(kept, dict) else {}


def sort_out(files_by_student: dict[str, list[Path]], expected: list[str], rejected_already: list[Rejection] = (),
             source: Path | None = None, handed_in_as: dict[Path, str] | None = None,
             max_notebook_bytes: int = untrusted.MAX_NOTEBOOK_BYTES) -> Intake:
    """Accept each student's notebooks among the `expected` file names; reject every other file, and the notebooks
    a student handed in twice. `rejected_already` (files that belong to no student) come first in the report,
    paths relative to `source`. A file is taken under its own name, or the one `handed_in_as` gives it (a file
    named after its student, as in Moodle's download without folders)."""
    intake = Intake(rejected=list(rejected_already), source=source)
    graded = f"{' and '.join(expected)} {'is' if len(expected) == 1 else 'are'}"

    def name_of(path: Path) -> str:
        return (handed_in_as or {}).get(path, path.name)

    for student, files in sorted(files_by_student.items()):
        for path in files:
            if not name_of(path).endswith(".ipynb"):
                intake.rejected.append(Rejection(path, student, f"not a notebook: only {graded} graded"))
            elif name_of(path) not in expected:
                intake.rejected.append(Rejection(
                    path, student, f"wrong file name: expected {' or '.join(expected)} (rename it and run the "
                                   "intake again)"))
        accepted = {}
        for name in expected:
            notebooks = [path for path in files if name_of(path) == name]
            if len(notebooks) > 1:
                intake.rejected += [Rejection(path, student, f"{len(notebooks)} notebooks for one student ({name}): "
                                                             "keep the one to grade and run the intake again")
                                    for path in notebooks]
            elif notebooks:
                problem = untrusted.problem(notebooks[0], max_notebook_bytes)
                if problem:
                    intake.rejected.append(Rejection(notebooks[0], student, problem))
                else:
                    accepted[name] = notebooks[0]
        if accepted:
            intake.accepted[student] = accepted
        if len(accepted) < len(expected):
            intake.missing[student] = [name for name in expected if name not in accepted]
    return intake


def files_by_student(folder: Path) -> tuple[dict[str, list[Path]], list[Rejection]]:
    """The files of a folder of student folders (`<student>/<notebook>.ipynb`, or nbgrader's
    `<student>/<assignment>/<notebook>.ipynb`); loose files at the top are rejected.
    Hidden files and folders (.ipynb_checkpoints) and timestamp.txt are not submissions."""
    grouped: dict[str, list[Path]] = {}
    loose = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if not path.is_file() or path.name == TIMESTAMP_FILE or any(part.startswith(".") for part in relative.parts):
            continue
        if len(relative.parts) == 1:
            loose.append(Rejection(path, None, "not in a student's folder (<student_id>/<notebook>.ipynb)"))
        else:
            grouped.setdefault(relative.parts[0], []).append(path)
    return grouped, loose


def notebook_files(course: Course, assignment: str) -> list[str]:
    """The file names the assignment's notebooks are handed in under."""
    return [f"{name}.ipynb" for name in course.notebook_names(assignment)]


def take_folder(course: Course, assignment: str, folder: Path) -> Intake:
    """The submissions of a folder of student folders, into submitted/."""
    if not folder.is_dir():
        raise CommandError(f"{folder}: no such folder (a folder of <student_id>/<notebook>.ipynb)")
    grouped, loose = files_by_student(folder)
    bounds = IntakeBounds(config=course.directory.config)
    intake = sort_out(grouped, notebook_files(course, assignment), loose, source=folder,
                      max_notebook_bytes=bounds.max_notebook_bytes)
    deliver(course, assignment, intake)
    return intake


def deliver(course: Course, assignment: str, intake: Intake) -> None:
    """Copy the accepted notebooks into submitted/<student>/<assignment>/, with their timestamp.txt if they
    have one."""
    for student, accepted in intake.accepted.items():
        destination = course.folder(assignment, "submitted", student)
        destination.mkdir(parents=True, exist_ok=True)
        for name, notebook in accepted.items():
            shutil.copyfile(notebook, destination / name)
            timestamp = notebook.parent / TIMESTAMP_FILE
            if timestamp.is_file():
                shutil.copyfile(timestamp, destination / TIMESTAMP_FILE)


def take_moodle_zip(course: Course, assignment: str, download: Path) -> Intake:
    """nbgrader's zip_collect on a Moodle download, with the course's Moodle collector (nbgrader_config.py)."""
    if not zipfile.is_zipfile(download):
        raise CommandError(f"{download}: not a zip file (Moodle's \"Download all submissions\" gives one)")
    archive = course.root / "downloaded" / assignment / "archive"
    shutil.rmtree(archive, ignore_errors=True)
    archive.mkdir(parents=True)
    shutil.copyfile(download, archive / download.name)
    with contextlib.chdir(course.root):  # nbgrader apps read nbgrader_config.py from the working folder
        app = ZipCollectApp()
        app.initialize([assignment, "--force", "--log-level=ERROR"])
        app.start()
    return nbgrader_internals.collector_plugin(app).intake or Intake()


def take_exchange(course: Course, assignment: str) -> Intake:
    """nbgrader's collect from the exchange into downloaded/<assignment>/exchange/, then sorted out and delivered
    like a folder; the submission times nbgrader records (timestamp.txt) come along."""
    staging = course.root / "downloaded" / assignment / "exchange"
    shutil.rmtree(staging, ignore_errors=True)
    course.nbgrader("collect", assignment, f"--CourseDirectory.submitted_directory={staging}")
    return take_folder(course, assignment, staging) if staging.is_dir() else Intake()
