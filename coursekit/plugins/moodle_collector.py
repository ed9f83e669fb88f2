"""nbgrader's zip_collect for Moodle's "Download all submissions" zip, with bad entries reported and skipped.

Moodle names each file `<Full Name>_<participant id>_assignsubmission_file/<file>` (Moodle 4.1 and later;
`..._assignsubmission_file_/<file>` before; `..._assignsubmission_file_<file>` without folders; other submission
plugins, such as online text, in the same way, and their files are reported). The participant id becomes the
nbgrader student id: it is unique, and it is how Moodle's grading worksheet names a student. Each participant's full
name is kept (coursekit.moodle.remember_participants) for the feedback zip, whose folders Moodle names the same way.
Set in nbgrader_config.py, so

    cp moodle-download.zip downloaded/<assignment>/archive/ && nbgrader zip_collect <assignment> --force

fills submitted/. Each student's files are sorted out together (coursekit.intake.sort_out), so a
student with two notebooks is reported instead of one of them being graded at random.
"""
from __future__ import annotations

from pathlib import Path

from nbgrader.plugins import FileNameCollectorPlugin
from traitlets import Unicode

from .. import moodle, nbgrader_internals
from ..course import Course
from ..intake import Intake, IntakeBounds, Rejection, notebook_files, sort_out


class MoodleCollectorPlugin(FileNameCollectorPlugin):
    named_regexp = Unicode(moodle.MOODLE_NAME, help="Moodle's name for a student's folder or file, matched with each "
                                                    "part of a file's path below the extracted folder, outermost first"
                           ).tag(config=True)

    intake: Intake | None = None

    def collect(self, submitted_file: str) -> dict | None:
        if self.intake is None:
            self.intake = self._sort_out_extracted_files()
        path = Path(submitted_file)
        for student, accepted in self.intake.accepted.items():
            for name, notebook in accepted.items():
                if notebook == path:
                    return {"student_id": student, "file_id": name}
        reason = next((rejection.reason for rejection in self.intake.rejected if rejection.path == path), "")
        self.log.warning("Skipped %s: %s", path, reason)
        return None

    def _sort_out_extracted_files(self) -> Intake:
        extracted = Path(nbgrader_internals.collect_path(self.parent, self.parent.extracted_directory))
        grouped: dict[str, list[Path]] = {}
        names: dict[str, str] = {}
        handed_in_as: dict[Path, str] = {}
        unknown = []
        for path in sorted(extracted.rglob("*")):
            if not path.is_file():
                continue
            parts = path.relative_to(extracted).parts
            owner = moodle.owner(parts, self.named_regexp)
            if owner is None:
                unknown.append(Rejection(path, None, "not named as Moodle names a submitted file "
                                                     "(<Full Name>_<id>_assignsubmission_file/)"))
                continue
            index, match = owner
            grouped.setdefault(match["student_id"], []).append(path)
            names[match["student_id"]] = match["full_name"]
            if index == len(parts) - 1:  # a file named after its student: Moodle's download without folders
                handed_in_as[path] = match["rest"].removeprefix("_")
        course, assignment = Course(Path(self.parent.coursedir.root)), self.parent.coursedir.assignment_id
        moodle.remember_participants(course, assignment, names)
        # What the extractor refused to unpack (BoundedExtractorPlugin), named with its student.
        refused = [Rejection(refusal.path, refusal.owner, refusal.reason)
                   for refusal in getattr(self.parent.extractor_plugin_inst, "refusals", [])]
        return sort_out(grouped, notebook_files(course, assignment), unknown + refused, source=extracted,
                        handed_in_as=handed_in_as,
                        max_notebook_bytes=IntakeBounds(parent=self.parent).max_notebook_bytes)
