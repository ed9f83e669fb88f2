"""Fixtures shared by the suite: the repository's notebooks, and a course graded for real by nbgrader."""
from __future__ import annotations

import os
import shutil

import pytest
from playwright.sync_api import Browser, sync_playwright

from coursekit import notebooks
from coursekit.course import ASSIGNMENT, REPO_ROOT, Course
from coursekit.demo import run_demo

from hostile import batch as hostile

REPOSITORY = Course(REPO_ROOT)


@pytest.fixture(scope="session")
def master():
    return notebooks.read(REPOSITORY.notebook("source"))


@pytest.fixture(scope="session")
def release():
    return notebooks.read(REPOSITORY.notebook("release"))


@pytest.fixture(scope="session")
def demo_course(tmp_path_factory) -> Course:
    """The main job, run once: the synthetic class generated, autograded, given feedback and exported."""
    return run_demo(tmp_path_factory.mktemp("demo") / "course")


@pytest.fixture(scope="session")
def hostile_batch(tmp_path_factory, master) -> hostile.Batch:
    """The hostile and broken submissions of tests/hostile/, graded in one batch with two honest students."""
    return hostile.grade(Course.copy_of_repository(tmp_path_factory.mktemp("hostile") / "course"), master)


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
