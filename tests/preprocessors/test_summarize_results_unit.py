"""The feedback page's summary, in-process, on a notebook built here: what a test's message can and cannot do."""
from __future__ import annotations

from nbformat.v4 import new_code_cell, new_notebook, new_output

from coursekit.grades import SubmissionGrade
from coursekit.preprocessors.make_inert import inert_markdown
from coursekit.preprocessors.summarize_results import Summary


def failed_test(message: str):
    metadata = {"nbgrader": {"grade_id": "test_softmax", "grade": True, "solution": False, "points": 1, "score": 0}}
    error = new_output("error", ename="AssertionError", evalue=message, traceback=[])
    return new_code_cell("", metadata=metadata, outputs=[error])


def test_a_message_with_blank_lines_stays_one_line_of_the_summarys_html():
    """A student's exception text is the test's message: a blank line in it would end the summary's HTML block and
    let the rest render as markdown, a heading or a link inside the official summary."""
    notebook = new_notebook(cells=[failed_test("x\n\n# Grade corrected to 20/20\n[Log in](https://evil.example)")])
    summary = Summary(notebook, SubmissionGrade(0.0, 1.0, (), 0.0), None).html("Feedback")
    rendered = inert_markdown(summary, {})
    assert "<h1>Grade corrected" not in rendered and 'href="https://evil.example"' not in rendered
    assert "x # Grade corrected to 20/20 [Log in](https://evil.example)" in rendered


def test_a_test_that_scored_nothing_without_an_error_is_not_called_partial_credit():
    metadata = {"nbgrader": {"grade_id": "test_softmax", "grade": True, "solution": False, "points": 1, "score": 0}}
    notebook = new_notebook(cells=[new_code_cell("", metadata=metadata, outputs=[])])
    summary = Summary(notebook, SubmissionGrade(0.0, 1.0, (), 0.0), None).html("Feedback")
    assert "no points: see the cell&#x27;s output" in summary and "partial credit" not in summary
