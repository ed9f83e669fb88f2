"""The in-process runs that the seed sweeps use: they must count what nbgrader counts."""
from __future__ import annotations

import pytest

from coursekit import grades, inprocess, notebooks, synthetic, tp1
from coursekit.demo import student_id
from coursekit.tp1 import ASSIGNMENT
from repository import REPOSITORY

CORRECT = [synthetic.Case.reference(), *(case for case in tp1.corpus_cases(REPOSITORY) if not case.loses_points_in)]


def test_seed_literals_are_shifted_and_nothing_else():
    source = "rng = np.random.default_rng(42)\nX, t = make_blobs(100, seed=0)\nsgd(Phi, t, 3, seed=seed)\nx = 7"
    assert inprocess.with_seeds_shifted(source, 1000) == (
        "rng = np.random.default_rng(1042)\nX, t = make_blobs(100, seed=1000)\nsgd(Phi, t, 3, seed=seed)\nx = 7")


def test_in_process_scores_match_nbgrader_on_the_demo_class(demo_course, master):
    cases = [synthetic.Case.reference(), *(case for case in tp1.corpus_cases(REPOSITORY)
                                           if case.name in {"gradient_sign_flipped", "softmax_without_max_shift"})]
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
