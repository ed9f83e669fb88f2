"""nbgrader configuration of the course: read by every `nbgrader` command run from this folder."""
import os

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

# The course folder is the folder of this file, wherever nbgrader is run from; the gradebook is the
# SQLite file gradebook.db inside it (nbgrader's default, CourseDirectory.db_url).
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "ml-image-processing"

# A student's whole notebook runs in about 3 s; a cell still running after 30 s is stuck.
c.Execute.timeout = 30

# Before a submission runs, its test and read-only cells are the release's, in the release's places, whatever
# the student did to them (deleted, moved, duplicated, metadata changed); nbgrader then restores the hidden tests.
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "coursekit.preprocessors.RestoreTestCells",
    "nbgrader.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# `coursekit autograde` executes the notebooks in a pool of threads on this machine; with the address of a Dask
# scheduler, on that cluster's workers instead (docs/cluster-and-postgresql.md, "Grading on a Dask cluster"), as
# --scheduler does:
# c.ParallelAutograde.scheduler = "tcp://grading-head:8786"

# Students' code runs in a sandboxed kernel (coursekit/sandbox.py: no network, no course files, limits),
# its outputs capped, and a cell that kills or hangs its kernel costs that cell only (SafeExecute); the test cells
# run in the judge, a process of the grader's beside the kernel, which calls the student's functions across
# (coursekit/judge/).
# Where bubblewrap cannot run, grading refuses to start unless COURSEKIT_UNSANDBOXED=1 is set.
c.Autograde.autograde_preprocessors = [
    "coursekit.preprocessors.SafeExecute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# What students find in place of the solutions: a graded function raises until it is written (its test cell fails);
# an ungraded exercise (a cell tagged `ungraded-exercise`: a plot, an experiment) does nothing, so that *Run All*
# reaches the last cell whatever the student skipped. nbgrader's own steps otherwise, in nbgrader's order.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
c.GenerateAssignment.preprocessors = [
    "nbgrader.preprocessors.IncludeHeaderFooter",
    "nbgrader.preprocessors.InstantiateTests",
    "nbgrader.preprocessors.LockCells",
    "nbgrader.preprocessors.ClearSolutions",
    "coursekit.preprocessors.QuietUngradedExercises",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.CheckCellMetadata",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.SaveCells",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.ClearMarkScheme",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# Feedback opens with what to fix, test by test, and shows each test's result and message, never the
# hidden tests' code.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "coursekit.preprocessors.HideHiddenTests",
    "coursekit.preprocessors.SummarizeResults",
    "coursekit.preprocessors.MakeInert",
]

# Every page built from a submission is inert (coursekit/inert.py): MakeInert cleans the notebook of every script,
# event handler, form, frame and remote load, and keeps its formulas and images. Feedback runs it last (above), so
# that it also cleans what the other steps add, through an exporter that gives the pages (opened from disk) a
# Content-Security-Policy. The formgrader renders submissions with nbconvert's HTMLExporter, configured here: it
# runs MakeInert as its own preprocessor, which the feedback's exporter, a subclass, does not repeat.
c.HTMLExporter.preprocessors = ["coursekit.preprocessors.MakeInert"]
c.GenerateFeedback.exporter_class = "coursekit.inert.InertHTMLExporter"
c.InertHTMLExporter.preprocessors = []

# `nbgrader export` writes grades.csv with nbgrader's columns for every student the course knows of, plus each grade's
# status (final, provisional while written answers await a grade, not graded) and why a student was not graded: the
# same students, grades and statuses as the feedback pages, the class report and the Moodle worksheet.
c.ExportApp.plugin_class = "coursekit.plugins.GradesCsvExportPlugin"

# `nbgrader zip_collect tp1` reads Moodle's "Download all submissions" zip put in downloaded/tp1/archive/:
# the participant id becomes the student id; bad files are reported and skipped.
c.ZipCollectApp.collector_plugin = "coursekit.plugins.MoodleCollectorPlugin"
# Every archive of the download, Moodle's and the students', is unpacked within bounds (coursekit/unpacking.py): a
# student whose hand-in passes one is refused by name, the others are taken in. The defaults, in bytes:
c.ZipCollectApp.extractor_plugin = "coursekit.plugins.BoundedExtractorPlugin"
# Each notebook handed in, whatever the route (Moodle, folder, exchange), is refused unread past this size.
c.IntakeBounds.max_notebook_bytes = 32 * 2**20
c.BoundedExtractorPlugin.max_bytes_per_student = 64 * 2**20
c.BoundedExtractorPlugin.max_bytes_per_download = 2 * 2**30
c.BoundedExtractorPlugin.max_files_per_student = 200
c.BoundedExtractorPlugin.max_files_per_download = 20_000
c.BoundedExtractorPlugin.max_depth = 3  # archives within archives, Moodle's zip counted
c.BoundedExtractorPlugin.max_ratio = 200  # bytes unpacked per byte of an archive, past its first MiB
# Each student's archive is unpacked in a process of its own, under these limits (memory, CPU seconds):
c.BoundedExtractorPlugin.max_memory = 2**30
c.BoundedExtractorPlugin.max_seconds = 60
