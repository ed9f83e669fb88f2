"""The fairness report's count of collateral losses, on a small notebook and made-up outcomes: no grading."""
from __future__ import annotations

from coursekit import fairness, inprocess, notebooks, synthetic
from nbgrader_cells import autograded_cell, notebook, solution_cell

MASTER = notebook(
    solution_cell("softmax"), autograded_cell("test_softmax"), autograded_cell("test_softmax_stability"),
    solution_cell("gradient"), autograded_cell("test_gradient"),
    solution_cell("sgd"), autograded_cell("test_sgd"),
    solution_cell("gradient_descent"), autograded_cell("test_gradient_descent"),
    autograded_cell("test_sgd_accuracy"))


def outcome(name: str, functions: set[str], loses_points_in: set[str], lost: set[str]) -> fairness.Outcome:
    """What nbgrader gave a case that writes `functions`, must lose points in `loses_points_in`, and lost them in
    `lost`; its feedback names the mistake wherever it lost points."""
    mentions = {cell_id: "mistake" for cell_id in loses_points_in}
    case = synthetic.Case(name, "", {function: "" for function in functions}, frozenset(loses_points_in), mentions)
    return fairness.Outcome(case, frozenset(lost), {cell_id: "the mistake" for cell_id in lost})


OUTCOMES = [
    outcome("softmax_wrong_axis", {"softmax"}, {"test_softmax"}, {"test_softmax", "test_gradient"}),
    outcome("sgd_ascends", {"sgd"}, {"test_sgd", "test_sgd_accuracy"}, {"test_sgd", "test_sgd_accuracy"}),
    outcome("gradient_sign_flipped", {"gradient"}, {"test_gradient"},
            {"test_gradient", "test_sgd", "test_gradient_descent"}),
    outcome("gradient_with_loops", {"gradient"}, set(), {"test_sgd_accuracy"}),
    outcome("sgd_in_place", {"sgd"}, set(), set()),
]


def test_each_test_cell_belongs_to_the_function_it_is_named_after_or_else_the_last_one_written_before_it():
    tested = notebooks.tested_functions(MASTER)
    assert tested == {"test_softmax": "softmax", "test_softmax_stability": "softmax", "test_gradient": "gradient",
                      "test_sgd": "sgd", "test_gradient_descent": "gradient_descent",
                      "test_sgd_accuracy": "sgd"}
    assert fairness.own_test_cells(OUTCOMES[1].case, tested) == {"test_sgd", "test_sgd_accuracy"}


def test_collateral_losses_are_the_cells_of_functions_a_mistake_leaves_as_the_reference_and_any_of_correct_work():
    assert fairness.collateral_losses(OUTCOMES, notebooks.tested_functions(MASTER)) == {
        "softmax_wrong_axis": {"test_gradient"},
        "gradient_sign_flipped": {"test_sgd", "test_gradient_descent"},
        "gradient_with_loops": {"test_sgd_accuracy"}}


def test_the_report_counts_the_mistakes_that_lose_points_outside_their_cells_and_the_cells_of_correct_functions():
    full_points = inprocess.Run(notebooks.test_points(MASTER), {}, {})
    report = fairness.format_report(MASTER, OUTCOMES, {"reference": [full_points]}, seeds=1)
    assert ("Collateral losses: 2/3 mistakes lose points outside the test cells of their own function: "
            "gradient_sign_flipped (test_gradient_descent, test_sgd), softmax_wrong_axis (test_gradient)") in report
    assert ("Cells of correct functions that lost points: 4 (target 0): gradient_sign_flipped (test_gradient_descent, "
            "test_sgd), gradient_with_loops (test_sgd_accuracy), softmax_wrong_axis (test_gradient)") in report


def test_a_corpus_without_collateral_losses_says_zero_and_lists_nothing():
    report = fairness.format_report(MASTER, [OUTCOMES[1], OUTCOMES[4]], {}, seeds=1)
    assert "Collateral losses: 0/1 mistakes lose points outside the test cells of their own function\n" in report
    assert report.endswith("Cells of correct functions that lost points: 0 (target 0)")
