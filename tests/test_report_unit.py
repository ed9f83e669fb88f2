"""The class report's failure messages, cell by cell: one line, numbers blanked, so that one mistake made by many
students counts once; a partial credit counted by what the cell printed."""
from __future__ import annotations

from nbformat.v4 import new_code_cell, new_output

from coursekit.report import failure_message


def cell(*outputs):
    return new_code_cell("check()", outputs=list(outputs))


def error(ename: str, evalue: str):
    return new_output("error", ename=ename, evalue=evalue, traceback=[])


def printed(text: str):
    return new_output("stream", name="stdout", text=text)


def test_the_numbers_of_a_message_are_blanked_so_that_students_share_it():
    first = failure_message(cell(error("AssertionError", "softmax gave 0.25 at row 3, expected -1.5e-07")), True)
    second = failure_message(cell(error("AssertionError", "softmax gave 12 at row 0, expected 4.0")), True)
    assert first == second == "AssertionError: softmax gave # at row #, expected #"


def test_only_the_first_line_of_a_message_is_kept():
    assert failure_message(cell(error("ValueError", "shapes differ\n  got (3, 2)\n  expected (2, 3)")), True) == (
        "ValueError: shapes differ")


def test_an_error_without_a_message_is_named_alone():
    assert failure_message(cell(error("KeyboardInterrupt", "")), True) == "KeyboardInterrupt"


def test_a_partial_credit_is_counted_by_the_last_line_the_cell_printed():
    partial = cell(printed("sgd accuracy: the visible checks pass.\n"),
                   printed("Your SGD reaches 0.81, the Bayes classifier 0.93.\n"),
                   new_output("execute_result", data={"text/plain": "0.4"}, execution_count=3))
    assert failure_message(partial, True) == "partial credit: Your SGD reaches #, the Bayes classifier #."
    assert failure_message(cell(), True) == "partial credit"


def test_a_cell_that_lost_no_point_has_no_failure_message():
    passed = cell(printed("softmax: the visible checks pass.\n"),
                  new_output("stream", name="stderr", text="RuntimeWarning: overflow in exp\n"),
                  new_output("display_data", data={"text/plain": "<Figure>"}))
    assert failure_message(passed, False) is None


def test_a_cell_that_lost_its_points_by_writing_to_stderr_says_so():
    noisy = cell(printed("all good\n"), new_output("stream", name="stderr", text="RuntimeWarning: overflow 3 times\n"))
    assert failure_message(noisy, True) == "wrote to stderr: RuntimeWarning: overflow # times"
