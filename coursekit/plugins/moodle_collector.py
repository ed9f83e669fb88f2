"""nbgrader's zip_collect for Moodle's "Download all submissions" zip, with bad entries reported and skipped.

Moodle names each file `<Full Name>_<participant id>_assignsubmission_file/<file>` (Moodle 4.1 and later;
`..._assignsubmission_file_/<file>` before; `..._assignsubmission_file_<file>` without folders; other submission
plugins, such as online text, in the same way, and their files are reported). The participant id becomes the nbgrader student id: it
is unique, and it is how Moodle's grading worksheet names a student. Each participant's full name is kept
(coursekit.moodle.remember_participants) for the feedback zip, whose folders Moodle names the same way. Set in
nbgrader_config.py, so

    cp moodle-download.zip downloaded/<assignment>/archive/ && nbgrader zip_collect <assignment> --force

fills submitted/. Each student's files are sorted out together (coursekit.intake.sort_out), so a
student with two notebooks is reported instead of one of them being graded at random.
"""
from __future__ import annotations

import re
from pathlib import Path

from nbgrader.plugins import FileNameCollectorPlugin
from traitlets import Unicode

from .. import moodle, nbgrader_internals
from ..course import Course
from ..intake import Intake, Rejection, notebook_files, sort_out

# A student's folder, then the file, in one of Moodle's layouts (Moodle replaces "_" by a space in names).
MOODLE_FILE_NAME = (r"(?:^|/)(?P<full_name>[^/]+?)_(?P<student_id>\d+)_assignsubmission_[a-z]+"
                    r"(?:_?/(?:[^/]+/)*|_)(?P<file_id>[^/]+)$")


class MoodleCollectorPlugin(FileNameCollectorPlugin):
    named_regexp = Unicode(MOODLE_FILE_NAME, help="Moodle's name for a submitted file, searched in its path "
                                                  "below the extracted folder").tag(config=True)

    intake: Intake | None = None

    def collect(self, submitted_file: str) -> dict | None:
        if self.intake is None:
            self.intake = self._sort_out_extracted_files()
        path = Path(submitted_file)
        for student, accepted in self.intake.accepted.items():
            if path in accepted.values():
                return {"student_id": student, "file_id": path.name}
        reason = next((rejection.reason for rejection in self.intake.rejected if rejection.path == path), "")
        self.log.warning("Skipped %s: %s", path, reason)
        return None

    def _sort_out_extracted_files(self) -> Intake:
        extracted = Path(nbgrader_internals.collect_path(self.parent, self.parent.extracted_directory))
        grouped: dict[str, list[Path]] = {}
        names: dict[str, str] = {}
        unknown = []
        for path in sorted(extracted.rglob("*")):
            if not path.is_file():
                continue
            match = re.search(self.named_regexp, path.relative_to(extracted).as_posix())
            if match:
                grouped.setdefault(match["student_id"], []).append(path)
                names[match["student_id"]] = match["full_name"]
            else:
                unknown.append(Rejection(path, None, "not named as Moodle names a submitted file "
                                                     "(<Full Name>_<id>_assignsubmission_file/)"))
        course, assignment = Course(Path(self.parent.coursedir.root)), self.parent.coursedir.assignment_id
        moodle.remember_participants(course, assignment, names)
        return sort_out(grouped, notebook_files(course, assignment), unknown, source=extracted)
