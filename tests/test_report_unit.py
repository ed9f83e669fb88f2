"""The class report's failure messages, output by output: one line, numbers blanked, so that one mistake made by
many students counts once."""
from __future__ import annotations

import pytest
from nbformat.v4 import new_output


def failure_message(output):
    from coursekit.report import _failure_message
    return _failure_message(output)


def error(ename: str, evalue: str):
    return new_output("error", ename=ename, evalue=evalue, traceback=[])


def test_the_numbers_of_a_message_are_blanked_so_that_students_share_it():
    first = failure_message(error("AssertionError", "softmax gave 0.25 at row 3, expected -1.5e-07"))
    second = failure_message(error("AssertionError", "softmax gave 12 at row 0, expected 4.0"))
    assert first == second == "AssertionError: softmax gave # at row #, expected #"


def test_only_the_first_line_of_a_message_is_kept():
    assert failure_message(error("ValueError", "shapes differ\n  got (3, 2)\n  expected (2, 3)")) == (
        "ValueError: shapes differ")


def test_an_error_without_a_message_is_named_alone():
    assert failure_message(error("KeyboardInterrupt", "")) == "KeyboardInterrupt"


@pytest.mark.parametrize("output", [
    new_output("stream", name="stderr", text="RuntimeWarning: overflow in exp\n"),
    new_output("execute_result", data={"text/plain": "0.5"}, execution_count=1),
    new_output("display_data", data={"text/plain": "<Figure>"}),
], ids=["stderr", "partial-credit", "display"])
def test_outputs_other_than_errors_are_no_failure_message(output):
    assert failure_message(output) is None
