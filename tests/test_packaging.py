"""coursekit as others install it: one wheel, built from the repository, installed with pip into fresh virtual
environments, and run from there (not from the repository, not from .venv).

- A student's environment gets the wheel alone (plus the notebook's own numpy and matplotlib): the self-check works,
  and none of the grading stack is installed; an instructor's command says which extra it needs.
- An instructor's environment gets the source tree with the `instructor` extra, through a regular (non-editable)
  `pip install`, so that both ways in are covered: it generates the assignment and autogrades a submission in the
  sandbox, which also shows that the kernel provisioner's entry point is installed.

Slow (two environments installed from the package index, through pip's cache), so each is built once per module.
No wall-clock bound: each command has a generous timeout whose message says what hung.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import nbformat
import pytest

from coursekit import notebooks, synthetic

REPO_ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENT, NOTEBOOK_FILE = "tp1", "tp1_sgd.ipynb"
RELEASE_NOTEBOOK = REPO_ROOT / "release" / ASSIGNMENT / NOTEBOOK_FILE
# What a checkout holds that is not the package's source: environments, build outputs, course data.
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache",
                                    "submitted", "autograded", "feedback", "downloaded", "reports", "backups",
                                    "exchange", "gradebook.db*", "grades*.csv")
# Installed only for the instructor (the `instructor` extra and what nbgrader pulls in): a student's environment
# must hold none of them. numpy and matplotlib are the notebook's own; traitlets, jupyter_client, pyzmq and Pygments
# come with nbclient and ipykernel.
INSTRUCTOR_ONLY = {"nbgrader", "nbconvert", "tqdm", "nh3", "jupyterlab", "jupyter-server", "notebook", "alembic",
                   "sqlalchemy"}
# Generous, and below pytest-timeout's per-test bound (pyproject.toml), so that a hang names its step.
PIP_INSTALL_TIMEOUT = 1200  # a cold pip cache downloads a few hundred MB


def run(command: list, *, timeout: int, what: str, cwd: Path | None = None,
        env: dict | None = None) -> subprocess.CompletedProcess:
    """Run a command, its output captured; a hang fails the test naming the step that hung."""
    try:
        return subprocess.run([str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired as error:
        pytest.fail(f"{what} did not finish in {timeout} s (hung?): {' '.join(map(str, command))}\n"
                    f"{error.stdout or ''}{error.stderr or ''}")


def succeeded(completed: subprocess.CompletedProcess, what: str) -> str:
    """The output of a command that must succeed; its whole output if it failed."""
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, f"{what} failed (exit {completed.returncode}):\n{output}"
    return output


def copy_of_repository(destination: Path) -> Path:
    """The repository's source, without .venv, build outputs or course data: pip builds in the tree it is given
    (setuptools writes build/ and coursekit.egg-info there), and this checkout is shared."""
    shutil.copytree(REPO_ROOT, destination, ignore=NOT_SOURCE)
    return destination


class Environment:
    """A fresh virtual environment, with its commands run as a user of it would: its bin/ first on PATH, and nothing
    of the environment running these tests (.venv) visible."""

    def __init__(self, root: Path):
        self.root = root
        self.bin = root / "bin"
        succeeded(run([sys.executable, "-m", "venv", root], timeout=600, what="python -m venv"), "python -m venv")
        ours = Path(sys.prefix).resolve()
        path = [entry for entry in os.environ.get("PATH", "").split(os.pathsep)
                if entry and not Path(entry).resolve().is_relative_to(ours)]
        self.env = {name: value for name, value in os.environ.items()
                    if name not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "COURSEKIT_UNSANDBOXED"}}
        self.env["PATH"] = os.pathsep.join([str(self.bin), *path])

    def pip_install(self, *requirements: str | Path) -> None:
        # The exact versions the course is tested with; pip's cache is used, as a user's pip would.
        command = [self.bin / "python", "-m", "pip", "install", "--disable-pip-version-check", "--quiet",
                   *requirements, "-c", REPO_ROOT / "requirements.txt"]
        succeeded(run(command, timeout=PIP_INSTALL_TIMEOUT, what="pip install", env=self.env),
                  f"pip install {' '.join(map(str, requirements))}")

    def run(self, command: str, *arguments, cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess:
        return run([self.bin / command, *arguments], cwd=cwd, env=self.env, timeout=timeout,
                   what=f"{command} {' '.join(map(str, arguments))} in {self.root.name}'s environment")

    def distributions(self) -> set[str]:
        """The names of the installed distributions, normalized as pip lists them."""
        listed = run([self.bin / "python", "-m", "pip", "list", "--format=json", "--disable-pip-version-check"],
                     timeout=300, what="pip list", env=self.env)
        succeeded(listed, "pip list")
        return {package["name"].lower().replace("_", "-") for package in json.loads(listed.stdout)}

    def coursekit_location(self) -> Path:
        located = run([self.bin / "python", "-c", "import coursekit; print(coursekit.__file__)"], timeout=300,
                      what="import coursekit", env=self.env, cwd=self.root)
        return Path(succeeded(located, "import coursekit").strip()).resolve()

    def is_inside(self, path: Path) -> bool:
        return path.is_relative_to(self.root.resolve())


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel `pip wheel . --no-deps` builds from the repository, as `make wheel` does."""
    scratch = tmp_path_factory.mktemp("wheel")
    source = copy_of_repository(scratch / "repository")
    built = run([sys.executable, "-m", "pip", "wheel", "--disable-pip-version-check", "--no-deps", "-w",
                 scratch / "dist", "."], cwd=source, timeout=900, what="pip wheel")
    succeeded(built, "pip wheel . --no-deps")
    [wheel] = (scratch / "dist").glob("coursekit-*.whl")
    return wheel


