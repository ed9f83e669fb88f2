"""Turning a case file into a submission notebook."""
from __future__ import annotations

import pytest

from coursekit import notebooks, synthetic
from coursekit.tp1 import ASSIGNMENT

from repository import REPOSITORY


def write_case(tmp_path, text):
    path = tmp_path / "case.py"
    path.write_text(text)
    return path


def test_a_case_replaces_only_its_own_cells(tmp_path, master, release):
    case = synthetic.Case.from_file(write_case(tmp_path, (
        '"""A softmax over the wrong axis."""\n'
        'LOSES_POINTS_IN = ["test_softmax"]\n'
        "def softmax(A):\n    return np.exp(A) / np.exp(A).sum(axis=0)\n")))
    assert case.loses_points_in == {"test_softmax"}
    assert case.description == "A softmax over the wrong axis."
    submission = notebooks.solution_cells(synthetic.fill(release, case.solutions(master)))
    assert submission["softmax"].source.startswith("def softmax(A):\n    return np.exp(A) / np.exp(A).sum(axis=0)")
    assert submission["gradient"].source == notebooks.reference_solutions(master)["gradient"]
    assert "### BEGIN SOLUTION" not in submission["gradient"].source


def test_with_its_own_code_only_a_case_leaves_the_other_cells_as_released(release):
    case = synthetic.Case("softmax_only", "", {"softmax": "def softmax(A):\n    return A\n"}, frozenset())
    submission = synthetic.submissions(REPOSITORY, ASSIGNMENT, [case], with_untouched_release=False,
                                       own_code_only=True)["softmax_only"]
    cells, released = notebooks.solution_cells(submission), notebooks.solution_cells(release)
    assert cells["softmax"].source == "def softmax(A):\n    return A\n"
    assert all(cell.source == released[cell_id].source for cell_id, cell in cells.items() if cell_id != "softmax")


@pytest.mark.parametrize("text, complaint", [
    ("def softmax(A):\n    return A\n", "LOSES_POINTS_IN is missing"),
    ("LOSES_POINTS_IN = []\nimport os\n", "line 2"),
    ("LOSES_POINTS_IN = []\ndef softmax(A:\n", "not valid Python"),
])
def test_a_malformed_case_is_refused_with_its_file_named(tmp_path, text, complaint):
    with pytest.raises(synthetic.CaseError, match=complaint) as refusal:
        synthetic.Case.from_file(write_case(tmp_path, text))
    assert "case.py" in str(refusal.value)


def test_a_function_that_is_not_a_solution_cell_is_refused(tmp_path, master):
    case = synthetic.Case.from_file(write_case(tmp_path, "LOSES_POINTS_IN = []\ndef helper():\n    pass\n"))
    with pytest.raises(synthetic.CaseError, match="helper is not a solution cell"):
        case.solutions(master)


def test_two_cases_of_the_same_name_in_a_corpus_are_refused_with_both_files_named(tmp_path):
    for folder in ["correct", "mistakes"]:
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "softmax_twice.py").write_text('"""A case."""\nLOSES_POINTS_IN = []\n')
    with pytest.raises(synthetic.CaseError, match="two cases named softmax_twice") as refusal:
        synthetic.corpus_cases(tmp_path)
    assert "correct/softmax_twice.py" in str(refusal.value) and "mistakes/softmax_twice.py" in str(refusal.value)
