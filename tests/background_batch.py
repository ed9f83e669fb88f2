"""`coursekit autograde` run in the background, to be stopped as an instructor (Ctrl-C) or a power cut would stop it.

The waits are patient: each ends as soon as what it waits for happens, and fails after PATIENCE seconds, far
more than any step takes on a loaded machine, with a message that says what never happened.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat
import psutil
from nbgrader.api import MissingEntry

from coursekit import grades, notebooks, synthetic
from coursekit.course import Course

PATIENCE = 600
# Options under which a hanging notebook runs until its kernel is killed: no cell or notebook time limit stops it.
NO_TIME_LIMIT = ("--Execute.timeout=1000000", "--notebook-timeout=1000000")


@dataclass
class Batch:
    """A `coursekit autograde` running in a course folder, its output going to a file next to that folder."""

    process: subprocess.Popen
    output: Path

    @classmethod
    def start(cls, course: Course, *arguments: str) -> Batch:
        bin_dir = Path(sys.executable).parent
        output = course.root.with_name(f"{course.root.name}-autograde.txt")
        with output.open("w") as file:
            process = subprocess.Popen([str(bin_dir / "coursekit"), "autograde", *arguments], cwd=course.root,
                                       stdout=file, stderr=subprocess.STDOUT,
                                       env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"})
        return cls(process, output)

    def descendants(self) -> list[psutil.Process]:
        """The processes the batch started and runs now: the kernels' sandboxes and the kernels."""
        return descendants(self.process.pid)

    def runs_a_kernel(self) -> bool:
        return runs_a_kernel(self.process.pid)

    def wait(self) -> str:
        """Wait for the batch to exit; return its output."""
        try:
            self.process.wait(timeout=PATIENCE)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise AssertionError(f"the batch did not exit within {PATIENCE} s:\n{self.output.read_text()}") from None
        return self.output.read_text()


def descendants(pid: int) -> list[psutil.Process]:
    """The processes a process started, at any depth, that run now."""
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def runs_a_kernel(pid: int) -> bool:
    """Whether a process (a batch, a Dask worker) has a kernel running among its descendants."""
    return any(is_kernel(process) for process in descendants(pid))


def wait_until(condition: Callable[[], bool], what: str, batch: Batch) -> None:
    """Wait, while the batch runs, until `condition()` holds; fail, saying `what` never happened, if it does not
    within PATIENCE seconds or if the batch exits first."""
    deadline = time.monotonic() + PATIENCE
    while not condition():
        if batch.process.poll() is not None or time.monotonic() > deadline:
            batch.process.kill()
            raise AssertionError(f"never happened: {what}; the batch's output:\n{batch.output.read_text()}")
        time.sleep(0.2)


def running(processes: list[psutil.Process]) -> list[psutil.Process]:
    """Those of the processes that still run (a zombie, which waits for its parent to read its exit, does not)."""
    def runs(process: psutil.Process) -> bool:
        try:
            return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return False
    return [process for process in processes if runs(process)]


def hand_in_a_hanging_notebook(course: Course, assignment: str, student: str) -> None:
    """A submission whose first solution cell never ends (sleeping, so that no CPU limit stops it either)."""
    release = notebooks.read(course.notebook(assignment, "release"))
    first_solution = next(iter(notebooks.solution_cells(release)))
    path = course.notebook(assignment, "submitted", student)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(synthetic.fill(release, {first_solution: "import time\nwhile True:\n    time.sleep(1)"}), path)


def has_autograded_scores(course: Course, assignment: str, student: str) -> bool:
    """Whether the gradebook holds a score for each of the student's test cells: nbgrader's steps after Execute
    have saved their grades."""
    try:
        cells = grades.notebook_grades(course, assignment, student)
    except MissingEntry:
        return False
    return all(cell.score is not None for cell in cells.values() if cell.autograded)


def is_kernel(process: psutil.Process) -> bool:
    try:
        return any("ipykernel_launcher" in argument for argument in process.cmdline())
    except psutil.NoSuchProcess:
        return False
