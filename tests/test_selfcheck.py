"""The students' self-check command: its table and its exit codes."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat

from coursekit import synthetic, tp1, untrusted
from coursekit.tp1 import ASSIGNMENT
from repository import REPOSITORY


COURSEKIT = str(Path(sys.executable).parent / "coursekit")


def selfcheck(path: Path) -> subprocess.CompletedProcess:
    # A hang guard (the check takes seconds); its TimeoutExpired names the command.
    return subprocess.run([COURSEKIT, "selfcheck", str(path)], capture_output=True, text=True, timeout=600)


def test_a_complete_notebook_passes_every_test_and_exits_0(tmp_path, master, release):
    path = tmp_path / "tp1_sgd.ipynb"
    nbformat.write(synthetic.fill(release, synthetic.Case.reference().solutions(master)), path)
    checked = selfcheck(path)
    assert checked.returncode == 0, checked.stdout
    assert "18 of 18 test cells pass the visible checks (16 of 16 points" in checked.stdout


def test_a_mistake_is_listed_with_its_message_and_exits_1(tmp_path, master, release):
    case = next(case for case in tp1.corpus_cases(REPOSITORY) if case.name == "softmax_without_max_shift")
    path = tmp_path / "tp1_sgd.ipynb"
    nbformat.write(synthetic.fill(release, case.solutions(master)), path)
    checked = selfcheck(path)
    assert checked.returncode == 1
    line = next(line for line in checked.stdout.split("\n") if line.startswith("test_softmax_stability "))
    assert line.split()[1:4] == ["0.5", "FAIL", "AssertionError:"] and "softmax overflowed" in line
    assert "17 of 18 test cells pass" in checked.stdout


def test_the_untouched_release_fails_every_test():
    checked = selfcheck(REPOSITORY.notebook(ASSIGNMENT, "release"))
    assert checked.returncode == 1
    assert "0 of 18 test cells pass" in checked.stdout
    assert checked.stdout.count("FAIL  NotImplementedError") == 18
    # The first cell calling an unwritten function (add_bias, to build the data set) is named before the table.
    assert checked.stdout.startswith("cell 13 (not a test) raised NotImplementedError: the tests after it may fail")


def test_an_unreadable_file_exits_2_naming_it(tmp_path):
    for name, content in [("empty.ipynb", ""), ("broken.ipynb", "{not json"), ("deep.ipynb", "[" * 10**5),
                          ("large.ipynb", None)]:
        path = tmp_path / name
        path.write_text(content or "")
        if content is None:  # sparse: its size is refused before a byte is read
            os.truncate(path, untrusted.MAX_NOTEBOOK_BYTES + 1)
        checked = selfcheck(path)
        assert checked.returncode == 2
        assert f"{path}: not a readable notebook" in checked.stdout


def test_a_partial_credit_below_the_points_is_listed_as_such_and_exits_1(tmp_path, master, release):
    notebook = synthetic.fill(release, synthetic.Case.reference().solutions(master))
    accuracy_test = next(cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get(
        "grade_id") == "test_sgd_accuracy")
    accuracy_test.source += "\nsgd_accuracy_credit = 0.75\nsgd_accuracy_credit"
    path = tmp_path / "tp1_sgd.ipynb"
    nbformat.write(notebook, path)
    checked = selfcheck(path)
    assert checked.returncode == 1
    line = next(line for line in checked.stdout.split("\n") if line.startswith("test_sgd_accuracy "))
    assert "FAIL  partial credit, 0.75 of 1.5 points" in line
    assert "17 of 18 test cells pass" in checked.stdout


def test_an_error_in_a_cell_that_is_not_a_test_is_named_first_and_exits_1(tmp_path, master, release):
    notebook = synthetic.fill(release, synthetic.Case.reference().solutions(master))
    number, first_code = next((number, cell) for number, cell in enumerate(notebook.cells, start=1)
                              if cell.cell_type == "code")
    first_code.source = "import numpy_that_does_not_exist\n" + first_code.source
    path = tmp_path / "tp1_sgd.ipynb"
    nbformat.write(notebook, path)
    checked = selfcheck(path)
    assert checked.returncode == 1, checked.stdout
    assert checked.stdout.split("\n")[0].startswith(
        f"cell {number} (not a test) raised ModuleNotFoundError: No module named 'numpy_that_does_not_exist': "
        "the tests after it may fail because of it; fix it first"), checked.stdout
    assert "NameError" in checked.stdout  # the misleading failures it explains
