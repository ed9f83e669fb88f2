"""A course folder laid out as nbgrader expects (its CourseDirectory), and the commands run in it."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from nbgrader.coursedir import CourseDirectory
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from traitlets.config import PyFileConfigLoader

CONFIG_FILE = "nbgrader_config.py"
# nbgrader's steps, as the tools name them, and the CourseDirectory setting that names each one's folder.
STEP_FOLDERS = {"source": "source_directory", "release": "release_directory", "submitted": "submitted_directory",
                "autograded": "autograded_directory", "feedback": "feedback_directory"}


class CommandError(RuntimeError):
    """A course command (nbgrader, coursekit) failed, or was given what it cannot work on; the message says why."""


def gradebook_unreachable(db_url: str, error: OperationalError) -> str:
    """Why a gradebook cannot be opened, in one line: where it is (its password hidden) and what its driver said."""
    where = make_url(db_url).render_as_string(hide_password=True)
    return f"cannot open the gradebook at {where}: {str(error.orig).strip().splitlines()[0]}"


@dataclass(frozen=True)
class Course:
    """A course folder: nbgrader_config.py, source/, release/, submitted/, autograded/, feedback/, gradebook.db.

    Folders are found as nbgrader finds them: the course's nbgrader_config.py configures a CourseDirectory.
    """

    root: Path

    @classmethod
    def here(cls) -> Course:
        """The course folder a command runs in, as for nbgrader's commands: the working folder."""
        course = cls(Path.cwd())
        if not (course.root / CONFIG_FILE).is_file():
            raise CommandError(f"{course.root} is not a course folder (no {CONFIG_FILE}): run the command from it")
        return course

    def copy_to(self, destination: Path) -> Course:
        """A fresh course folder holding this course's configuration and master notebooks, and nothing else."""
        destination.mkdir(parents=True, exist_ok=True)
        shutil.copy2(self.root / CONFIG_FILE, destination / CONFIG_FILE)
        shutil.copytree(self.root / "source", destination / "source", dirs_exist_ok=True)
        return Course(destination)

    @cached_property
    def directory(self) -> CourseDirectory:
        """nbgrader's CourseDirectory, configured by the course's nbgrader_config.py, rooted in this folder."""
        config = PyFileConfigLoader(CONFIG_FILE, path=str(self.root)).load_config()
        config.CourseDirectory.root = str(self.root)
        return CourseDirectory(config=config)

    def folder(self, assignment: str, step: str, student: str | None = None) -> Path:
        """An assignment's folder in a step (source, release, submitted, autograded, feedback)."""
        return Path(self.directory.format_path(getattr(self.directory, STEP_FOLDERS[step]), student or ".",
                                               assignment))

    def assignments(self) -> list[str]:
        """The course's assignments: the folders of source/ that hold a notebook."""
        return sorted({path.parent.name for path in self._matching(self.folder("*", "source") / "*.ipynb")})

    def students(self, assignment: str, step: str) -> list[str]:
        """The students with a folder of the assignment in a step (submitted, autograded, feedback)."""
        folder = re.compile(self.directory.format_path(getattr(self.directory, STEP_FOLDERS[step]),
                                                       "(?P<student>[^/]+)", re.escape(assignment), escape=True))
        return [match["student"] for path in self._matching(self.folder(assignment, step, "*"))
                if (match := folder.fullmatch(str(path)))]

    def _matching(self, pattern: Path) -> list[Path]:
        return sorted(self.root.glob(str(pattern.relative_to(self.root))))

    def notebook_names(self, assignment: str) -> list[str]:
        """The assignment's notebooks, as nbgrader generate_assignment takes them: those of its source folder
        (or, where the course has no source, of its release folder)."""
        for step in ("source", "release"):
            names = sorted(path.stem for path in self.folder(assignment, step).glob("*.ipynb"))
            if names:
                return names
        raise CommandError(f"no assignment {assignment!r} in {self.root}: no notebook in "
                           f"{self.folder(assignment, 'source')} nor in {self.folder(assignment, 'release')}")

    def notebook(self, assignment: str, step: str, student: str | None = None, notebook: str | None = None) -> Path:
        """A notebook of the assignment in a step; `notebook` may be left out when the assignment has only one."""
        if notebook is None:
            names = self.notebook_names(assignment)
            if len(names) > 1:
                raise ValueError(f"assignment {assignment} has several notebooks ({', '.join(names)}): name one")
            notebook = names[0]
        return self.folder(assignment, step, student) / f"{notebook}.ipynb"

    def feedback_html(self, assignment: str, student: str, notebook: str | None = None) -> Path:
        """The feedback page of a student's notebook, as `nbgrader generate_feedback` writes it."""
        return self.notebook(assignment, "feedback", student, notebook).with_suffix(".html")

    @property
    def db_url(self) -> str:
        return self.directory.db_url

    def nbgrader(self, *arguments: str) -> str:
        """Run `nbgrader <arguments>` in the course folder and return its log; raise CommandError if it fails."""
        return self.run("nbgrader", *arguments)

    def coursekit(self, *arguments: str) -> str:
        """Run `coursekit <arguments>` in the course folder, as an instructor would; same as `nbgrader`."""
        return self.run("coursekit", *arguments)

    def run(self, command: str, *arguments: str, capture: bool = True) -> str:
        """Run a command of this environment in the course folder; return its output (or let it show on the
        terminal, with capture=False, and return ""); raise CommandError if it fails.

        The environment's bin/ goes first on PATH: nbgrader calls `alembic` when it creates a gradebook.
        """
        bin_dir = str(Path(sys.executable).parent)
        environment = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
        completed = subprocess.run(
            [os.path.join(bin_dir, command), *arguments],
            cwd=self.root, env=environment, capture_output=capture, text=True,
        )
        log = (completed.stdout + completed.stderr) if capture else ""
        if completed.returncode != 0:
            raise CommandError(f"`{command} {' '.join(arguments)}` failed in {self.root}:\n{log}")
        return log