@pytest.fixture(scope="module")
def filled_notebook(tmp_path_factory, master, release) -> Path:
    """The release notebook with the master's solutions: every visible check passes, 16/16 autograded."""
    path = tmp_path_factory.mktemp("filled") / NOTEBOOK_FILE
    nbformat.write(synthetic.fill(release, synthetic.Case.reference().solutions(master)), path)
    return path


@pytest.fixture(scope="module")
def student(tmp_path_factory, wheel) -> Environment:
    """A student's laptop: the wheel the instructor handed out, and the notebook's own needs."""
    environment = Environment(tmp_path_factory.mktemp("student") / "venv")
    environment.pip_install(wheel, "numpy", "matplotlib")
    return environment


@pytest.fixture(scope="module")
def instructor(tmp_path_factory) -> Environment:
    """An instructor's machine without make: `pip install ".[instructor]" -c requirements.txt` of the source tree
    (a regular install, not editable), from a copy that no build has touched."""
    scratch = tmp_path_factory.mktemp("instructor")
    source = copy_of_repository(scratch / "repository")
    environment = Environment(scratch / "venv")
    environment.pip_install(f"{source}[instructor]")
    return environment


def test_the_wheel_holds_every_module_of_the_package(wheel):
    in_wheel = {name for name in zipfile.ZipFile(wheel).namelist() if name.startswith("coursekit/")}
    in_tree = {path.relative_to(REPO_ROOT).as_posix() for path in (REPO_ROOT / "coursekit").rglob("*.py")}
    assert in_tree - in_wheel == set(), "modules of coursekit/ missing from the wheel"
    assert {"coursekit/apps/__init__.py", "coursekit/converters/__init__.py", "coursekit/plugins/__init__.py",
            "coursekit/judge/wire.py", "coursekit/judge/kernel_side.py"} <= in_wheel


