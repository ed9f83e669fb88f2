"""The master notebook: the assignment's contract, its grading scale, and a clean run of its solution."""
from __future__ import annotations

import ast
import inspect
import re

from coursekit import notebooks
from repository import REPO_ROOT

CONTRACT = {
    "make_blobs": "(n_per_class, n_classes=3, radius=2.0, std=1.0, seed=None)",
    "add_bias": "(X)",
    "softmax": "(A)",
    "one_hot": "(t, n_classes)",
    "cross_entropy": "(W, Phi, t)",
    "gradient": "(W, Phi, t)",
    "numerical_gradient": "(f, W, eps=1e-05)",
    "sgd": "(Phi, t, n_classes, learning_rate=0.1, n_epochs=20, decay=0.0, seed=None)",
    "gradient_descent": "(Phi, t, n_classes, learning_rate, n_iters)",
    "predict": "(W, Phi)",
    "accuracy": "(t_true, t_pred)",
    "confusion_matrix": "(t_true, t_pred, n_classes)",
    "random_relu_features": "(X, n_hidden, seed=None)",
}
WRITTEN_QUESTIONS = ["q1_principle", "q2_gradient", "q3_stochastic", "q4_learning_rate"]


def test_every_graded_function_has_its_solution_cell_with_the_contract_signature(master):
    solutions = notebooks.reference_solutions(master)
    for name, signature in CONTRACT.items():
        assert name in solutions, f"no solution cell with grade id {name}"
        namespace = {"np": __import__("numpy")}
        exec(compile(solutions[name], name, "exec"), namespace)
        assert str(inspect.signature(namespace[name])) == signature, name


def test_every_graded_function_is_followed_by_a_test_cell_with_hidden_tests(master):
    tests = notebooks.test_cells(master)
    for name in CONTRACT:
        assert f"test_{name}" in tests, f"no test cell test_{name}"
    for cell_id, cell in tests.items():
        assert "### BEGIN HIDDEN TESTS" in cell.source, f"{cell_id} has no hidden tests"


def test_grading_scale_is_20_points_with_at_least_14_autograded(master):
    tests = notebooks.test_cells(master)
    answers = {cell_id: cell for cell_id, cell in notebooks.solution_cells(master).items()
               if notebooks.nbgrader_metadata(cell).get("grade")}
    autograded = sum(cell.metadata.nbgrader.points for cell in tests.values())
    written = sum(cell.metadata.nbgrader.points for cell in answers.values())
    assert sorted(answers) == sorted(WRITTEN_QUESTIONS)
    assert all(cell.cell_type == "markdown" for cell in answers.values())
    assert autograded + written == 20
    assert autograded >= 14


def test_master_is_saved_without_outputs_and_with_the_standard_kernel(master):
    assert master.metadata.kernelspec.name == "python3"
    for cell in master.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"cell {cell.id} holds outputs"


def test_master_runs_without_errors_or_anything_on_stderr(executed_master):
    for cell in executed_master.cells:
        for output in cell.get("outputs", []):
            assert output.output_type != "error", f"{notebooks.grade_id(cell) or cell.id}: {output.evalue}"
            assert output.get("name") != "stderr", f"{notebooks.grade_id(cell) or cell.id}: {output.text}"


def test_master_passes_every_visible_check_and_gets_full_partial_credit(executed_master):
    for cell_id, cell in notebooks.test_cells(executed_master).items():
        printed = "".join(output.get("text", "") for output in cell.outputs)
        assert "visible checks pass" in printed, cell_id
        results = [output for output in cell.outputs if output.output_type == "execute_result"]
        for result in results:
            assert float(result.data["text/plain"]) == cell.metadata.nbgrader.points, cell_id


ANNOUNCEMENTS_PAGE = REPO_ROOT / "docs" / "fairness.md"
ANNOUNCEMENTS_HEADING = "## Every hidden check, and where the student reads it"
_QUOTED = re.compile(r'"([^"]+)"')


def _squeezed(text: str) -> str:
    return " ".join(text.split())


def _announcement_rows() -> list[tuple[str, str, str]]:
    """The docs/fairness.md table's rows: (test cell, words of the hidden check's message, the announcing sentence)."""
    page = ANNOUNCEMENTS_PAGE.read_text()
    assert ANNOUNCEMENTS_HEADING in page, f"{ANNOUNCEMENTS_PAGE.name} has no section {ANNOUNCEMENTS_HEADING!r}"
    table = page.split(ANNOUNCEMENTS_HEADING, 1)[1].split("\n\n|", 1)[1].split("\n\n", 1)[0]
    rows = []
    for line in ("|" + table).split("\n")[2:]:
        cell_id, check, announcement = [column.strip() for column in line.strip("|").split(" | ")]
        rows.append((cell_id.strip("`"), _QUOTED.findall(check)[0], _QUOTED.findall(announcement)[-1]))
    return rows


def _hidden_checks(master) -> list[tuple[str, list[str]]]:
    """Each assertion of the hidden tests: its test cell and the literal pieces of its message."""
    checks = []
    for cell_id, cell in notebooks.test_cells(master).items():
        hidden = cell.source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]
        for node in ast.walk(ast.parse(hidden)):
            if isinstance(node, ast.Assert):
                pieces = [_squeezed(piece.value) for piece in ast.walk(node.msg)
                          if isinstance(piece, ast.Constant) and isinstance(piece.value, str)] if node.msg else []
                checks.append((cell_id, pieces))
    return checks


def test_every_hidden_check_has_a_row_in_the_fairness_table_quoting_the_sentence_that_announces_it(master, release):
    rows = _announcement_rows()
    student_text = _squeezed("\n".join(cell.source for cell in release.cells))
    for cell_id, pieces in _hidden_checks(master):
        assert any(row_cell == cell_id and any(words in piece for piece in pieces) for row_cell, words, _ in rows), (
            f"fairness table: no row for the hidden check of {cell_id} whose message is {' … '.join(pieces)!r}")
    hidden_text = {cell_id: _squeezed(cell.source) for cell_id, cell in notebooks.test_cells(master).items()}
    for cell_id, words, announcement in rows:
        assert words in hidden_text.get(cell_id, ""), f"fairness table: {cell_id} has no check saying {words!r}"
        assert _squeezed(announcement) in student_text, (
            f"fairness table: the student version does not say {announcement!r} (announcing {cell_id}: {words!r})")
