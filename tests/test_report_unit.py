"""The class report's sums, in-process: the failure messages, cell by cell (one line, numbers blanked, so that one
mistake made by many students counts once; a partial credit counted by what the cell printed), the grades' quartiles,
each question's difficulty, who lost points on each test, and the manual-grading queue."""
from __future__ import annotations

from nbformat.v4 import new_code_cell, new_output

from coursekit.grades import CellGrade, SubmissionGrade
from coursekit.report import (LISTED_OPEN, Distribution, distributions, failure_message, listed_students,
                              manual_grading_queue, question_scores, reasons_not_graded, who_lost_points)
from coursekit.standing import Standing


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


# The class report's sums, from grades made up here: quartiles, difficulty, who lost points, the grading queue.

def graded(student: str, score: float, awaiting: tuple[str, ...] = ()) -> Standing:
    return Standing(student, student.title(), SubmissionGrade(score, 20, awaiting, 1.5 * len(awaiting)))


def not_graded(student: str, why: str) -> Standing:
    return Standing(student, "", None, why)


def test_the_quartiles_are_the_linear_percentiles_of_the_grades():
    spread = Distribution.of([4, 8, 10, 12, 20])
    assert (spread.count, spread.minimum, spread.lower_quartile, spread.median, spread.upper_quartile,
            spread.maximum, spread.mean) == (5, 4, 8, 10, 12, 20, 10.8)
    assert Distribution.of([13.5]).lower_quartile == Distribution.of([13.5]).upper_quartile == 13.5


def test_final_and_provisional_grades_are_spread_apart_only_when_the_class_has_both():
    both = [graded("ada", 18), graded("ben", 10, ("q1",)), graded("cy", 12, ("q1",)), not_graded("dan", "x")]
    assert {name: spread.count for name, spread in distributions(both).items()} == {
        "all graded": 3, "final": 1, "provisional": 2}
    assert list(distributions(both[:1])) == ["all graded"]
    assert distributions([not_graded("dan", "nothing handed in")]) == {}


def cells(**scores) -> dict[str, CellGrade]:
    """A student's cells: tests `test_*` out of 1, written answers `q*` out of 2, None awaiting a grade."""
    return {name: CellGrade(name, score, 1.0 if name.startswith("test") else 2.0, name.startswith("test"))
            for name, score in scores.items()}


CLASS = {"ada": cells(test_a=1.0, q1=2.0, test_b=0.0, q2=None),
         "ben": cells(test_a=0.5, q1=None, test_b=0.0, q2=None),
         "cy": cells(test_a=1.0, q1=1.0, test_b=1.0, q2=None)}


def test_the_hardest_questions_come_first_and_the_written_ones_no_one_graded_last():
    scores = question_scores(CLASS)
    assert [(score.cell, score.share, score.graded, score.awaiting) for score in scores] == [
        ("test_b", 1 / 3, 3, 0), ("q1", 0.75, 2, 1), ("test_a", 2.5 / 3, 3, 0), ("q2", None, 0, 3)]


def test_who_lost_points_lists_the_tests_most_students_lost_points_on_first():
    assert who_lost_points(CLASS) == {"test_b": ["ada", "ben"], "test_a": ["ben"]}
    assert who_lost_points({"ada": cells(test_a=1.0, q1=None)}) == {}


def test_the_grading_queue_has_one_entry_per_written_answer_in_notebook_order():
    assert manual_grading_queue(CLASS) == {"q1": ["ben"], "q2": ["ada", "ben", "cy"]}
    assert manual_grading_queue({"ada": cells(test_a=0.0, q1=2.0)}) == {}


def test_the_students_not_graded_are_counted_by_kind_of_reason():
    standings = [not_graded("a", "refused at intake: empty file"), not_graded("b", "refused at intake: not JSON"),
                 not_graded("c", "nothing handed in"), graded("d", 12)]
    assert reasons_not_graded(standings).most_common() == [("refused at intake", 2), ("nothing handed in", 1)]


def test_a_long_list_of_students_is_folded_and_every_id_is_isolated_and_escaped():
    few = listed_students(["ada", "<b>ben</b>"])
    assert few == "<bdi>ada</bdi>, <bdi>&lt;b&gt;ben&lt;/b&gt;</bdi>"
    many = listed_students([str(student) for student in range(LISTED_OPEN + 1)])
    assert many.startswith(f"<details><summary>{LISTED_OPEN + 1} students</summary>")
