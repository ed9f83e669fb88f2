"""The `coursekit` command, run from the course folder: `demo` runs the main job; `release` regenerates
release/; `intake tp1` takes a class's submissions in; `autograde tp1` grades them in parallel, in the
sandbox; `report tp1` writes the class report; `fairness` prints the tests' report; `selfcheck` runs a
student's notebook and lists the test cells that pass."""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from . import fairness, intake, selfcheck
from .apps import ParallelAutogradeApp
from .course import ASSIGNMENT, NOTEBOOK, REPO_ROOT, CommandError, Course
from .demo import run_demo
from .report import write_report


def regenerate_release() -> Path:
    """Regenerate release/ from source/ with `nbgrader generate_assignment`, in a scratch course folder
    so that the repository gets no gradebook; return the release notebook's path."""
    with tempfile.TemporaryDirectory() as scratch:
        course = Course.copy_of_repository(Path(scratch))
        course.nbgrader("generate_assignment", "tp1", "--force")
        shutil.copytree(course.root / "release", REPO_ROOT / "release", dirs_exist_ok=True)
    return Course(REPO_ROOT).notebook("release")


def course_here() -> Course:
    """The course folder the command runs in, as for nbgrader's commands."""
    course = Course(Path.cwd())
    if not (course.root / "nbgrader_config.py").is_file():
        raise CommandError(f"{course.root} is not a course folder (no nbgrader_config.py): run the command from it")
    return course


def take_submissions(arguments: argparse.Namespace) -> intake.Intake:
    """The intake subcommand, run from the course folder as nbgrader's commands are."""
    course = course_here()
    if arguments.folder:
        return intake.take_folder(course, arguments.folder)
    if arguments.moodle_zip:
        return intake.take_moodle_zip(course, arguments.moodle_zip.resolve())
    return intake.take_exchange(course)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="coursekit", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="run the whole pipeline on a synthetic class")
    demo.add_argument("--folder", type=Path, default=REPO_ROOT / "build" / "demo",
                      help="the course folder to create (emptied first; default: build/demo)")
    commands.add_parser("release", help="regenerate release/ from source/")
    intake_parser = commands.add_parser("intake", help="put a class's submissions into submitted/, bad entries "
                                                "reported and skipped")
    intake_parser.add_argument("assignment", choices=[ASSIGNMENT])
    source = intake_parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--folder", type=Path, help="a folder of <student_id>/" + NOTEBOOK + ".ipynb")
    source.add_argument("--moodle-zip", type=Path, help='Moodle\'s "Download all submissions" zip')
    source.add_argument("--exchange", action="store_true", help="nbgrader's exchange (nbgrader collect)")
    report_parser = commands.add_parser("report", help="the class report (HTML and PNG) of an autograded assignment")
    report_parser.add_argument("assignment", choices=[ASSIGNMENT])
    autograde = commands.add_parser(
        "autograde", help="nbgrader autograde, several notebooks at once; options as nbgrader's, plus "
                          "--workers=N and --notebook-timeout=SECONDS", add_help=False)
    autograde.add_argument("options", nargs=argparse.REMAINDER)
    fairness_parser = commands.add_parser("fairness", help="which mistakes each test catches, and how often correct work fails")
    fairness_parser.add_argument("--seeds", type=int, default=100, help="seeds per correct submission (default 100)")
    check = commands.add_parser("selfcheck", help="run a notebook's test cells; exit 1 if one fails, 2 if it cannot run")
    check.add_argument("notebook", type=Path)
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["autograde"]:  # an nbgrader app: it parses its own options, --help included
        ParallelAutogradeApp.launch_instance(argv=argv[1:])
        return 0
    arguments = parser.parse_args(argv)
    if arguments.command == "selfcheck":
        return selfcheck.main(arguments.notebook)
    try:
        if arguments.command == "intake":
            print(take_submissions(arguments).report())
        elif arguments.command == "report":
            print(f"Class report: {write_report(course_here())}")
        elif arguments.command == "demo":
            run_demo(arguments.folder.resolve())
        elif arguments.command == "release":
            print(f"Wrote {regenerate_release()}")
        else:
            print(fairness.report(arguments.seeds))
    except CommandError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
