"""The course's nbgrader plugins, named in nbgrader_config.py or on nbgrader's command line."""
from .bounded_extractor import BoundedExtractorPlugin
from .grades_csv import GradesCsvExportPlugin, PerTestCsvExportPlugin
from .moodle_collector import MoodleCollectorPlugin
from .moodle_worksheet import MoodleWorksheetExportPlugin

__all__ = ["BoundedExtractorPlugin", "GradesCsvExportPlugin", "MoodleCollectorPlugin", "MoodleWorksheetExportPlugin",
           "PerTestCsvExportPlugin"]
