"""Feedback that starts with what a student needs: the grade and whether it is final, then what to fix.

nbgrader's feedback page opens on "Score: 16.0 / 20.0", a final-looking number even while written answers await the
teacher (each shows 0.0), then a list of "Test cell" links that name no test and say nothing of what went wrong. Run
in `nbgrader generate_feedback` after GetGrades and HideHiddenTests (nbgrader_config.py), this preprocessor puts first,
in one block: the grade with its status (provisional while answers await a grade, final after), or, for the release
handed back untouched or another notebook, one line saying so; the points of each part of the notebook; the function
to fix first; the tests that lost points, each linked to its cell with the message its failure gave (the hint the test
was written to give, never its code); the written answers, graded or awaiting their grade. It marks the answers that
await a grade, for the page's template (coursekit/templates/), and gives the page its title.
"""
from __future__ import annotations

import html

from nbformat import NotebookNode
from nbformat.v4 import new_markdown_cell

from nbgrader import utils
from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor

from .. import grades, notebooks

MESSAGE_LENGTH = 400  # a hint, not a traceback
AWAITING_GRADE = "awaiting_grade"  # the nbgrader metadata the template reads on a written answer not graded yet


class SummarizeResults(NbGraderPreprocessor):
    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        submission = resources["nbgrader"]
        with Gradebook(submission["db_url"]) as gradebook:
            graded = gradebook.find_submission(submission["assignment"], submission["student"])
            grade = grades.SubmissionGrade.of(graded)
            released = grades.released_sources(gradebook, submission["notebook"], submission["assignment"])
        for cell in nb.cells:
            if utils.is_grade(cell) and cell.metadata.nbgrader["grade_id"] in grade.awaiting:
                cell.metadata.nbgrader[AWAITING_GRADE] = True
        resources["feedback_title"] = (f"Feedback: {submission['assignment']}, {submission['notebook']}, "
                                       f"student {submission['student']}")
        summary = Summary(nb, grade, notebooks.handed_in_as(nb, released)).html(resources["feedback_title"])
        nb.cells.insert(0, new_markdown_cell(summary, metadata={"feedback_summary": True}))
        return nb, resources


