"""The in-process runs that the seed sweeps use: they must count what nbgrader counts."""
from __future__ import annotations

import pytest

from coursekit import grades, inprocess, notebooks, synthetic, tp1
from coursekit.demo import student_id
from coursekit.tp1 import ASSIGNMENT
from repository import REPOSITORY

CASES = tp1.corpus_cases(REPOSITORY)
CORRECT = [synthetic.Case.reference(), *(case for case in CASES if not case.loses_points_in)]
MISTAKES = {case.name: case for case in CASES if case.loses_points_in}


def test_seed_literals_are_shifted_and_nothing_else():
    source = "rng = np.random.default_rng(42)\nX, t = make_blobs(100, seed=0)\nsgd(Phi, t, 3, seed=seed)\nx = 7"
    assert inprocess.with_seeds_shifted(source, 1000) == (
        "rng = np.random.default_rng(1042)\nX, t = make_blobs(100, seed=1000)\nsgd(Phi, t, 3, seed=seed)\nx = 7")


def test_in_process_scores_match_nbgrader_on_the_demo_class(demo_course, master):
    cases = [synthetic.Case.reference(), MISTAKES["gradient_sign_flipped"], MISTAKES["softmax_without_max_shift"]]
    for case in cases:
        student = student_id(demo_course, case.name)
        nbgrader_scores = {cell: grade.score for cell, grade in grades.notebook_grades(demo_course, ASSIGNMENT, student).items()
                           if grade.autograded}
        assert inprocess.run_master(master, case).scores == nbgrader_scores, case.name


@pytest.mark.parametrize("case", CORRECT, ids=[case.name for case in CORRECT])
def test_correct_work_earns_full_points_at_other_seeds(master, case):
    """The short version of bench/seed_stability.py --case correct (which tries 100 seeds or more)."""
    points = notebooks.test_points(master)
    for run in inprocess.sweep(master, case, inprocess.seed_offsets(3)):
        assert run.scores == points


@pytest.mark.parametrize(("mistake", "cell_id", "to_fix"), [  # a mistake, a cell of a correct function, the culprit
    ("loss_is_a_mean", "test_gradient", "cross_entropy"), ("softmax_wrong_axis", "test_gradient", "softmax"),
    ("loss_returns_an_array", "test_sgd", "cross_entropy"), ("one_hot_sized_by_labels", "test_sgd", "one_hot"),
    ("gradient_sign_flipped", "test_sgd_accuracy", "gradient"), ("add_bias_hard_coded", "test_circles_accuracy", "add_bias"),
])
def test_a_correct_function_keeps_its_points_and_its_cell_names_the_wrong_function_it_calls(master, mistake, cell_id,
                                                                                            to_fix):
    run = inprocess.run_master(master, MISTAKES[mistake])
    assert run.scores[cell_id] == notebooks.test_points(master)[cell_id]
    assert f"fix {to_fix} first (its test cell is test_{to_fix})" in run.feedback[cell_id], run.feedback[cell_id]
