"""The class report of a graded assignment: one HTML page with PNG plots, in reports/<assignment>/.

It shows the score histogram, each test cell's pass rate, the most frequent failure messages (numbers
blanked so that one mistake made by many students counts once), the students whose written answers
await a grade, each submission's grading time (from `coursekit autograde`'s log), and the pairs of students whose
code is alike (from `coursekit similarity`'s last comparison, while the class's code is still the one it compared).
"""
from __future__ import annotations

import collections
import html
import itertools
import re
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no screen on a grading server
import matplotlib.pyplot as plt  # noqa: E402
from nbformat import NotebookNode  # noqa: E402

from . import grades, notebooks, similarity  # noqa: E402
from .apps.autograde_app import log_path, read_log  # noqa: E402
from .converters.parallel_autograde import unfinished_marker  # noqa: E402
from .course import CommandError, Course  # noqa: E402
from .inert import CONTENT_SECURITY_POLICY_META  # noqa: E402

MOST_FREQUENT = 10


@dataclass(frozen=True)
class ClassGrades:
    by_student: dict[str, dict[str, grades.CellGrade]]
    failures: collections.Counter  # (test cell, message with numbers blanked) -> how many students
    seconds: dict[str, float]  # grading time of each submission, when the log has it
    not_graded: dict[str, str]  # why a submission failed to grade, from the same log

    @classmethod
    def read(cls, course: Course, assignment: str) -> ClassGrades:
        names = course.notebook_names(assignment)
        students = course.students(assignment, "autograded")
        by_student = {student: grades.submission_grades(course, assignment, student) for student in students}
        failures = collections.Counter()
        for student, name in itertools.product(students, names):
            path = course.notebook(assignment, "autograded", student, name)
            if not path.is_file():  # a notebook the student did not hand in
                continue
            losing_points = grades.cells_losing_points(by_student[student])
            for cell_id, cell in notebooks.test_cells(notebooks.read(path)).items():
                label = grades.cell_label(name, cell_id, len(names))
                message = failure_message(cell, label in losing_points)
                if message:
                    failures[(label, message)] += 1
        log = log_path(course.root, assignment)
        outcomes = read_log(log) if log.is_file() else []
        return cls(by_student, failures,
                   {outcome.student: outcome.seconds for outcome in outcomes if outcome.graded},
                   {outcome.student: outcome.message for outcome in outcomes if not outcome.graded})

    def totals(self) -> dict[str, float]:
        return {student: grades.autograded_total(cell_grades)[0] for student, cell_grades in self.by_student.items()}

    def pass_rates(self) -> dict[str, float]:
        """For each test cell, the share of students who earned its full points."""
        cells = [cell for cell, grade in next(iter(self.by_student.values())).items() if grade.autograded]
        return {cell: sum(grades_[cell].score == grades_[cell].max_score for grades_ in self.by_student.values())
                / len(self.by_student) for cell in cells}

    def awaiting_manual_grade(self) -> dict[str, list[str]]:
        return {student: [cell for cell, grade in cell_grades.items() if grade.score is None]
                for student, cell_grades in self.by_student.items()
                if any(grade.score is None for grade in cell_grades.values())}


def failure_message(cell: NotebookNode, lost_points: bool) -> str | None:
    """What an autograded test cell told the student, in one line with its numbers blanked (so that one mistake
    made by many students counts once): its error's first line; for points lost without an error (a partial
    credit), the last line it printed, or the first it wrote to stderr; None for a cell that lost no point."""
    outputs = cell.get("outputs", [])
    errors = [output for output in outputs if output.get("output_type") == "error"]
    written_to_stderr = _printed(outputs, "stderr")
    if errors:
        message = notebooks.error_line(errors[-1])
    elif not lost_points:
        return None
    elif written_to_stderr:  # nbgrader gives no point to a cell that wrote to stderr
        message = f"wrote to stderr: {written_to_stderr[0]}"
    else:
        printed = _printed(outputs, "stdout")
        message = f"partial credit: {printed[-1]}" if printed else "partial credit"
    return re.sub(r"-?\d+(\.\d+)?(e-?\d+)?", "#", message)


def _printed(outputs: list, stream: str) -> list[str]:
    """The non-blank lines a cell wrote to a stream (stdout, stderr)."""
    return [line for output in outputs if output.get("output_type") == "stream" and output.get("name") == stream
            for line in output.get("text", "").splitlines() if line.strip()]


def report_folder(course: Course, assignment: str) -> Path:
    """Where an assignment's reports go: reports/<assignment>/ in the course folder."""
    return course.root / "reports" / assignment


