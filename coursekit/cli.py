"""The `coursekit` command, run from the course folder as nbgrader's commands are: `release` regenerates the
student versions; `intake <assignment>` takes a class's submissions in; `autograde <assignment>` grades them in
parallel, in the sandbox; `report <assignment>` writes the class report; `similarity <assignment>` lists the pairs
of students whose code is alike, in the class report; `export <assignment>` writes Moodle's grading worksheet and
feedback zip; `selfcheck` runs a student's notebooks and lists the test cells that pass. TP1's own tooling: `demo`
runs the main job; `fairness` prints the tests' report.

`selfcheck` is the students' and needs only nbformat and nbclient; the other commands are the instructor's and
import nbgrader only when they run (the package's `instructor` extra).
"""
from __future__ import annotations

import argparse
import importlib.util
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .course import Course

# Never the bare name: "coursekit" on PyPI is someone else's package. The course's comes from its repository.
INSTRUCTOR_INSTALL = ("from the course's repository, pip install '.[instructor]' -c requirements.txt, or "
                      "pip install '<the course's coursekit wheel>[instructor]'")


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coursekit", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("selfcheck", help="run each notebook's test cells; exit 1 if one fails, 2 if a "
                                                  "notebook cannot run")
    check.add_argument("notebooks", type=Path, nargs="+")
    release = commands.add_parser("release", help="regenerate release/ from source/ (nbgrader generate_assignment, "
                                                  "without touching the course's gradebook)")
    release.add_argument("assignments", nargs="*", help="the assignments (default: every one in source/)")
    intake_parser = commands.add_parser("intake", help="put a class's submissions into submitted/, bad entries "
                                                       "reported and skipped")
    intake_parser.add_argument("assignment")
    source = intake_parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--folder", type=Path, help="a folder of <student_id>/<notebook>.ipynb")
    source.add_argument("--moodle-zip", type=Path, help='Moodle\'s "Download all submissions" zip')
    source.add_argument("--exchange", action="store_true", help="nbgrader's exchange (nbgrader collect)")
    intake_parser.add_argument("--moodle-worksheet", type=Path, metavar="CSV",
                               help="the grading worksheet downloaded from Moodle: its participants are the class, "
                                    "those who handed nothing in included, in the report and the exports")
    commands.add_parser("autograde", add_help=False,
                        help="nbgrader autograde, several notebooks at once; options as nbgrader's, plus "
                             "--workers=N and --notebook-timeout=SECONDS")
    report_parser = commands.add_parser("report", help="the class report (HTML and PNG) of an autograded assignment")
    report_parser.add_argument("assignment")
    export = commands.add_parser("export", help="the grades and feedback of an assignment, for Moodle")
    export.add_argument("assignment")
    export.add_argument("--moodle-worksheet", type=Path, metavar="CSV", help="write the grading worksheet Moodle "
                                                                            "imports (Upload grading worksheet)")
    export.add_argument("--from", dest="downloaded", type=Path, metavar="CSV",
                        help="the worksheet downloaded from Moodle (Download grading worksheet), kept and filled in: "
                             "its rows, columns, headers' language and decimal separator (default: a minimal one)")
    export.add_argument("--ungraded-answers-as-zero", action="store_true",
                        help="export the students whose written answers await a grade, those answers counted 0")
    export.add_argument("--moodle-feedback", type=Path, metavar="ZIP", help="write the zip of feedback pages Moodle "
                                                                            "takes (Upload multiple feedback files)")
    similar = commands.add_parser("similarity", help="the pairs of students whose solution code is alike, for the "
                                                     "class report's Similar code section")
    similar.add_argument("assignment")
    similar.add_argument("--earlier", type=Path, action="append", default=[],
                         help="a folder of an earlier year's <student_id>/<notebook>.ipynb to compare with (repeatable)")
    similar.add_argument("--threshold", type=share, default=None,
                         help="the lowest score listed, from 0 to 1 (default: see docs/similarity.md)")
    demo = commands.add_parser("demo", help="TP1: run the whole pipeline on a synthetic class")
    demo.add_argument("--folder", type=Path, help="the course folder to create (emptied first; default: build/demo)")
    fairness = commands.add_parser("fairness", help="TP1: which mistakes each test catches, and how often correct "
                                                    "work fails")
    fairness.add_argument("--seeds", type=int, default=100, help="seeds per correct submission (default 100)")
    return parser


def share(text: str) -> float:
    """A number from 0 to 1, for `similarity --threshold`: a score is a share, and nan would flag nobody silently."""
    try:
        number = float(text)
    except ValueError:
        number = float("nan")
    if not 0 <= number <= 1:  # false for nan too
        raise argparse.ArgumentTypeError(f"{text!r} is not a number from 0 to 1")
    return number


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] != ["autograde"]:  # autograde is an nbgrader app: it parses its own options, --help included
        arguments = parser().parse_args(argv)
        if arguments.command == "selfcheck":
            from . import selfcheck

            return selfcheck.main(arguments.notebooks)
    if importlib.util.find_spec("nbgrader") is None:
        print(f"`coursekit {argv[0]}` is the instructor's: it needs nbgrader ({INSTRUCTOR_INSTALL})", file=sys.stderr)
        return 2
    if argv[:1] == ["autograde"]:
        from .apps import ParallelAutogradeApp

        ParallelAutogradeApp.launch_instance(argv=argv[1:])
        return 0
    from .course import CommandError

    try:
        said = run_instructor_command(arguments)
    except CommandError as error:
        print(error, file=sys.stderr)
        return 1
    if said:
        print(said)
    return 0


