"""The class report of a graded assignment: one HTML page with PNG plots, in reports/<assignment>/.

Every student of the assignment is in it, as coursekit/standing.py tells them (the same students, grades and
statuses as the terminal tables, grades.csv and Moodle's worksheet): a roster with each one's grade, status and
feedback page, or why they were not graded; the grades' distribution (median, quartiles), final and provisional
apart; how much of each question's points the class earned, written answers included; who lost points on each test
and the most frequent failure messages (numbers blanked so that one mistake made by many students counts once); the
written answers awaiting a grade, question by question; the grading time (from `coursekit autograde`'s log); and the
pairs of students whose code is alike (from `coursekit similarity`'s last comparison, while the class's code is
still the one it compared). It stays light at a few hundred students: one roster row each, three plots, long lists
of students folded in <details>.
"""
from __future__ import annotations

import collections
import html
import itertools
import os
import re
import statistics
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no screen on a grading server
import matplotlib.pyplot as plt  # noqa: E402
import numpy  # noqa: E402
from matplotlib.ticker import MaxNLocator, MultipleLocator  # noqa: E402
from nbformat import NotebookNode  # noqa: E402
from nbgrader.api import Gradebook  # noqa: E402

from . import grades, notebooks, similarity  # noqa: E402
from .converters.parallel_autograde import unfinished_marker  # noqa: E402
from .grading_log import logged  # noqa: E402
from .course import CommandError, Course  # noqa: E402
from .inert import CONTENT_SECURITY_POLICY_META  # noqa: E402
from .standing import Standing, class_standings  # noqa: E402

MOST_FREQUENT = 10  # failure messages listed
SLOWEST = 5  # submissions named in the grading time's summary
LISTED_OPEN = 12  # students listed as they are; a longer list is folded in a <details>
TESTS_NAMED = 4  # in a roster row, as they are; more are folded, to keep the row on one line
# Blue for what the autograder settled (final grades, tests), orange for what awaits or took a hand (provisional
# grades, written answers).
AUTOGRADED_COLOUR, BY_HAND_COLOUR = "#4c72b0", "#dd8452"


@dataclass(frozen=True)
class ClassGrades:
    standings: list[Standing]  # every student of the assignment, by student id
    cells: dict[str, dict[str, grades.CellGrade]]  # each graded student's cells, by cell label
    failures: dict[tuple[str, str], list[str]]  # (test cell, message with numbers blanked) -> the students it told
    seconds: dict[str, float]  # grading time of each submission, when the log has it
    handed_in_as: dict[str, str]  # the students who handed the release back untouched, or another notebook

    @classmethod
    def read(cls, course: Course, assignment: str) -> ClassGrades:
        standings = class_standings(course, assignment)
        names = course.notebook_names(assignment)
        graded = {standing.student for standing in standings if standing.grade}
        cells = {student: cells for student, cells in grades.class_grades(course, assignment).items()
                 if student in graded}
        with Gradebook(course.db_url) as gradebook:
            released = {name: grades.released_sources(gradebook, name, assignment) for name in names}
        failures, handed_in_as = collections.defaultdict(list), {}
        for student, name in itertools.product(cells, names):
            path = course.notebook(assignment, "autograded", student, name)
            if not path.is_file():  # a notebook the student did not hand in
                continue
            losing_points = grades.cells_losing_points(cells[student])
            autograded = notebooks.read(path)
            if said := notebooks.handed_in_as(autograded, released[name]):
                handed_in_as.setdefault(student, said)
            for cell_id, cell in notebooks.test_cells(autograded).items():
                label = grades.cell_label(name, cell_id, len(names))
                message = failure_message(cell, label in losing_points)
                if message:
                    failures[(label, message)].append(student)
        return cls(standings, cells, dict(failures),
                   {outcome.student: outcome.seconds for outcome in logged(course.root, assignment)
                    if outcome.graded and outcome.student in cells}, handed_in_as)

    @property
    def graded(self) -> list[Standing]:
        return [standing for standing in self.standings if standing.grade]

    @property
    def not_graded(self) -> list[Standing]:
        return [standing for standing in self.standings if not standing.grade]


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


