"""nbgrader's zip_collect extractor, within bounds: the archives of a download (Moodle's zip, and the archives students
hand in, at any depth) unpacked by coursekit.unpacking, the bounds set in nbgrader_config.py. A student whose hand-in
passes a bound is refused by name (the Moodle collector reports them), and the others are taken in."""
from __future__ import annotations

from pathlib import Path

from nbgrader.plugins import ExtractorPlugin
from traitlets import Integer, Unicode

from .. import moodle, unpacking

DEFAULTS = unpacking.Bounds()


class BoundedExtractorPlugin(ExtractorPlugin):
    max_bytes_per_student = Integer(DEFAULTS.bytes_per_student, help="Bytes one student's hand-in may unpack to."
                                    ).tag(config=True)
    max_bytes_per_download = Integer(DEFAULTS.bytes_per_download, help="Bytes a whole download may unpack to."
                                     ).tag(config=True)
    max_files_per_student = Integer(DEFAULTS.files_per_student, help="Files one student's hand-in may unpack to."
                                    ).tag(config=True)
    max_files_per_download = Integer(DEFAULTS.files_per_download, help="Files a whole download may unpack to."
                                     ).tag(config=True)
    max_depth = Integer(DEFAULTS.depth, help="Archives within archives, the download's own counted.").tag(config=True)
    max_ratio = Integer(DEFAULTS.ratio, help="Bytes an archive may unpack to per byte of its own (past 1 MiB)."
                        ).tag(config=True)
    max_memory = Integer(DEFAULTS.memory, help="Bytes of address space of the process that unpacks one student's "
                                               "archive (Python's archive readers can be made to allocate)."
                         ).tag(config=True)
    max_seconds = Integer(DEFAULTS.seconds, help="CPU seconds, and seconds in all, of that process.").tag(config=True)
    owner_regexp = Unicode(moodle.MOODLE_NAME, help="The name of a student's folder or file in the download, with a "
                                                    "(?P<student_id>...) group: whose share a file counts in."
                           ).tag(config=True)

    refusals: list[unpacking.Refusal] = []

    def extract(self, archive_path: str, extracted_path: str) -> None:
        bounds = unpacking.Bounds(self.max_bytes_per_student, self.max_bytes_per_download,
                                  self.max_files_per_student, self.max_files_per_download, self.max_depth,
                                  self.max_ratio, self.max_memory, self.max_seconds)
        self.refusals = unpacking.unpack_download(Path(archive_path), Path(extracted_path), bounds, self._owner)
        for refusal in self.refusals:
            self.log.warning("Refused %s: %s", refusal.path, refusal.reason)

    def _owner(self, parts: tuple[str, ...]) -> str | None:
        found = moodle.owner(parts, self.owner_regexp)
        return found[1]["student_id"] if found else None
