"""The course's nbgrader plugins, named in nbgrader_config.py or on nbgrader's command line."""
from .bounded_extractor import BoundedExtractorPlugin
from .moodle_collector import MoodleCollectorPlugin
from .moodle_worksheet import MoodleWorksheetExportPlugin
from .per_test_csv import PerTestCsvExportPlugin

__all__ = ["BoundedExtractorPlugin", "MoodleCollectorPlugin", "MoodleWorksheetExportPlugin", "PerTestCsvExportPlugin"]
