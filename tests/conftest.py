"""Fixtures shared by the suite: the repository's notebooks, and a course graded for real by nbgrader."""
from __future__ import annotations

import pytest

from coursekit import notebooks
from coursekit.course import REPO_ROOT, Course
from coursekit.demo import run_demo

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
