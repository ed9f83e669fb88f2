"""Every synthetic submission of the corpus gets the outcome written next to it, autograded by nbgrader."""
from __future__ import annotations

import pytest

from coursekit import fairness, inprocess, synthetic, tp1
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


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case_loses_points_exactly_where_expected_with_feedback_naming_the_mistake(graded_corpus, case):
    outcome = graded_corpus[case.name]
    assert outcome.cells_losing_points == case.loses_points_in
    for cell_id, mention in case.feedback_mentions.items():
        assert mention in outcome.feedback[cell_id], f"{cell_id} says: {outcome.feedback[cell_id]!r}"


def test_fairness_report_gives_the_mutation_score_and_the_false_failure_rate(graded_corpus, master):
    correct = [synthetic.Case.reference(), *CORRECT]
    runs = {case.name: [inprocess.run_master(master, case)] for case in correct}
    report = fairness.format_report(master, list(graded_corpus.values()), runs, seeds=1)
    assert f"Mutation score: {len(MISTAKES)}/{len(MISTAKES)} mistakes caught" in report
    assert f"False-failure rate: 0/{len(correct) + len(CORRECT)} runs" in report
    assert "test_gradient (" in report and "*gradient_sign_flipped" in report