@dataclass(frozen=True)
class Distribution:
    """How a set of grades spreads: quartiles as numpy's default (linear) percentiles."""
    count: int
    minimum: float
    lower_quartile: float
    median: float
    upper_quartile: float
    maximum: float
    mean: float

    @classmethod
    def of(cls, values: list[float]) -> Distribution:
        if not values:
            raise ValueError("no value: no distribution")
        minimum, lower, median, upper, maximum = numpy.percentile(values, [0, 25, 50, 75, 100])
        return cls(len(values), float(minimum), float(lower), float(median), float(upper), float(maximum),
                   statistics.fmean(values))


def distributions(standings: list[Standing]) -> dict[str, Distribution]:
    """The distribution of the graded students' grades, then of the final and of the provisional ones apart when
    the class has both."""
    graded = [standing for standing in standings if standing.grade]
    by_status = {status: [standing.grade.score for standing in graded if standing.status == status]
                 for status in (grades.FINAL, grades.PROVISIONAL)}
    spread = {"all graded": Distribution.of([standing.grade.score for standing in graded])} if graded else {}
    if all(by_status.values()):
        spread.update({status: Distribution.of(scores) for status, scores in by_status.items()})
    return spread


@dataclass(frozen=True)
class QuestionScore:
    """How much of a graded cell's points the class earned."""
    cell: str
    autograded: bool
    share: float | None  # mean score / maximum among the students graded on it; None when none is yet
    graded: int  # students with a score on it
    awaiting: int  # students whose answer awaits its manual grade


def question_scores(cells: dict[str, dict[str, grades.CellGrade]]) -> list[QuestionScore]:
    """Each graded cell's share of points earned, hardest first; written answers no one has a grade on yet last."""
    by_cell = collections.defaultdict(list)
    for student_cells in cells.values():
        for label, grade in student_cells.items():
            by_cell[label].append(grade)
    scores = []
    for label, cell_grades in by_cell.items():
        scored = [grade for grade in cell_grades if grade.score is not None]
        share = statistics.fmean(grade.score / grade.max_score for grade in scored) if scored else None
        scores.append(QuestionScore(label, cell_grades[0].autograded, share, len(scored),
                                    len(cell_grades) - len(scored)))
    return sorted(scores, key=lambda score: (score.share is None, score.share or 0.0))


def who_lost_points(cells: dict[str, dict[str, grades.CellGrade]]) -> dict[str, list[str]]:
    """For each test cell that someone got less than its full points on, those students: the tests most students
    lost points on first, in notebook order among equals."""
    tests = [label for label, grade in next(iter(cells.values()), {}).items() if grade.autograded]
    lost_by_student = {student: grades.cells_losing_points(student_cells) for student, student_cells in cells.items()}
    losing = {label: [student for student, lost in lost_by_student.items() if label in lost] for label in tests}
    return dict(sorted(((label, students) for label, students in losing.items() if students),
                       key=lambda item: -len(item[1])))


def manual_grading_queue(cells: dict[str, dict[str, grades.CellGrade]]) -> dict[str, list[str]]:
    """For each written answer that awaits a grade, in notebook order, the students whose answer awaits it."""
    labels = list(next(iter(cells.values()), {}))
    queue = {label: [student for student, student_cells in cells.items() if student_cells[label].score is None]
             for label in labels}
    return {label: students for label, students in queue.items() if students}


