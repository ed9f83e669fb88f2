"""The guard's pure parts, on notebooks and texts built in memory: which cells it guards, what its first cell hands
the kernel, the statement sent in a test cell's place, the proofs it accepts, and the outputs nbgrader grades."""
from __future__ import annotations

import ast
import copy
import hashlib
import hmac
import re

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell
from nbgrader import utils

from coursekit.preprocessors import GuardTestCells
from coursekit.preprocessors.guard_test_cells import (
    EVENT, METADATA_KEY, SIGNATURE, call, credit_output, is_guarded, take_proof, unproven_output, visible_names,
    without_guard)

from nbgrader_cells import autograded_cell, notebook, read_only_cell, solution_cell

KEY, NONCE = "ab" * 32, "5eed" * 8
HIDDEN_PART = "### BEGIN HIDDEN TESTS\nsecret = 2\n### END HIDDEN TESTS"


def signed(index: int, credit: str = "-", key: str = KEY, nonce: str = NONCE) -> str:
    """The proof line the kernel's guard prints after a complete run (kernel_guard.py signs it so)."""
    signature = hmac.new(bytes.fromhex(key), f"{nonce}|{index}|{credit}".encode(), hashlib.sha256).hexdigest()
    return f"[coursekit proof {nonce} {credit} {signature}]\n"


def test_a_proof_of_this_cells_run_is_taken_out_of_the_text_around_it_and_proven():
    text, proven, value = take_proof(f"the test printed this\n{signed(3)}and this\n", KEY, 3, NONCE)
    assert (text, proven, value) == ("the test printed this\nand this\n", True, None)


def test_a_proof_carries_the_partial_credit_of_the_tests_final_expression():
    assert take_proof(signed(0, credit="0.75"), KEY, 0, NONCE) == ("", True, 0.75)


@pytest.mark.parametrize("forged", [
    signed(4),  # another cell's proof
    signed(3, nonce="0" * 32),  # an earlier run's
    signed(3, key="cd" * 32),  # signed without the key
    signed(3, credit="0.5").replace(" 0.5 ", " 1.0 "),  # a credit raised after signing
], ids=["another-cell", "another-run", "another-key", "credit-changed"])
def test_a_proof_not_signed_for_this_cell_and_run_proves_nothing_and_is_still_taken_out(forged):
    assert take_proof(f"output\n{forged}", KEY, 3, NONCE) == ("output\n", False, None)


def test_the_outputs_the_guard_builds_are_graded_by_nbgrader_as_meant():
    cell = autograded_cell("test_sgd", points=2.0)
    cell.outputs = [unproven_output()]
    assert utils.determine_grade(cell) == (0, 2.0)
    cell.outputs = [credit_output(0.5, execution_count=7)]
    assert utils.determine_grade(cell) == (0.5, 2.0)
    assert cell.outputs[0].execution_count == 7


def test_test_cells_and_read_only_code_cells_are_guarded_and_no_other():
    guarded = {"test": autograded_cell("test_f"), "read-only code": read_only_cell("helpers")}
    unguarded = {"solution": solution_cell("f"), "read-only markdown": read_only_cell("intro", cell_type="markdown"),
                 "plain code": new_code_cell("x = 1")}
    assert [kind for kind, cell in {**guarded, **unguarded}.items() if is_guarded(cell)] == list(guarded)


def test_the_names_a_student_may_use_are_those_the_visible_part_defines():
    source = f"import math\nexpected = math.pi\ndef check(x):\n    local = x\n{HIDDEN_PART}\nfrom os import sep"
    assert visible_names(source) == {"math", "expected", "check", "sep"}
    assert visible_names("this is not python") == set()


def make_guard_arguments(guard_cell) -> tuple:
    """The key, tests and event the guard cell passes to kernel_guard.py's _make_guard."""
    [guard_source] = [node.args[0].value for node in ast.walk(ast.parse(guard_cell.source))
                      if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "compile"]
    last = ast.parse(guard_source).body[-1].value
    assert last.func.id == "_make_guard"
    return tuple(ast.literal_eval(argument) for argument in last.args)


def test_the_guard_cell_runs_first_and_hands_over_a_fresh_key_and_every_guarded_cell_in_order():
    helpers = read_only_cell("helpers", "def close(a, b):\n    return abs(a - b) < 1e-9")
    test = autograded_cell("test_f", f"value = f()\n{HIDDEN_PART}\nassert close(value, 1)")
    nb = notebook(new_markdown_cell("# TP"), helpers, solution_cell("f", "def f():\n    return 1"), test)
    guarded, _ = GuardTestCells().preprocess(copy.deepcopy(nb), {})
    assert guarded.cells[0].source.startswith(SIGNATURE) and guarded.cells[1:] == nb.cells
    key = guarded.metadata[METADATA_KEY]
    assert re.fullmatch(r"[0-9a-f]{64}", key)
    assert make_guard_arguments(guarded.cells[0]) == (key, (
        (helpers.source, ["close"], helpers.source),  # a read-only cell's definitions are made again for the student
        (test.source, ["value"], ""),
    ), EVENT)
    assert GuardTestCells().preprocess(copy.deepcopy(nb), {})[0].metadata[METADATA_KEY] != key


def test_the_statement_sent_for_a_test_cell_raises_the_guards_event_and_names_nothing_of_the_notebooks():
    tree = ast.parse(call(5, NONCE))
    assert {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)} <= {
        "_coursekit", "_coursekit_sys", "_coursekit_error"}
    [audit] = [node for node in ast.walk(tree) if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "audit"]
    assert [ast.literal_eval(argument) for argument in audit.args[:3]] == [EVENT, 5, NONCE]


def test_the_guard_cell_is_taken_out_of_the_feedback_with_its_execution_count():
    nb = notebook(new_code_cell("x = 1"), autograded_cell("test_f", "assert x"))
    guarded, _ = GuardTestCells().preprocess(copy.deepcopy(nb), {})
    guarded.cells[0].execution_count = 1
    assert without_guard(guarded) == {"1"}
    assert guarded.cells == nb.cells
    assert without_guard(guarded) == set()