def test_a_student_installs_the_self_check_without_the_grading_stack(student):
    assert student.is_inside(student.coursekit_location()), "coursekit imported from outside the venv"
    installed = student.distributions()
    assert "coursekit" in installed and {"nbformat", "nbclient", "ipykernel"} <= installed
    assert installed & INSTRUCTOR_ONLY == set(), "the student's install pulled in the instructor's stack"


def test_the_student_self_check_lists_the_failing_test_cells_of_the_release(student, release, tmp_path):
    shutil.copy(RELEASE_NOTEBOOK, tmp_path / NOTEBOOK_FILE)
    checked = student.run("coursekit", "selfcheck", NOTEBOOK_FILE, cwd=tmp_path)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    lines = checked.stdout.split("\n")
    for cell in notebooks.test_cells(release):
        assert any(line.startswith(f"{cell} ") and "FAIL" in line for line in lines), f"{cell} not listed as failing"
    assert f"0 of {len(notebooks.test_cells(release))} test cells pass" in checked.stdout


def test_the_student_self_check_passes_a_complete_notebook(student, filled_notebook, release):
    checked = student.run("coursekit", "selfcheck", filled_notebook.name, cwd=filled_notebook.parent)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    cells = len(notebooks.test_cells(release))
    assert f"{cells} of {cells} test cells pass" in checked.stdout and "FAIL" not in checked.stdout


def test_an_instructor_command_names_the_extra_it_needs(student, tmp_path):
    refused = student.run("coursekit", "autograde", ASSIGNMENT, cwd=tmp_path)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "pip install '.[instructor]'" in output and "autograde" in output, output
    assert "pip install 'coursekit[" not in output, output  # PyPI's "coursekit" is another project's
    assert "Traceback" not in output, output


def test_an_instructor_generates_and_autogrades_from_a_regular_install(instructor, filled_notebook, master, tmp_path):
    assert instructor.is_inside(instructor.coursekit_location()), "coursekit imported from outside the venv"
    # The sandbox's kernel provisioner, registered as pyproject.toml declares it: jupyter_client finds it by its
    # entry point (autograde below refuses a kernel launched by any other provisioner).
    group = "jupyter_client.kernel_provisioners"
    declared = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]["entry-points"][group]
    found = run([instructor.bin / "python", "-c", "import json; from importlib.metadata import entry_points; "
                 f"print(json.dumps({{e.name: e.value for e in entry_points(group={group!r})}}))"],
                timeout=300, what="entry point lookup", env=instructor.env)
    succeeded(found, "entry point lookup")
    assert declared.items() <= json.loads(found.stdout).items(), found.stdout

    course = tmp_path / "course"  # a course folder of the instructor's: the configuration and the master
    course.mkdir()
    shutil.copy(REPO_ROOT / "nbgrader_config.py", course)
    shutil.copytree(REPO_ROOT / "source", course / "source")
    succeeded(instructor.run("nbgrader", "generate_assignment", ASSIGNMENT, "--force", cwd=course),
              "nbgrader generate_assignment")
    assert "autograde" in succeeded(instructor.run("coursekit", "--help", cwd=course), "coursekit --help")

    submitted = course / "submitted" / "reference" / ASSIGNMENT / NOTEBOOK_FILE
    submitted.parent.mkdir(parents=True)
    shutil.copy(filled_notebook, submitted)
    output = succeeded(instructor.run("coursekit", "autograde", ASSIGNMENT, cwd=course, timeout=900),
                       "coursekit autograde")
    # The final table: `reference  graded  16.00 / 20  provisional ...`: every autograded point (16), out of the
    # assignment's points, the written answers' included (20), which await manual grading.
    autograded = sum(notebooks.test_points(master).values())
    total = sum(notebooks.nbgrader_metadata(cell).get("points", 0) for cell in master.cells
                if notebooks.nbgrader_metadata(cell).get("grade"))
    assert re.search(rf"^reference\s+graded\s+{autograded:.2f} / {total:g}\s+provisional\s", output, re.M), output
