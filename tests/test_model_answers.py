"""The model answers say what the notebook's curves show.

Q3(b) and Q4 are marked against their model answers, and the going-further texts tell students what they should find:
each claim these texts make about the curves (which is lower when, which goes up, where it ends) is checked here on the
values of the one session run of the master notebook (`master_run` in conftest), read from its kernel. A setting
changed in an experiment that turns a sentence false fails the test named after that sentence. Numbers the texts quote
("after 10 epochs", "about 95 against 55 or below") are read from the texts themselves, so that text and test cannot
drift apart.

The claims were chosen to hold for any correct `sgd` (any order of random draws, any seed), not only for the reference:
they held on the notebook's data for 30 seeds of two implementations, and for the corpus's six correct `sgd` and four
correct `make_blobs` at 14 seed offsets (other data sets; there the numbers quoted differ, the claims do not).
"""
from __future__ import annotations

import re

import numpy as np
import pytest

from coursekit import notebooks

ABOUT = 0.1  # "about x", "around x": within 10 % of x
CLOSE = 0.15  # a curve "close to" another ends within 15 % of it
VISIBLE = 0.002  # a rise of a curve smaller than this fraction of its level cannot be seen on the plots


@pytest.fixture(scope="module")
def answers(master) -> dict[str, str]:
    return model_texts(master)


def model_texts(master) -> dict[str, str]:
    """The model answers and the going-further texts, by name, with their lines joined."""
    solutions = notebooks.solution_cells(master)
    texts = {"q2": solutions["q2_gradient"].source, "q3": solutions["q3_stochastic"].source,
             "q4": solutions["q4_learning_rate"].source}
    for cell in master.cells:
        if cell.cell_type == "markdown" and "the Bayes classifier's weights" in cell.source:
            texts["bayes"] = cell.source
        if cell.cell_type == "markdown" and "how many hidden units?" in cell.source:
            texts["hidden_units"] = cell.source
    assert set(texts) == {"q2", "q3", "q4", "bayes", "hidden_units"}, f"texts not found: {set(texts)}"
    return {name: " ".join(text.split()) for name, text in texts.items()}


@pytest.fixture(scope="module")
def kernel(master_run) -> dict:
    return master_run.kernel


def quoted(text: str, pattern: str) -> list[float]:
    """The numbers a sentence of the text quotes: the groups of pattern (a regular expression), which must match."""
    match = re.search(pattern, text)
    assert match, f"the text no longer says {pattern!r}: update this test with it"
    return [float(group) for group in match.groups()]


def about(value: float, quoted_value: float) -> bool:
    return abs(value - quoted_value) <= ABOUT * quoted_value


def rises(curve):
    """How much the curve goes up at each step, relative to its level."""
    curve = np.asarray(curve)
    return np.diff(curve) / curve[:-1]


def goes_up(curve) -> bool:
    """Whether the curve visibly goes up somewhere: by more than VISIBLE of its level (a hair on a log axis)."""
    return bool(np.any(rises(curve) > VISIBLE))


def goes_down_smoothly(curve) -> bool:
    """Whether the curve goes down without a visible rise, and ends lower than it starts."""
    return not goes_up(curve) and curve[-1] < curve[0]


def goes_down_at_every_step(curve) -> bool:
    return bool(np.all(np.diff(curve) < 0))


# Q2(b): gradient descent with the slide's formula, on the notebook's blobs.

def test_the_slides_gradient_gives_the_accuracy_and_the_loss_the_q2_answer_quotes(kernel, answers):
    step, accuracy_quoted, loss_floor, n_steps = quoted(
        answers["q2"], r"with gradient descent's step ([\d.]+) from \$W = 0\$: an accuracy of about ([\d.]+) from the "
                       r"first step on, and a loss above (\d+) after (\d+) steps")
    Phi, t, K = np.asarray(kernel["Phi_train"]), np.asarray(kernel["t_train"]), int(kernel["K"])
    W, accuracies = np.zeros((Phi.shape[1], K)), []
    for _ in range(int(n_steps)):
        scores = Phi @ W
        Y = np.exp(scores - scores.max(axis=1, keepdims=True))
        Y /= Y.sum(axis=1, keepdims=True)
        W = W - step * Phi.T @ (np.eye(K)[t] - Y[np.arange(len(t)), t][:, None])  # the slide's formula, as printed
        accuracies.append(np.mean(np.argmax(Phi @ W, axis=1) == t))
    scores = Phi @ W
    top = scores.max(axis=1)
    loss = np.sum(top + np.log(np.exp(scores - top[:, None]).sum(axis=1)) - scores[np.arange(len(t)), t])
    assert all(about(accuracy, accuracy_quoted) or accuracy < accuracy_quoted for accuracy in accuracies), accuracies
    assert loss > loss_floor, f"the loss after {n_steps:.0f} steps of the slide's formula is {loss:.0f}"


# Q3(b): SGD and gradient descent, each with a constant step (Exercise 3.3).

def sgd_and_gd(kernel):
    return np.asarray(kernel["losses_sgd"]), np.asarray(kernel["losses_gd"])


def test_one_pass_of_sgd_is_below_the_passes_of_gradient_descent_the_answer_quotes(kernel, answers):
    sgd, gd = sgd_and_gd(kernel)
    n_passes, = quoted(answers["q3"], r"already below where gradient descent is after (\d+) passes")
    assert sgd[0] < gd[int(n_passes) - 1], (
        f"SGD after one pass: {sgd[0]:.1f}, gradient descent after {n_passes:.0f}: {gd[int(n_passes) - 1]:.1f}")


