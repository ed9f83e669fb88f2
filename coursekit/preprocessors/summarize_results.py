"""Feedback that starts with what to fix: a summary of the student's results at the top of the page.

nbgrader's feedback page opens with a list of "Test cell (Score: x / y)" lines that name no test
and say nothing of what went wrong. Run in `nbgrader generate_feedback` after GetGrades and
HideHiddenTests (nbgrader_config.py), this preprocessor puts first a table of the tests that lost
points, each linked to its cell, with its points and the message its failure gave (the hint the
test was written to give, never its code); then how many tests passed and where the written
answers stand.
"""
from __future__ import annotations

import html

from nbformat import NotebookNode
from nbformat.v4 import new_markdown_cell

from nbgrader import utils
from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor

from .. import notebooks

MESSAGE_LENGTH = 400  # a hint, not a traceback


class SummarizeResults(NbGraderPreprocessor):
    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        tests = list(notebooks.test_cells(nb).values())
        answers = [cell for cell in nb.cells if cell.cell_type == "markdown" and utils.is_grade(cell)]
        summary = _summary(tests, answers, _awaiting_manual_grade(resources["nbgrader"]))
        nb.cells.insert(0, new_markdown_cell(summary, metadata={"feedback_summary": True}))
        return nb, resources


def _awaiting_manual_grade(submission: dict) -> set[str]:
    """The graded cells of this submission that still await their manual grade (GetGrades scores them 0)."""
    with Gradebook(submission["db_url"]) as gradebook:
        notebook = gradebook.find_submission_notebook(submission["notebook"], submission["assignment"],
                                                      submission["student"])
        return {grade.name for grade in notebook.grades if grade.needs_manual_grade}


def _summary(tests: list[NotebookNode], answers: list[NotebookNode], awaiting: set[str]) -> str:
    failing = [cell for cell in tests if _score(cell) < _points(cell)]
    earned, total = sum(map(_score, tests)), sum(map(_points, tests))
    lines = ['<div class="feedback-summary">', "<h2>Your results at a glance</h2>",
             f"<p>Tests: <b>{earned:g} / {total:g}</b> points; {len(tests) - len(failing)} of {len(tests)} "
             "tests earned all their points.</p>"]
    if failing:
        lines += ["<p>What to fix, test by test (click a test to see its cell, your code and its output):</p>",
                  "<table><tr><th>test</th><th>points</th><th>what went wrong</th></tr>"]
        for cell in failing:
            grade_id = html.escape(cell.metadata.nbgrader["grade_id"])
            lines.append(f'<tr><td><a href="#{grade_id}"><code>{grade_id}</code></a></td>'
                         f"<td>{_score(cell):g} / {_points(cell):g}</td><td>{html.escape(_message(cell))}</td></tr>")
        lines.append("</table>")
    if answers:
        graded = [cell for cell in answers if cell.metadata.nbgrader["grade_id"] not in awaiting]
        lines.append(f"<p>Written answers: {len(graded)} of {len(answers)} graded"
                     + (", the others are still to be read by your teacher.</p>" if len(graded) < len(answers)
                        else f", {sum(map(_score, graded)):g} / {sum(map(_points, graded)):g} points.</p>"))
    lines.append("</div>")
    return "\n".join(lines)


def _score(cell: NotebookNode) -> float:
    return float(cell.metadata.nbgrader.get("score") or 0)


def _points(cell: NotebookNode) -> float:
    return float(cell.metadata.nbgrader.get("points") or 0)


def _message(cell: NotebookNode) -> str:
    """The error the test cell ended on, as `Error: message`; or why it scored less with no error."""
    errors = [output for output in cell.get("outputs", []) if output.get("output_type") == "error"]
    if not errors:
        return "partial credit: see the cell's output"
    message = notebooks.error_message(errors[-1])
    return message if len(message) <= MESSAGE_LENGTH else message[:MESSAGE_LENGTH] + "…"