def run_instructor_command(arguments: argparse.Namespace) -> str:
    """Run an instructor's command in the course folder (the working folder); return what it has to say."""
    from . import demo, fairness, intake, moodle, report, similarity
    from .course import Course

    course = Course.here()
    if arguments.command == "release":
        return "\n".join(f"Wrote {path}" for path in regenerate_release(course, arguments.assignments))
    if arguments.command == "demo":
        demo.run_demo(course, (arguments.folder or course.root / "build" / "demo").resolve())
        return ""
    if arguments.command == "fairness":
        return fairness.report(course, arguments.seeds)
    course.notebook_names(arguments.assignment)  # the assignment exists, or the error says where it was looked for
    if arguments.command == "report":
        return f"Class report: {report.write_report(course, arguments.assignment)}"
    if arguments.command == "export":
        return export_to_moodle(course, arguments)
    if arguments.command == "similarity":
        threshold = similarity.DEFAULT_THRESHOLD if arguments.threshold is None else arguments.threshold
        compared = similarity.compare_class(course, arguments.assignment, arguments.earlier, threshold)
        return f"{compared.summary()}\n{report.write_report_if_graded(course, arguments.assignment)}"
    if arguments.folder:
        taken = intake.take_folder(course, arguments.assignment, arguments.folder)
    elif arguments.moodle_zip:
        taken = intake.take_moodle_zip(course, arguments.assignment, arguments.moodle_zip.resolve())
    else:
        taken = intake.take_exchange(course, arguments.assignment)
    intake.record(course, arguments.assignment, taken)
    if arguments.moodle_worksheet:
        from .plugins.moodle_worksheet import read_worksheet

        class_list = read_worksheet(arguments.moodle_worksheet).participants()
        known = moodle.participants(course, arguments.assignment)
        moodle.remember_participants(course, arguments.assignment,
                                     {student: name or known.get(student, "") for student, name in class_list.items()})
        return f"{taken.report()}\n{len(class_list)} participants in the class, from {arguments.moodle_worksheet}"
    return taken.report()


def export_to_moodle(course: Course, arguments: argparse.Namespace) -> str:
    """Write Moodle's grading worksheet and feedback zip of an assignment, as asked; return what was written."""
    from nbgrader.api import Gradebook, MissingEntry
    from sqlalchemy.exc import OperationalError

    from . import moodle
    from .course import CommandError, gradebook_unreachable
    from .plugins import MoodleWorksheetExportPlugin

    if (arguments.downloaded or arguments.ungraded_answers_as_zero) and not arguments.moodle_worksheet:
        raise CommandError("--from and --ungraded-answers-as-zero are for the worksheet: give --moodle-worksheet too")
    if not (arguments.moodle_worksheet or arguments.moodle_feedback):
        raise CommandError("say what to export: --moodle-worksheet worksheet.csv, --moodle-feedback feedback.zip, "
                           "or both")
    said = []
    if arguments.moodle_worksheet:
        exporter = MoodleWorksheetExportPlugin(
            to=str(arguments.moodle_worksheet.resolve()), assignment=[arguments.assignment],
            downloaded=str(arguments.downloaded.resolve()) if arguments.downloaded else "",
            ungraded_answers_as_zero=arguments.ungraded_answers_as_zero, course_root=str(course.root))
        try:
            with Gradebook(course.db_url) as gradebook:
                exporter.export(gradebook)
        except MissingEntry:
            raise CommandError(f"nothing of {arguments.assignment} in the gradebook: run "
                               f"`coursekit autograde {arguments.assignment}` first") from None
        except OperationalError as error:
            raise CommandError(gradebook_unreachable(course.db_url, error)) from None
        said.append(exporter.summary)
    if arguments.moodle_feedback:
        said.append(moodle.write_feedback_zip(course, arguments.assignment, arguments.moodle_feedback.resolve()))
    return "\n".join(said)


def regenerate_release(course: Course, assignments: list[str]) -> list[Path]:
    """Regenerate the release folder of each assignment (every one in source/ if none is given) with
    `nbgrader generate_assignment`, in a scratch copy so that the course's gradebook is left alone; return the
    notebooks written."""
    written = []
    with tempfile.TemporaryDirectory() as scratch:
        copy = course.copy_to(Path(scratch))
        for assignment in assignments or course.assignments():
            copy.nbgrader("generate_assignment", assignment, "--force")
            release = course.folder(assignment, "release")
            shutil.copytree(copy.folder(assignment, "release"), release, dirs_exist_ok=True)
            written += sorted(release.glob("*.ipynb"))
    return written


if __name__ == "__main__":
    sys.exit(main())