def test_gradient_descent_goes_down_at_every_pass(kernel):
    assert goes_down_at_every_step(sgd_and_gd(kernel)[1])


def test_sgd_zigzags_going_up_at_several_passes(kernel):
    visible_rises = np.sum(rises(sgd_and_gd(kernel)[0]) > VISIBLE)
    assert visible_rises >= 3, f"SGD's loss goes up visibly at {visible_rises} passes only"


def test_sgd_does_not_settle_its_loss_still_goes_up_in_the_last_passes(kernel):
    sgd = sgd_and_gd(kernel)[0]
    assert goes_up(sgd[len(sgd) // 2:]), "SGD's loss goes down at every pass of the second half"


# Q4: the learning rate and the decay (Exercise 4.3).

def rate_curves(kernel):
    """constant(rate) and decayed(rate): the curves of Exercise 4.3 with decay = 0 and with its decay > 0."""
    curves = {key: np.asarray(value) for key, value in kernel["rate_losses"].items()}
    decays = sorted({decay for decay, _ in curves})
    assert len(decays) == 2 and decays[0] == 0.0, decays
    return (lambda rate: curves[0.0, rate]), (lambda rate: curves[decays[1], rate])


def loss_of_zero_weights(kernel) -> float:
    return len(kernel["t_train"]) * np.log(kernel["K"])


def test_the_q4_answer_counts_the_epochs_the_experiment_makes(kernel, answers):
    n_epochs, = quoted(answers["q4"], r"after (\d+) epochs")
    assert all(len(curve) == n_epochs for curve in kernel["rate_losses"].values())


def test_the_numbers_the_q4_answer_quotes_are_those_of_the_notebook(kernel, answers):
    constant, decayed = rate_curves(kernel)
    small, good = quoted(answers["q4"], r"about (\d+) against (\d+) or below, on the notebook's data")
    assert about(constant(0.001)[-1], small) and max(constant(0.01)[-1], constant(0.1)[-1]) <= good * (1 + ABOUT)
    with_decay, without = quoted(answers["q4"], r"around (\d+) instead of (\d+)\)")
    assert about(decayed(0.001)[-1], with_decay) and about(constant(0.001)[-1], without)
    zero_weights, = quoted(answers["q4"], r"N\\log K \\approx (\d+)")
    assert about(loss_of_zero_weights(kernel), zero_weights)


def test_too_small_a_rate_goes_down_smoothly_but_ends_far_above_the_good_rates(kernel):
    constant, decayed = rate_curves(kernel)
    assert goes_down_smoothly(constant(0.001)) and goes_down_smoothly(decayed(0.001))
    assert constant(0.001)[-1] > 1.25 * max(constant(0.01)[-1], constant(0.1)[-1])


def test_too_large_a_rate_jumps_around_never_below_the_loss_of_zero_weights(kernel):
    constant, _ = rate_curves(kernel)
    assert goes_up(constant(10.0)), constant(10.0)
    assert np.all(constant(10.0) > loss_of_zero_weights(kernel)), constant(10.0)


def test_with_a_constant_step_rate_one_jumps_up_and_down_above_rate_point_one_at_every_epoch(kernel):
    constant, _ = rate_curves(kernel)
    assert goes_up(constant(1.0))
    assert np.all(constant(1.0) > constant(0.1))


def test_with_a_constant_step_even_the_curve_of_rate_point_one_zigzags(kernel):
    constant, _ = rate_curves(kernel)
    assert goes_up(constant(0.1)), constant(0.1)


def test_with_the_decay_the_curve_of_rate_point_one_goes_down_smoothly_without_a_zigzag(kernel):
    _, decayed = rate_curves(kernel)
    assert goes_down_smoothly(decayed(0.1)), decayed(0.1)


def test_the_decay_brings_rate_one_close_to_rate_point_one_instead_of_far_above_it(kernel):
    constant, decayed = rate_curves(kernel)
    assert decayed(1.0)[-1] <= (1 + CLOSE) * decayed(0.1)[-1], (decayed(1.0)[-1], decayed(0.1)[-1])
    assert constant(1.0)[-1] > (1 + CLOSE) * constant(0.1)[-1], (constant(1.0)[-1], constant(0.1)[-1])


def test_the_decay_brings_rate_ten_back_down_below_the_loss_of_zero_weights(kernel):
    _, decayed = rate_curves(kernel)
    assert decayed(10.0)[-1] < min(decayed(10.0)[0], loss_of_zero_weights(kernel)), decayed(10.0)


def test_the_decay_slows_the_small_rates_down_the_smallest_ends_nearly_twice_as_high(kernel):
    constant, decayed = rate_curves(kernel)
    assert decayed(0.01)[-1] > constant(0.01)[-1]
    assert decayed(0.001)[-1] > 1.5 * constant(0.001)[-1]


# Going further: the Bayes classifier's weights, and the number of hidden units chosen on a validation set.

def test_the_settled_weights_are_a_few_tenths_from_the_bayes_weights_and_the_probabilities_a_few_hundredths(
        kernel, answers):
    assert "a few tenths apart and the probabilities within a few hundredths" in answers["bayes"]
    assert 0 < kernel["bayes_weight_gap"] < 1
    assert 0 < kernel["bayes_probability_gap"] < 0.05


def test_the_number_of_hidden_units_is_the_smallest_with_the_best_validation_accuracy(kernel, answers):
    assert "the smallest one, in a tie" in answers["hidden_units"]
    accuracies = kernel["validation_accuracies"]
    best = max(accuracies.values())
    assert kernel["chosen_n_hidden"] == min(n for n, accuracy in accuracies.items() if accuracy == best)
