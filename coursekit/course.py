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


class NbgraderError(RuntimeError):
    """An nbgrader command exited with an error; the message holds its output."""


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
        """Run `nbgrader <arguments>` in the course folder and return its log; raise NbgraderError if it fails.

        The environment's bin/ goes first on PATH: nbgrader calls `alembic` when it creates a gradebook.
        """
        bin_dir = str(Path(sys.executable).parent)
        environment = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
        completed = subprocess.run(
            [os.path.join(bin_dir, "nbgrader"), *arguments],
            cwd=self.root, env=environment, capture_output=True, text=True,
        )
        log = completed.stdout + completed.stderr
        if completed.returncode != 0:
            raise NbgraderError(f"`nbgrader {' '.join(arguments)}` failed in {self.root}:\n{log}")
        return log