def reasons_not_graded(standings: list[Standing]) -> collections.Counter:
    """How many students are not graded for each kind of reason: the reason's words before its first colon
    (`refused at intake`, `autograding failed`, `nothing handed in`), most frequent first."""
    return collections.Counter(standing.why_not_graded.split(":")[0] for standing in standings if not standing.grade)


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
    if not graded.cells:
        raise CommandError(f"nothing of {assignment} autograded in {course.root / 'autograded'}: "
                           "run the autograding first")
    folder.mkdir(parents=True, exist_ok=True)
    _plot_grades(graded.graded, folder / "scores.png")
    _plot_question_scores(question_scores(graded.cells), folder / "pass_rates.png")
    if graded.seconds:
        _plot_seconds(graded.seconds, folder / "seconds.png")
    page = folder / "class_report.html"
    feedback = {standing.student: _feedback_links(course, assignment, standing.student, folder)
                for standing in graded.graded}
    # A student's text (their code, their id, the messages of their failures) may hold what UTF-8 cannot encode, a
    # lone surrogate written as \ud800 in a notebook's JSON: it becomes "?" rather than stop the class report.
    page.write_text(_page(assignment, graded, feedback, similar_code_section(course, assignment)), encoding="utf-8",
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


def _feedback_links(course: Course, assignment: str, student: str, folder: Path) -> str:
    """Links to a student's feedback pages that exist, relative to the report's folder (the course folder can move
    or be copied whole): "feedback", or each notebook's name when the assignment has several."""
    names = course.notebook_names(assignment)
    pages = {name: course.feedback_html(assignment, student, name) for name in names}
    # A folder's name that is not UTF-8 comes as lone surrogates: surrogateescape gives the URL its very bytes.
    urls = {name: urllib.parse.quote(Path(os.path.relpath(page, folder)).as_posix(), errors="surrogateescape")
            for name, page in pages.items() if page.is_file()}
    return " ".join(f'<a href="{html.escape(url)}">{html.escape(name) if len(names) > 1 else "feedback"}</a>'
                    for name, url in urls.items())


def _plot_grades(graded: list[Standing], path: Path) -> None:
    """The grades' histogram, one point per bar, final and provisional grades stacked, each bar's count above it."""
    maximum = graded[0].grade.max_score
    top = int(numpy.ceil(max(maximum, *(standing.grade.score for standing in graded))))
    edges = numpy.arange(top + 1)
    figure, axes = plt.subplots(figsize=(8, 3.4))
    counted = numpy.zeros(top, dtype=int)
    for status, colour in ((grades.FINAL, AUTOGRADED_COLOUR), (grades.PROVISIONAL, BY_HAND_COLOUR)):
        counts, _ = numpy.histogram([standing.grade.score for standing in graded if standing.status == status], edges)
        if counts.any():
            axes.bar(edges[:-1], counts, width=1, bottom=counted, align="edge", color=colour, edgecolor="white",
                     label=f"{status} ({counts.sum()})")
            counted += counts
    for left, count in zip(edges[:-1], counted):
        if count:
            axes.text(left + 0.5, count, str(count), ha="center", va="bottom", fontsize=8)
    axes.set(xlim=(0, top), ylim=(0, 1.15 * counted.max()), ylabel="students",
             xlabel=f"grade, points out of {maximum:g} (the bar from n to n+1 counts n ≤ grade < n+1)")
    axes.xaxis.set_major_locator(MultipleLocator(1 if top <= 25 else 5))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.legend(loc="upper left", fontsize=8)
    _save(figure, path)


def _plot_question_scores(scores: list[QuestionScore], path: Path) -> None:
    """Each question's share of points earned, hardest on top, the share written on its bar; written answers no one
    has a grade on yet are not drawn (the page names them)."""
    shown = [score for score in scores if score.share is not None]
    figure, axes = plt.subplots(figsize=(8, 0.3 * len(shown) + 1))
    percents = [100 * score.share for score in shown]
    axes.barh([score.cell if score.autograded else f"{score.cell} (written)" for score in shown], percents,
              color=[AUTOGRADED_COLOUR if score.autograded else BY_HAND_COLOUR for score in shown])
    for row, (score, percent) in enumerate(zip(shown, percents)):
        said = f"{percent:.0f}%" + ("" if score.autograded else f" ({score.graded} graded, {score.awaiting} awaiting)")
        inside = percent >= 50  # on a long bar, in white: beyond it, the text would leave the axes
        axes.text(percent - 1 if inside else percent + 1, row, said, va="center", ha="right" if inside else "left",
                  color="white" if inside else "black", fontsize=8)
    axes.invert_yaxis()
    axes.set(xlim=(0, 100), xlabel="points earned, in % of the question's points (mean over the students graded on it)")
    _save(figure, path)


def _plot_seconds(seconds: dict[str, float], path: Path) -> None:
    figure, axes = plt.subplots(figsize=(8, 3))
    axes.hist(list(seconds.values()), bins=20, color="#c44e52", edgecolor="white")
    axes.set(xlabel="seconds to execute a submission (kernel start included)", ylabel="submissions")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
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


def listed_students(students: list[str]) -> str:
    """Student ids, escaped, separated by commas; a long list folded in a <details> that says how many."""
    listed = ", ".join(map(_isolated, students))
    if len(students) <= LISTED_OPEN:
        return listed
    return f"<details><summary>{len(students)} students</summary>{listed}</details>"
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


def _roster(graded: ClassGrades, feedback: dict[str, str]) -> str:
    """One row per student of the assignment: id, name, grade, status, what lost points or why not graded, and the
    link to their feedback."""
    rows = []
    for standing in graded.standings:
        grade = standing.grade
        status = f'<span class="{standing.status.replace(" ", "-")}">{html.escape(standing.status)}</span>'
        if grade is None:
            rows.append([_isolated(standing.student), _isolated(standing.name), "—", status,
                         html.escape(standing.why_not_graded), ""])
            continue
        what = (notebooks.not_their_work(graded.handed_in_as[standing.student])
                if standing.student in graded.handed_in_as else _tests_that_lost_points(graded.cells[standing.student]))
        if grade.awaiting:
            what += f"; to grade: {_counted(len(grade.awaiting), 'written answer')} ({grade.awaiting_points:g} points)"
        rows.append([_isolated(standing.student), _isolated(standing.name), html.escape(grade.points()), status, what,
                     feedback.get(standing.student, "")])
    return _table(["student", "name", "grade", "status", "tests that lost points, or why not graded", "feedback"],
                  rows, css_class="roster")


def _tests_that_lost_points(cells: dict[str, grades.CellGrade]) -> str:
    """The tests a student lost points on, in notebook order: named, folded in a <details> when there are many."""
    lost = grades.cells_losing_points(cells)
    named = html.escape(", ".join(label for label in cells if label in lost))
    if not lost:
        return "none"
    if len(lost) <= TESTS_NAMED:
        return named
    return f"<details><summary>{_counted(len(lost), 'test')}</summary>{named}</details>"


def _counted(count: int, thing: str) -> str:
    return f"{count} {thing}{'' if count == 1 else 's'}"


def _summary(graded: ClassGrades) -> str:
    """The class in one line, with its denominator, and the grades' distribution."""
    statuses = collections.Counter(standing.status for standing in graded.standings)
    line = (f"<p><strong>{len(graded.standings)} students: {len(graded.graded)} graded ({statuses[grades.FINAL]} "
            f"final, {statuses[grades.PROVISIONAL]} provisional), {len(graded.not_graded)} not graded.</strong> "
            f"Grades out of {graded.graded[0].grade.max_score:g}, late penalty taken off, as grades.csv and "
            "Moodle's worksheet have them; a provisional grade counts the written answers awaiting a grade as 0: "
            "it can only rise.</p>")
    spread = _table(["grades", "students", "min", "lower quartile", "median", "upper quartile", "max", "mean"],
                    [[html.escape(name), str(shown.count), *(f"{value:.2f}" for value in (
                        shown.minimum, shown.lower_quartile, shown.median, shown.upper_quartile, shown.maximum,
                        shown.mean))] for name, shown in distributions(graded.standings).items()], css_class="numbers")
    return line + spread


def _question_scores_section(scores: list[QuestionScore]) -> str:
    waiting = ", ".join(f"{html.escape(score.cell)} ({score.awaiting} awaiting)"
                        for score in scores if score.share is None)
    not_drawn = f"<p>Not drawn, no grade on them yet: {waiting}.</p>" if waiting else ""
    return ('<p>The mean share of each question\'s points the students earned, hardest first; a written answer\'s '
            'among the students it has a grade for.</p>'
            '<img src="pass_rates.png" alt="share of the points of each question earned by the class">' + not_drawn)


def _who_lost_points_section(graded: ClassGrades) -> str:
    losing = who_lost_points(graded.cells)
    every_point = [label for label, grade in next(iter(graded.cells.values())).items()
                   if grade.autograded and label not in losing]
    rows = [[html.escape(label), f"{len(students)} of {len(graded.cells)}", listed_students(students)]
            for label, students in losing.items()]
    everyone = (f"<p>Full points for every graded student: {html.escape(', '.join(every_point))}.</p>"
                if every_point else "")
    return _table(["test", "students who lost points", "who"], rows) + everyone


def _failures_section(graded: ClassGrades) -> str:
    most_frequent = sorted(graded.failures.items(), key=lambda item: -len(item[1]))[:MOST_FREQUENT]
    return _table(["students", "test", "message (numbers as #)", "who"],
                  [[str(len(students)), html.escape(cell), f"<code>{html.escape(message)}</code>",
                    listed_students(students)]
                   for (cell, message), students in most_frequent], css_class="failures")


def _not_graded_section(graded: ClassGrades) -> str:
    if not graded.not_graded:
        return "<p>None: every student of the assignment is graded.</p>"
    counts = ", ".join(f"{count} {html.escape(reason)}" for reason, count in
                       reasons_not_graded(graded.standings).most_common())
    return f"<p>{len(graded.not_graded)} students: {counts}.</p>" + _table(
        ["student", "name", "why"], [[_isolated(standing.student), _isolated(standing.name),
                                      html.escape(standing.why_not_graded)] for standing in graded.not_graded])


def _manual_grading_section(assignment: str, graded: ClassGrades) -> str:
    queue = manual_grading_queue(graded.cells)
    if not queue:
        return "<p>None: every written answer has its grade.</p>"
    points = {label: grade.max_score for label, grade in next(iter(graded.cells.values())).items()}
    students = {student for waiting in queue.values() for student in waiting}
    rows = [[html.escape(label), f"{points[label]:g}", str(len(waiting)), listed_students(waiting)]
            for label, waiting in queue.items()]
    return (f"<p>{sum(map(len, queue.values()))} written answers of {len(students)} students await a grade. Grade them "
            f"in the formgrader (<code>nbgrader formgrader</code>, or <em>Formgrader</em> in Jupyter): <em>Manual "
            f"Grading</em> → {html.escape(assignment)} → the notebook lists the submissions, those that need a "
            f"grade flagged; then write the feedback and this report again.</p>"
            + _table(["written answer", "points", "awaiting", "students"], rows))


def _timing_section(seconds: dict[str, float]) -> str:
    if not seconds:
        return ("<p>No grading log: grade with <code>coursekit autograde</code> to record each submission's "
                "time.</p>")
    slowest = sorted(seconds.items(), key=lambda item: -item[1])[:SLOWEST]
    return (f"<p>{len(seconds)} submissions, median {statistics.median(seconds.values()):.1f} s each (the notebook's "
            f"execution, kernel start included); the slowest: "
            f"{', '.join(f'{_isolated(student)} ({time:.1f} s)' for student, time in slowest)}.</p>"
            '<img src="seconds.png" alt="grading time histogram">')


SECTIONS = {"students": "Students", "grades": "Grades", "questions": "Points earned on each question",
            "lost-points": "Who lost points on each test", "failures": "Most frequent failure messages",
            "not-graded": "Not graded", "manual": "Awaiting manual grading", "timing": "Grading time",
            "similar": "Similar code"}


def _page(assignment: str, graded: ClassGrades, feedback: dict[str, str], similar_code: str) -> str:
    escape = html.escape
    bodies = {"students": _roster(graded, feedback),
              "grades": '<img src="scores.png" alt="grade histogram">',
              "questions": _question_scores_section(question_scores(graded.cells)),
              "lost-points": _who_lost_points_section(graded), "failures": _failures_section(graded),
              "not-graded": _not_graded_section(graded), "manual": _manual_grading_section(assignment, graded),
              "timing": _timing_section(graded.seconds), "similar": similar_code}
    contents = " · ".join(f'<a href="#{anchor}">{title}</a>' for anchor, title in SECTIONS.items())
    sections = "\n".join(f'<h2 id="{anchor}">{title}</h2>\n{bodies[anchor]}' for anchor, title in SECTIONS.items())
    return f"""<!DOCTYPE html>
<html lang="en"><head>{CONTENT_SECURITY_POLICY_META}<meta charset="utf-8"><title>Class report: {escape(assignment)}</title>
<style>body{{font-family:sans-serif;max-width:72em;margin:2em auto;padding:0 1em;line-height:1.35}}
table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #ccc;padding:.25em .5em;text-align:left}}
th{{background:#f3f3f3;position:sticky;top:0}}img{{max-width:100%}}td{{vertical-align:top;overflow-wrap:anywhere}}
table.numbers td+td,table.roster td:nth-child(3){{text-align:right;font-variant-numeric:tabular-nums}}
table.roster td:nth-child(3),table.failures td:nth-child(2),summary,.final,.provisional,.not-graded{{
white-space:nowrap}}
table.roster{{font-size:.92em}}table.roster tr:nth-child(even){{background:#fafafa}}
.not-graded{{color:#b00020;font-weight:bold}}.provisional{{color:#a35200}}summary{{cursor:pointer;color:#1a4f9c}}
nav{{margin:1em 0}}table.code{{width:100%;table-layout:fixed}}table.code th:first-child{{width:9em}}
pre{{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}}mark{{background:#ffe08a}}</style>
</head><body>
<h1>Class report: {escape(assignment)}</h1>
{_summary(graded)}
<nav>{contents}</nav>
{sections}
</body></html>
"""
