"""The `coursekit` command: `demo` runs the main job, `release` regenerates release/, `fairness` prints the report,
`selfcheck` runs a student's notebook and lists the test cells that pass."""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from . import fairness, selfcheck
from .course import REPO_ROOT, Course, NbgraderError
from .demo import run_demo


def regenerate_release() -> Path:
    """Regenerate release/ from source/ with `nbgrader generate_assignment`, in a scratch course folder
    so that the repository gets no gradebook; return the release notebook's path."""
    with tempfile.TemporaryDirectory() as scratch:
        course = Course.copy_of_repository(Path(scratch))
        course.nbgrader("generate_assignment", "tp1", "--force")
        shutil.copytree(course.root / "release", REPO_ROOT / "release", dirs_exist_ok=True)
    return Course(REPO_ROOT).notebook("release")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="coursekit", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="run the whole pipeline on a synthetic class")
    demo.add_argument("--folder", type=Path, default=REPO_ROOT / "build" / "demo",
                      help="the course folder to create (emptied first; default: build/demo)")
    commands.add_parser("release", help="regenerate release/ from source/")
    report = commands.add_parser("fairness", help="which mistakes each test catches, and how often correct work fails")
    report.add_argument("--seeds", type=int, default=100, help="seeds per correct submission (default 100)")
    check = commands.add_parser("selfcheck", help="run a notebook's test cells; exit 1 if one fails, 2 if it cannot run")
    check.add_argument("notebook", type=Path)
    arguments = parser.parse_args(argv)
    if arguments.command == "selfcheck":
        return selfcheck.main(arguments.notebook)
    try:
        if arguments.command == "demo":
            run_demo(arguments.folder.resolve())
        elif arguments.command == "release":
            print(f"Wrote {regenerate_release()}")
        else:
            print(fairness.report(arguments.seeds))
    except NbgraderError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
