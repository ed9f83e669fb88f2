"""Fixtures shared by the suite: the repository's notebooks, and a course graded for real by nbgrader."""
from __future__ import annotations

import ast
import json
import os
import shutil
from dataclasses import dataclass

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat import NotebookNode
from playwright.sync_api import Browser, sync_playwright

from coursekit import grades, notebooks
from coursekit.course import Course
from coursekit.demo import run_demo
from coursekit.tp1 import ASSIGNMENT

from hostile import batch as hostile
from repository import REPOSITORY
import small_class


@pytest.fixture(scope="session")
def master():
    return notebooks.read(REPOSITORY.notebook(ASSIGNMENT, "source"))


@pytest.fixture(scope="session")
def release():
    return notebooks.read(REPOSITORY.notebook(ASSIGNMENT, "release"))


# The cell the session's run of the master ends with: it prints, as JSON, the kernel's variables that hold numbers
# (numbers, numeric arrays, dicts of them with their keys as repr), for the tests that read what the notebook computed.
KERNEL_PROBE = """
def _print_numeric_globals():
    import json
    import numpy

    def jsonable(value):
        if isinstance(value, (bool, int, float, numpy.integer, numpy.floating)):
            return value.item() if isinstance(value, numpy.generic) else value
        if isinstance(value, (numpy.ndarray, list, tuple)):
            try:
                array = numpy.asarray(value)
            except ValueError:  # ragged
                return None
            return array.tolist() if array.dtype.kind in "biuf" and 0 < array.size <= 10_000 else None
        if isinstance(value, dict) and value:
            items = {repr(key): jsonable(item) for key, item in value.items()}
            return items if all(item is not None for item in items.values()) else None
        return None

    found = {name: jsonable(value) for name, value in globals().items() if not name.startswith("_")}
    print(json.dumps({name: value for name, value in found.items() if value is not None}))


_print_numeric_globals()
"""


def kernel_values(printed: str) -> dict:
    """What KERNEL_PROBE printed, as Python values: lists for arrays, dicts with their keys evaluated back."""
    def key(text):
        try:
            return ast.literal_eval(text)
        except (ValueError, SyntaxError):
            return text
    values = json.loads(printed)
    return {name: {key(k): v for k, v in value.items()} if isinstance(value, dict) else value
            for name, value in values.items()}


@dataclass(frozen=True)
class MasterRun:
    notebook: NotebookNode  # the master as executed, each cell with its outputs
    kernel: dict  # the kernel's numeric variables after the last cell, by name (see KERNEL_PROBE)


@pytest.fixture(scope="session")
def master_run(master) -> MasterRun:
    """The master notebook executed once, in a fresh python3 kernel as nbgrader does, for every test that reads it."""
    executed = nbformat.from_dict(master)
    executed.cells.append(nbformat.v4.new_code_cell(KERNEL_PROBE))
    # Hang guards, a cell's run and the kernel's start, far above what they take on a busy machine.
    NotebookClient(executed, timeout=600, startup_timeout=600, kernel_name="python3", allow_errors=True).execute()
    probe = executed.cells.pop()
    printed = "".join(output.get("text", "") for output in probe.outputs if output.get("name") == "stdout")
    assert printed, f"the probe cell printed nothing: {[output.get('evalue') for output in probe.outputs]}"
    return MasterRun(executed, kernel_values(printed))


@pytest.fixture(scope="session")
def executed_master(master_run) -> NotebookNode:
    return master_run.notebook


@pytest.fixture(scope="session")
def demo_course(tmp_path_factory) -> Course:
    """The main job, run once: the synthetic class generated, autograded, given feedback and exported."""
    return run_demo(REPOSITORY, tmp_path_factory.mktemp("demo") / "course")


@pytest.fixture(scope="session")
def submitted_class(tmp_path_factory) -> Course:
    """A small class handed in, nothing graded (tests/small_class.py): copy it before grading it."""
    return small_class.submitted(tmp_path_factory.mktemp("class") / "course")


@pytest.fixture(scope="session")
def sequentially_graded(submitted_class, tmp_path_factory) -> dict:
    """The gradebook's contents once plain `nbgrader autograde` has graded that class, one notebook at a time."""
    sequential = small_class.copy_of(submitted_class, tmp_path_factory.mktemp("sequential") / "course")
    sequential.nbgrader("autograde", ASSIGNMENT)
    return grades.gradebook_contents(sequential, ASSIGNMENT)


@pytest.fixture(scope="session")
def hostile_batch(tmp_path_factory, master) -> hostile.Batch:
    """The hostile and broken submissions of tests/hostile/, graded in one batch with two honest students."""
    return hostile.grade(REPOSITORY.copy_to(tmp_path_factory.mktemp("hostile") / "course"), master)


@pytest.fixture(scope="session")
def hostile_feedback(hostile_batch) -> Course:
    """The hostile batch's feedback pages and class report, written once."""
    course = hostile_batch.course
    course.nbgrader("generate_feedback", ASSIGNMENT, "--force")
    course.coursekit("report", ASSIGNMENT)
    return course


# Debian's Chromium (installed by `make test`); the flags keep it from calling home on a closed network.
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
QUIET = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
SCREEN = {"width": 1280, "height": 800}


@pytest.fixture(scope="session")
def browser() -> Browser:
    """A headless Chromium, to look at the pages the course writes as their readers do."""
    assert os.path.exists(CHROMIUM), f"Chromium not found at {CHROMIUM}: `make test` installs Debian's chromium"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=QUIET)
        yield chromium
        chromium.close()
