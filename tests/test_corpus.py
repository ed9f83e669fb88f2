"""Every synthetic submission of the corpus gets the outcome written next to it, autograded by nbgrader."""
from __future__ import annotations

import pytest

from coursekit import fairness, inprocess, notebooks, synthetic, tp1
from coursekit.tp1 import ASSIGNMENT
from repository import REPOSITORY

CASES = tp1.corpus_cases(REPOSITORY)
MISTAKES = [case for case in CASES if case.loses_points_in]
CORRECT = [case for case in CASES if not case.loses_points_in]


@pytest.fixture(scope="session")
def graded_corpus(tmp_path_factory) -> dict[str, fairness.Outcome]:
    course = REPOSITORY.copy_to(tmp_path_factory.mktemp("corpus"))
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    return {outcome.case.name: outcome for outcome in fairness.grade(course, CASES)}


def test_corpus_holds_at_least_80_mistakes_and_40_correct_alternatives_all_documented():
    assert len(MISTAKES) >= 80 and len(CORRECT) >= 40
    for case in CASES:
        assert case.description, f"{case.name} has no docstring"
    for case in MISTAKES:
        assert case.feedback_mentions, f"{case.name} does not say what its feedback must name"


def test_every_mistake_must_lose_points_only_in_the_test_cells_of_the_functions_it_writes(master):
    tested = notebooks.tested_functions(master)
    for case in MISTAKES:
        outside = case.loses_points_in - fairness.own_test_cells(case, tested)
        assert not outside, f"{case.name} writes {', '.join(case.functions)}, yet must lose points in {sorted(outside)}"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case_loses_points_exactly_where_expected_with_feedback_naming_the_mistake(graded_corpus, case):
    outcome = graded_corpus[case.name]
    assert outcome.cells_losing_points == case.loses_points_in
    for cell_id, mention in case.feedback_mentions.items():
        assert mention in outcome.feedback[cell_id], f"{cell_id} says: {outcome.feedback[cell_id]!r}"


def test_no_cell_of_a_correct_function_loses_points(graded_corpus, master):
    """Each test cell judges its own function: a mistake costs nothing in the cells of the functions it leaves as the
    reference, and correct work nothing anywhere."""
    assert fairness.collateral_losses(list(graded_corpus.values()), notebooks.tested_functions(master)) == {}


def test_fairness_report_gives_the_mutation_score_the_false_failure_rate_and_the_collateral_losses(graded_corpus,
                                                                                                    master):
    correct = [synthetic.Case.reference(), *CORRECT]
    runs = {case.name: [inprocess.run_master(master, case)] for case in correct}
    report = fairness.format_report(master, list(graded_corpus.values()), runs, seeds=1)
    assert f"Mutation score: {len(MISTAKES)}/{len(MISTAKES)} mistakes caught" in report
    assert f"False-failure rate: 0/{len(correct) + len(CORRECT)} runs" in report
    assert "test_gradient (" in report and "*gradient_sign_flipped" in report
    assert f"Collateral losses: 0/{len(MISTAKES)} mistakes lose points outside" in report
    assert "Cells of correct functions that lost points: 0 (target 0)" in report
