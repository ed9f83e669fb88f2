"""The in-process cell runner of the seed sweeps, cell by cell: it must count a cell as nbgrader does (a cell that
raises or writes to stderr earns nothing; the value of its last expression is its partial credit)."""
from __future__ import annotations

from coursekit.inprocess import run_cell, with_seeds_shifted


def test_a_seed_given_by_keyword_to_default_rng_is_shifted_once():
    assert with_seeds_shifted("rng = np.random.default_rng(seed=5)", 1000) == "rng = np.random.default_rng(seed=1005)"


def test_every_seed_of_a_line_is_shifted_and_offset_zero_changes_nothing():
    source = "a, b = make_blobs(3, seed=12), np.random.default_rng(7)"
    assert with_seeds_shifted(source, 2000) == "a, b = make_blobs(3, seed=2012), np.random.default_rng(2007)"
    assert with_seeds_shifted(source, 0) == source


def test_a_cell_ending_on_an_expression_passes_with_its_value_and_what_it_printed():
    result = run_cell("print('checked')\n0.5 * 3", {})
    assert (result.passed, result.value, result.feedback) == (True, 1.5, "checked\n")


def test_a_cell_ending_on_a_statement_has_no_value():
    assert run_cell("x = 2", {}).value is None


def test_cells_share_their_namespace_as_in_a_kernel():
    namespace = {}
    run_cell("def double(x):\n    return 2 * x", namespace)
    assert run_cell("double(21)", namespace).value == 42


def test_a_cell_that_raises_fails_with_what_it_printed_and_the_error_message():
    result = run_cell("print('before')\nassert 1 == 2, 'one is not two'", {})
    assert (result.passed, result.value, result.feedback) == (False, None, "before\none is not two")


def test_a_cell_that_writes_to_stderr_fails_as_nbgrader_gives_it_no_points():
    result = run_cell("import sys\nsys.stderr.write('careful\\n')\n1.0", {})
    assert not result.passed


def test_an_empty_cell_passes():
    assert run_cell("", {}).passed
