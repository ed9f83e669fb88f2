"""The one place coursekit reaches into nbgrader's internals, with what nbgrader does there.

coursekit splits nbgrader's autograding of a notebook at its Execute step, to execute in a pool of threads
(converters/parallel_autograde.py), keeps what nbgrader's own loop does on the errors that stop a batch, and reads
the Moodle download where nbgrader's zip_collect put it (plugins/moodle_collector.py, intake.py). nbgrader's public
API offers none of it, so it goes through the private names in USED, and through messages copied from nbgrader's
loop. Checked against nbgrader 0.9.6, the version requirements.txt pins (and nbconvert 7.17.2, whose exporter
holds the list of preprocessors). Each name is looked up when this module is imported: if an nbgrader upgrade
removes or renames one, coursekit stops at once with an error that names it, instead of failing later in a place
that does not say why. An upgrade that keeps the names but changes what they do shows in the gradebook-equality
test (tests/converters/test_parallel_autograde.py); each function's docstring says what it relies on.
"""
from __future__ import annotations

import os
import re

import sqlalchemy
from nbconvert.exporters import Exporter
from nbgrader import __version__ as NBGRADER_VERSION
from nbgrader.apps import ZipCollectApp
from nbgrader.converters import Autograde
from nbgrader.converters.base import BaseConverter
from nbgrader.nbgraderformat import SchemaTooNewError, SchemaTooOldError
from nbgrader.plugins import FileNameCollectorPlugin
from nbgrader.preprocessors import Execute
from traitlets.utils.importstring import import_item

CHECKED_VERSIONS = ("0.9.6",)

# Every private name used below, by the class that has it.
USED = {
    BaseConverter: ("_format_source", "_format_dest", "convert_single_notebook"),
    Autograde: ("_sanitizing", "_init_preprocessors"),
    Exporter: ("_preprocessors",),
    ZipCollectApp: ("_format_collect_path", "collector_plugin_inst"),
}

# The errors on which nbgrader's own loop (BaseConverter.convert_notebooks) stops the whole batch instead of going
# on with the next submission, and what it then says: the gradebook or the notebooks' format needs the instructor.
FATAL_FOR_THE_BATCH = {
    sqlalchemy.exc.OperationalError: (
        "There was an error accessing the nbgrader database. This may occur if you recently upgraded nbgrader. "
        "To resolve the issue, first BACK UP your database and then run the command `nbgrader db upgrade`."),
    SchemaTooOldError: (
        "One or more notebooks in the assignment use an old version of the nbgrader metadata format. Please "
        "**back up your class files directory** and then update the metadata using: nbgrader update ."),
    SchemaTooNewError: (
        "One or more notebooks in the assignment use a newer version of the nbgrader metadata format. Please "
        "update your version of nbgrader to the latest version to be able to use this notebook."),
}


class NbgraderChanged(RuntimeError):
    """The installed nbgrader lacks a private name coursekit relies on; the message names it."""


def check() -> None:
    """Raise NbgraderChanged, naming every missing piece, unless each class has the names coursekit uses."""
    missing = [f"{owner.__module__}.{owner.__qualname__}.{name}"
               for owner, names in USED.items() for name in names if not hasattr(owner, name)]
    if missing:
        raise NbgraderChanged(
            f"nbgrader {NBGRADER_VERSION} has no {', '.join(missing)}, which coursekit uses "
            f"(coursekit/nbgrader_internals.py, checked against nbgrader {', '.join(CHECKED_VERSIONS)}): "
            "install a checked version (requirements.txt) or adapt that module to this one")


def submission_ids(converter: BaseConverter, folder: str) -> tuple[str, str]:
    """The assignment and student ids of a submission's folder, as a converter's sources list it (its
    `assignments`): nbgrader's loop matches it against `_format_source` with named groups."""
    pattern = converter._format_source("(?P<assignment_id>.*)", "(?P<student_id>.*)", escape=True)
    match = re.match(pattern, folder)
    return match["assignment_id"], match["student_id"]


def destination(converter: BaseConverter, assignment: str, student: str) -> str:
    """A submission's output folder (autograded/<student>/<assignment> for Autograde): `_format_dest`,
    normalised as nbgrader's loop normalises it before removing a failed one."""
    return os.path.normpath(converter._format_dest(assignment, student))


def execute_step(converter: Autograde) -> type[Execute]:
    """The Execute preprocessor among the converter's `autograde_preprocessors` (a subclass, if one is
    configured), which coursekit runs apart, in a pool of threads."""
    return next((_as_class(step) for step in converter.autograde_preprocessors if _executes(step)), Execute)


def sanitize(converter: Autograde, notebook: str) -> None:
    """The first half of Autograde.convert_single_notebook: with `_sanitizing` set (the input is then the
    submitted/ folder), `_init_preprocessors` registers the sanitize preprocessors, and BaseConverter's
    convert_single_notebook (Autograde's own would go on to execute) writes the sanitized notebook to its
    destination."""
    converter._sanitizing = True
    converter._init_preprocessors()
    BaseConverter.convert_single_notebook(converter, notebook)


def run_steps_after_execute(converter: Autograde, notebook: str) -> None:
    """The second half of Autograde.convert_single_notebook, its Execute step left out (it has run): with
    `_sanitizing` cleared (the input is then the autograded/ folder), the exporter's `_preprocessors` refilled
    with the other autograde preprocessors, BaseConverter's convert_single_notebook rewrites the executed notebook
    in place; `_sanitizing` is set again after, as Autograde leaves it."""
    converter._sanitizing = False
    converter.exporter._preprocessors = []
    for step in converter.autograde_preprocessors:
        if not _executes(step):
            converter.exporter.register_preprocessor(step)
    try:
        BaseConverter.convert_single_notebook(converter, notebook)
    finally:
        converter._sanitizing = True


def fatal_for_the_batch(error: Exception) -> str | None:
    """What nbgrader's own loop says when it stops the whole batch on this error, or None if it goes on with the
    next submission (after removing the failed one's output, as it does in both cases)."""
    return next((message for kind, message in FATAL_FOR_THE_BATCH.items() if isinstance(error, kind)), None)


def collect_path(app: ZipCollectApp, step: str) -> str:
    """The folder of a zip_collect step (`archive_directory`, `extracted_directory`) for the app's assignment:
    ZipCollectApp's `_format_collect_path` fills its `collect_directory_structure` in."""
    return app._format_collect_path(step)


def collector_plugin(app: ZipCollectApp) -> FileNameCollectorPlugin:
    """The collector plugin instance a ZipCollectApp made (`collector_plugin_inst`, set by its init_plugins), which
    holds what the plugin learnt of the files it collected."""
    return app.collector_plugin_inst


def _executes(step) -> bool:
    """Whether an autograde step is nbgrader's Execute or a subclass (steps are classes or their import names)."""
    preprocessor = _as_class(step)
    return isinstance(preprocessor, type) and issubclass(preprocessor, Execute)


def _as_class(step):
    return import_item(step) if isinstance(step, str) else step


check()
