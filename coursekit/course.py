"""A course folder laid out as nbgrader expects, and the nbgrader commands run in it."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENT = "tp1"
NOTEBOOK = "tp1_sgd"
NOTEBOOK_FILE = f"{NOTEBOOK}.ipynb"


class CommandError(RuntimeError):
    """A course command (nbgrader, coursekit) exited with an error; the message holds its output."""


@dataclass(frozen=True)
class Course:
    """A course folder: nbgrader_config.py, source/, release/, submitted/, autograded/, feedback/, gradebook.db."""

    root: Path

    @classmethod
    def copy_of_repository(cls, destination: Path) -> Course:
        """A fresh course folder holding this repository's configuration and master notebook, and nothing else."""
        destination.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO_ROOT / "nbgrader_config.py", destination / "nbgrader_config.py")
        shutil.copytree(REPO_ROOT / "source", destination / "source", dirs_exist_ok=True)
        return cls(destination)

    def notebook(self, step: str, student: str | None = None) -> Path:
        """The assignment's notebook in the folder of a step (source, release, submitted, autograded)."""
        folder = self.root / step
        if student is not None:
            folder = folder / student
        return folder / ASSIGNMENT / f"{NOTEBOOK}.ipynb"

    def feedback_html(self, student: str) -> Path:
        return self.root / "feedback" / student / ASSIGNMENT / f"{NOTEBOOK}.html"

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.root / 'gradebook.db'}"

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