class Summary:
    """The summary block of one notebook's feedback page."""

    def __init__(self, nb: NotebookNode, grade: grades.SubmissionGrade, handed_in_as: str | None):
        self.grade = grade
        self.handed_in_as = handed_in_as
        self.tests = list(notebooks.test_cells(nb).values())
        self.answers = [cell for cell in nb.cells if cell.cell_type == "markdown" and utils.is_grade(cell)]
        self.parts = notebooks.parts(nb)
        self.functions = notebooks.tested_functions(nb)

    def html(self, title: str) -> str:
        sections = [f"<h1>{html.escape(title)}</h1>", self._grade()]
        if self.handed_in_as:
            sections.append(self._not_their_work())
        else:
            sections += [self._parts(), self._fix_first(), self._failing_tests()]
        sections.append(self._answers())
        return '<div class="feedback-summary">' + "".join(sections) + "</div>"

    def _grade(self) -> str:
        grade = self.grade
        if grade.awaiting:
            return (f'<p><b>Provisional grade: {grade.points()}</b>. Your teacher has not '
                    f"graded your written answers yet ({len(grade.awaiting)}, worth {grade.awaiting_points:g} "
                    "points): they count 0 until then, so this grade can only go up.</p>")
        return f'<p><b>Final grade: {grade.points()}</b>.</p>'

    def _not_their_work(self) -> str:
        if self.handed_in_as == notebooks.UNTOUCHED:
            said = ("You handed in the notebook exactly as it was handed out: none of its cells holds your work. If "
                    "you meant to hand in your own, check that you uploaded the right file, saved after your last "
                    "change.")
        else:
            said = ("The notebook you handed in is not this assignment's: none of the cells you were to write in is "
                    "there. Check that you uploaded the right file.")
        return f'<p><b>{html.escape(said)}</b></p>'

    def _parts(self) -> str:
        points: dict[str, list[float]] = {}
        for cell in [*self.tests, *self.answers]:
            column = 2 if cell in self.answers else 0
            part = points.setdefault(self.parts.get(cell.metadata.nbgrader["grade_id"], ""), [0.0] * 4)
            if not cell.metadata.nbgrader.get(AWAITING_GRADE):
                part[column] += _score(cell)
            part[column + 1] += _points(cell)
        rows = "".join(f"<tr><td>{html.escape(part or 'Before the first part')}</td>"
                       f"<td>{_fraction(tests, out_of)}</td><td>{self._answer_points(answers, answers_out_of, part)}</td>"
                       "</tr>" for part, (tests, out_of, answers, answers_out_of) in points.items())
        return ("<h2>Points per part</h2><table><thead><tr><th>Part</th><th>Tests</th><th>Written answers</th>"
                f"</tr></thead><tbody>{rows}</tbody></table>")

    def _answer_points(self, earned: float, out_of: float, part: str) -> str:
        if not out_of:
            return "–"
        awaiting = any(cell.metadata.nbgrader.get(AWAITING_GRADE) for cell in self.answers
                       if self.parts.get(cell.metadata.nbgrader["grade_id"], "") == part)
        return f"not graded yet (out of {out_of:g})" if awaiting else _fraction(earned, out_of)

    def _failing(self) -> list[NotebookNode]:
        return [cell for cell in self.tests if _score(cell) < _points(cell)]

    def _fix_first(self) -> str:
        failing = self._failing()
        if not failing:
            return "<p>Every test passed.</p>"
        first = failing[0]
        grade_id = first.metadata.nbgrader["grade_id"]
        function = self.functions.get(grade_id, "")
        return (f'<h2>What to fix first</h2><p><code>{html.escape(function)}</code>: its test '
                f'<a href="#{html.escape(grade_id)}"><code>{html.escape(grade_id)}</code></a> says '
                f"<q>{html.escape(_message(first))}</q></p><p>Later functions may build on it: fix it first, then run "
                "the notebook again from the top.</p>")

    def _failing_tests(self) -> str:
        failing = self._failing()
        if not failing:
            return ""
        rows = []
        for cell in failing:
            grade_id = html.escape(cell.metadata.nbgrader["grade_id"])
            rows.append(f'<tr><td><a href="#{grade_id}"><code>{grade_id}</code></a></td>'
                        f"<td><code>{html.escape(self.functions.get(cell.metadata.nbgrader['grade_id'], ''))}</code>"
                        f"</td><td>{_fraction(_score(cell), _points(cell))}</td>"
                        f"<td>{html.escape(_message(cell))}</td></tr>")
        return (f"<h2>Tests that lost points ({len(failing)} of {len(self.tests)})</h2>"
                "<p>Click a test to see its cell, your code and its output.</p><table class=\"tests\"><thead><tr><th>Test</th>"
                "<th>Function</th><th>Points</th><th>What went wrong</th></tr></thead><tbody>"
                + "".join(rows) + "</tbody></table>")

    def _answers(self) -> str:
        if not self.answers:
            return ""
        items = []
        for cell in self.answers:
            grade_id = html.escape(cell.metadata.nbgrader["grade_id"])
            state = (f"awaiting your teacher's grade (out of {_points(cell):g})"
                     if cell.metadata.nbgrader.get(AWAITING_GRADE) else _fraction(_score(cell), _points(cell)))
            items.append(f'<li><a href="#{grade_id}"><code>{grade_id}</code></a>: {state}</li>')
        return f"<h2>Written answers</h2><ul>{''.join(items)}</ul>"


def _fraction(earned: float, out_of: float) -> str:
    return f"{earned:g} / {out_of:g}"


def _score(cell: NotebookNode) -> float:
    return float(cell.metadata.nbgrader.get("score") or 0)


def _points(cell: NotebookNode) -> float:
    return float(cell.metadata.nbgrader.get("points") or 0)


def _message(cell: NotebookNode) -> str:
    """The error the test cell ended on, as `Error: message`; or why it scored less with no error."""
    outputs = cell.get("outputs", [])
    errors = [output for output in outputs if output.get("output_type") == "error"]
    if errors:
        # On one line: the message is the student's code's as much as the test's, and a blank line in it would end
        # the summary's HTML block, the rest read as markdown.
        message = " ".join(notebooks.error_message(errors[-1]).split())
        return message if len(message) <= MESSAGE_LENGTH else message[:MESSAGE_LENGTH] + "… (the rest is in the cell)"
    if any(output.get("output_type") == "stream" and output.get("name") == "stderr" for output in outputs):
        return "the cell wrote to stderr, which costs all its points: see its output"
    if _score(cell) == 0:
        return "no points: see the cell's output"
    return f"partial credit, {_score(cell):g} of {_points(cell):g}: see the cell's output"