def write_report(course: Course, assignment: str) -> Path:
    """Write the class report of an assignment and its plots; return the HTML page's path."""
    folder = report_folder(course, assignment)
    half_graded = [student for student in course.students(assignment, "autograded")
                   if unfinished_marker(course.folder(assignment, "autograded", student)).exists()]
    if half_graded:
        raise CommandError(f"{len(half_graded)} submissions of {assignment} were left half graded by a batch that was "
                           f"stopped ({', '.join(half_graded)}): run `coursekit autograde {assignment}` first")
    graded = ClassGrades.read(course, assignment)
    if not graded.by_student:
        raise CommandError(f"nothing of {assignment} autograded in {course.root / 'autograded'}: "
                           "run the autograding first")
    folder.mkdir(parents=True, exist_ok=True)
    _plot_scores(graded, folder / "scores.png")
    _plot_pass_rates(graded, folder / "pass_rates.png")
    if graded.seconds:
        _plot_seconds(graded, folder / "seconds.png")
    page = folder / "class_report.html"
    # A student's text (their code, their id, the messages of their failures) may hold what UTF-8 cannot encode, a
    # lone surrogate written as \ud800 in a notebook's JSON: it becomes "?" rather than stop the class report.
    page.write_text(_page(assignment, graded, similar_code_section(course, assignment)), encoding="utf-8",
                    errors="replace")
    return page


def similar_code_section(course: Course, assignment: str) -> str:
    """The "Similar code" section, or one line saying why it cannot be shown: it never stops the class report."""
    try:
        return _similar_code(assignment, *similarity.current_comparison(course, assignment))
    except CommandError as error:  # the release removed since the comparison
        return f"<p>Similar code not shown: {html.escape(str(error))}.</p>"
    # Broad on purpose: similarity.json is a file anyone may have edited or cut short, and whatever it holds, the
    # rest of the class report is still written.
    except Exception as error:
        path = similarity.results_path(course, assignment)
        return (f"<p>Similar code not shown: {html.escape(str(path))} cannot be read ({type(error).__name__}: "
                f"{html.escape(str(error))}); <code>coursekit similarity {html.escape(assignment)}</code> writes it "
                "again.</p>")


def write_report_if_graded(course: Course, assignment: str) -> str:
    """Write the class report if the assignment has been autograded; say where it is, or why there is none yet."""
    if not course.students(assignment, "autograded"):
        return (f"No class report yet: nothing of {assignment} autograded. `coursekit report {assignment}`, once it "
                "is, shows these pairs.")
    return f"Class report: {write_report(course, assignment)}"


def _plot_scores(graded: ClassGrades, path: Path) -> None:
    maximum = grades.autograded_total(next(iter(graded.by_student.values())))[1]
    figure, axes = plt.subplots(figsize=(6, 3.2))
    axes.hist(list(graded.totals().values()), bins=[x / 2 for x in range(0, int(2 * maximum) + 2)],
              color="#4c72b0", edgecolor="white")
    axes.set(xlabel=f"autograded score (out of {maximum:g})", ylabel="students", title="Scores")
    _save(figure, path)


def _plot_pass_rates(graded: ClassGrades, path: Path) -> None:
    rates = graded.pass_rates()
    figure, axes = plt.subplots(figsize=(6, 0.28 * len(rates) + 1))
    axes.barh(list(rates), [100 * rate for rate in rates.values()], color="#55a868")
    axes.invert_yaxis()
    axes.set(xlabel="students with full points (%)", xlim=(0, 100), title="Pass rate of each test")
    _save(figure, path)


def _plot_seconds(graded: ClassGrades, path: Path) -> None:
    figure, axes = plt.subplots(figsize=(6, 3.2))
    axes.hist(list(graded.seconds.values()), bins=20, color="#c44e52", edgecolor="white")
    axes.set(xlabel="seconds to execute a submission (kernel start included)", ylabel="submissions",
             title="Grading time")
    _save(figure, path)


def _save(figure, path: Path) -> None:
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def _table(headers: list[str], rows: list[list[str]], css_class: str = "") -> str:
    """An HTML table of already escaped cells, or a line saying there is nothing to list."""
    if not rows:
        return "<p>None.</p>"
    head = "".join(f"<th>{header}</th>" for header in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    attributes = f' class="{css_class}"' if css_class else ""
    return f"<table{attributes}><tr>{head}</tr>{body}</table>"


def _similar_code(assignment: str, comparison: similarity.Comparison | None, current: bool) -> str:
    """The "Similar code" section: each pair at or above the threshold, most similar first, with the two students'
    code of each cell where they match side by side, the matching parts marked; or how to get the section."""
    escape = html.escape
    command = f"<code>coursekit similarity {escape(assignment)}</code>"
    if comparison is None:
        return (f"<p>Not compared yet: {command} compares the students' code, and this section then lists the pairs "
                "whose code is alike.</p>")
    if not current:
        return f"<p>The submissions changed since the last comparison: run {command} again.</p>"
    earlier = (f" and {comparison.earlier_students} of earlier years ({', '.join(map(_isolated, comparison.earlier))})"
               if comparison.earlier else "")
    not_compared = "".join(f"<p>Not compared: {_isolated(notebook)} ({escape(why)}).</p>"
                         for notebook, why in comparison.not_compared.items())
    shown, listed = comparison.pairs[:similarity.PAIRS_WITH_CODE], comparison.pairs[similarity.PAIRS_WITH_CODE:]
    pairs = "".join(_similar_pair(pair) for pair in shown)
    if listed:
        pairs += (f"<h3>{len(listed)} more pairs, their code not shown</h3>"
                  + _table(["student", "student", "score", "shares"],
                           [[*map(_isolated, pair.students), f"{pair.score:.0%}",
                             f"{pair.shares[0]:.0%}, {pair.shares[1]:.0%}"] for pair in listed]))
    return (f"<p>{comparison.students} students' code compared{earlier}, cell by cell; the pairs whose score (the "
            f"larger share of one's code found in the other's) is at least {comparison.threshold:g}, with at least "
            f"{similarity.LEAST_MATCHED} characters of each one's code, names and layout aside, found in the other's; "
            f"most similar first, the first {similarity.PAIRS_WITH_CODE} with their code. Similar code is a reason to "
            f"look, not a verdict.</p>{not_compared}" + (pairs or "<p>No pair at or above the threshold.</p>"))


def _isolated(text: str) -> str:
    """A student's id or a folder's name, escaped, in <bdi>: a right-to-left override (U+202E) in it would otherwise
    reverse the text around it, the score and the other student's id."""
    return f"<bdi>{html.escape(text)}</bdi>"


def _similar_pair(pair: similarity.Pair) -> str:
    first, second = map(_isolated, pair.students)
    cells = [[html.escape(match.cell), *(f"<pre>{_marked(code, spans)}</pre>"
                                         for code, spans in zip(match.codes, match.matched))]
             for match in pair.cells]
    return (f"<h3>{first} and {second}: {pair.score:.0%}</h3><p>{pair.shares[0]:.0%} of {first}'s code is found in "
            f"{second}'s, {pair.shares[1]:.0%} of {second}'s in {first}'s.</p>"
            + _table(["cell", first, second], cells, css_class="code"))


def _marked(code: str, spans: list[tuple[int, int]]) -> str:
    """Code, escaped, with the given character ranges in <mark>."""
    pieces, position = [], 0
    for start, end in spans:
        start = max(start, position)
        pieces += [html.escape(code[position:start]), f"<mark>{html.escape(code[start:end])}</mark>"]
        position = max(position, end)
    return "".join(pieces) + html.escape(code[position:])


def _page(assignment: str, graded: ClassGrades, similar_code: str) -> str:
    totals = graded.totals()
    escape = html.escape
    failures = _table(["students", "test", "message (numbers as #)"],
                      [[str(count), escape(cell), f"<code>{escape(message)}</code>"]
                       for (cell, message), count in graded.failures.most_common(MOST_FREQUENT)])
    not_graded = _table(["student", "why"], [[escape(student), escape(message)]
                                             for student, message in graded.not_graded.items()])
    manual = _table(["student", "answers to grade"], [[escape(student), escape(", ".join(cells))]
                                                      for student, cells in graded.awaiting_manual_grade().items()])
    times = _table(["student", "seconds"], [[escape(student), f"{seconds:.1f}"] for student, seconds
                                            in sorted(graded.seconds.items(), key=lambda item: -item[1])])
    timing = (f'<img src="seconds.png" alt="grading time histogram">{times}' if graded.seconds else
              "<p>No grading log: grade with <code>coursekit autograde</code> to record each submission's time.</p>")
    mean = sum(totals.values()) / len(totals)
    return f"""<!DOCTYPE html>
<html lang="en"><head>{CONTENT_SECURITY_POLICY_META}<meta charset="utf-8"><title>Class report: {escape(assignment)}</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}}
table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #ccc;padding:.3em .6em;text-align:left}}
img{{max-width:100%}}td{{vertical-align:top}}
table.code{{width:100%;table-layout:fixed}}table.code th:first-child{{width:9em}}
pre{{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}}mark{{background:#ffe08a}}</style>
</head><body>
<h1>Class report: {escape(assignment)}</h1>
<p>{len(totals)} students graded; mean autograded score {mean:.2f}.</p>
<h2>Scores</h2><img src="scores.png" alt="score histogram">
<h2>Pass rate of each test</h2><img src="pass_rates.png" alt="pass rate of each test cell">
<h2>Most frequent failure messages</h2>
{failures}
<h2>Not graded</h2>
{not_graded}
<h2>Awaiting manual grading</h2>
{manual}
<h2>Grading time per submission</h2>{timing}
<h2>Similar code</h2>
{similar_code}
</body></html>
"""
