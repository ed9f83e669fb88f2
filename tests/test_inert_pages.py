"""Every page built from a submission is inert: the hostile batch's feedback pages and class report (written once,
by the `hostile_feedback` fixture) and the formgrader's manual-grading view of its markup cases
(tests/hostile/cases.py), opened in headless Chromium, the formgrader served by a real Jupyter server in which the
instructor is logged in. The hostile scripts try to mark the page, open dialogs, call a probe address and write a
file through Jupyter's contents API: none of it may happen, and the pages must still show the students' formulas
(typeset, with no network) and plots."""
from __future__ import annotations

import html
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from coursekit import formulas, notebooks
from coursekit.course import Course
from coursekit.tp1 import ASSIGNMENT, NOTEBOOK

from conftest import SCREEN
from formgrader_server import JupyterServer, logged_in, submission_views
from formgrader_server import running as jupyter_server_in
from hostile.batch import HONEST_STUDENTS
from hostile.cases import MARKER, MARKUP_CASES, PROBE, WRITTEN_FILE



@dataclass
class Visit:
    """What a page did while a reader looked at it, and what it shows."""
    harm: list[str] = field(default_factory=list)
    text: str = ""  # the page's text, the formulas' MathML included
    images: list[tuple[str, int]] = field(default_factory=list)  # (src's start, natural width) of each data: image
    score_inputs: set[str] = field(default_factory=set)  # the formgrader's score fields, by grade id


def watch(page: Page) -> list[str]:
    """Record every harm a hostile script can do that the browser lets us see. A request counts once it leaves
    the page (the browser reports those its policy blocks too): the probe's are answered here, with nothing, and
    those to Jupyter's API go on to the server, whose folder the test then looks at."""
    harm: list[str] = []

    def on_dialog(dialog):
        harm.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def on_request(route):
        harm.append(f"request: {route.request.method} {route.request.url[:120]}")
        route.fulfill(status=204) if route.request.url.startswith(PROBE) else route.continue_()

    page.on("dialog", on_dialog)
    page.on("console", lambda message: MARKER in message.text and harm.append(f"console: {message.text[:120]}"))
    # The formgrader's own requests go to /formgrader/api/.
    page.route(lambda url: url.startswith(PROBE) or urlparse(url).path.startswith("/api/"), on_request)
    return harm


MARKS = f"""() => {{
    let stored;
    try {{ stored = localStorage.getItem('{MARKER}'); localStorage.clear(); }} catch (error) {{ stored = null; }}
    return [document.title, window.name, stored, [...document.links].filter(a => a.protocol === 'javascript:').length,
            document.querySelectorAll('form, iframe, object, embed, base, meta[http-equiv=refresh i]').length];
}}"""
SHOWN = """() => [document.body.textContent,
                  [...document.images].filter(image => image.src.startsWith('data:image/'))
                                      .map(image => [image.src.slice(0, 22), image.naturalWidth]),
                  [...document.querySelectorAll('input.score')].map(input => input.id)]"""


def visit(context: BrowserContext, url: str) -> Visit:
    page = context.new_page()
    harm = watch(page)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    if page.url.split("#")[0] != url.split("#")[0]:
        harm.append(f"navigated to {page.url[:120]}")
        page.close()
        return Visit(harm)
    title, name, stored, javascript_links, active_elements = page.evaluate(MARKS)
    harm += [f"title: {title}"] * (MARKER in title) + [f"window.name: {name}"] * (MARKER in name)
    harm += [f"localStorage: {stored}"] * (stored is not None)
    harm += [f"{javascript_links} javascript: links"] * (javascript_links > 0)
    harm += [f"{active_elements} forms, frames, objects, embeds, base or refresh elements"] * (active_elements > 0)
    text, images, score_inputs = page.evaluate(SHOWN)
    seen = Visit(harm, text, [tuple(image) for image in images], set(score_inputs))
    page.close()
    return seen


@pytest.fixture(scope="module")
def reader(browser: Browser):
    """A browser context with no network, as a student reading their page on a train."""
    context = browser.new_context(viewport=SCREEN, offline=True)
    yield context
    context.close()


def images_in(notebook) -> int:
    """How many images the notebook's outputs hold (PNG or SVG, one per output whatever its other formats)."""
    return sum(any(kind in output.get("data", {}) for kind in ("image/png", "image/svg+xml"))
               for cell in notebook.cells for output in cell.get("outputs", []))


def longest_formula(master) -> str:
    """The longest inline formula of the reference's answer to Q1, where the markup cases add their markup."""
    return max(re.findall(r"\$([^$]+)\$", notebooks.reference_solutions(master)["q1_principle"]), key=len)


def typeset(formula: str) -> str:
    """The text of a formula's MathML as a page holds it (each symbol once, no TeX)."""
    return html.unescape(re.sub(r"<[^>]+>", "", formulas.mathml(formula)))


def missing(seen: Visit, notebook, formula: str) -> list[str]:
    """What the page should show of the submission and does not: its formula, typeset; its plots."""
    lost = [] if typeset(formula) in seen.text else [f"the formula {formula} of the answer, typeset"]
    if len(seen.images) != images_in(notebook) or not all(width > 0 for _, width in seen.images):
        lost.append(f"images: {seen.images} for the {images_in(notebook)} of the notebook's outputs")
    return lost


def report(problems: dict[str, list[str]]) -> str:
    return f"{len(problems)} pages:\n" + "\n".join(f"{page}: {'; '.join(seen)}" for page, seen in problems.items())


def test_no_feedback_page_runs_what_a_submission_holds(hostile_feedback, reader, master):
    formula = longest_formula(master)
    students = sorted(path.name for path in (hostile_feedback.root / "feedback").iterdir())
    assert set(MARKUP_CASES) | set(HONEST_STUDENTS) <= set(students)
    problems = {}
    for student in students:
        seen = visit(reader, hostile_feedback.feedback_html(ASSIGNMENT, student).as_uri())
        if student in MARKUP_CASES or student in HONEST_STUDENTS:
            seen.harm += missing(seen, notebooks.read(hostile_feedback.notebook(ASSIGNMENT, "autograded", student)), formula)
        problems.update({student: seen.harm} if seen.harm else {})
    assert not problems, report(problems)


def test_the_class_report_runs_nothing_and_shows_its_plots(hostile_feedback, reader):
    class_report = (hostile_feedback.root / "reports" / ASSIGNMENT / "class_report.html").as_uri()
    assert not visit(reader, class_report).harm
    page = reader.new_page()
    page.goto(class_report)
    for plot in ["scores.png", "pass_rates.png", "seconds.png"]:
        assert page.locator(f"img[src='{plot}']").evaluate("image => image.naturalWidth") > 0, f"{plot} is blocked"


def test_a_failure_message_in_html_reads_as_text_in_the_class_report(hostile_feedback, reader, tmp_path):
    """The report lists a class's ten most frequent failures, which in the whole batch are those of other cases:
    the report of the class of the markup cases and the honest students, where the two copies of the failure with
    HTML in its message come first."""
    kept = {*MARKUP_CASES, *HONEST_STUDENTS}

    def others_and_feedback(folder: str, names: list[str]) -> list[str]:
        if Path(folder) == hostile_feedback.root / "autograded":
            return [name for name in names if name not in kept]
        return ["feedback"] if Path(folder) == hostile_feedback.root else []

    course = Course(tmp_path / "course")
    shutil.copytree(hostile_feedback.root, course.root, ignore=others_and_feedback)
    course.coursekit("report", ASSIGNMENT)
    class_report = (course.root / "reports" / ASSIGNMENT / "class_report.html").as_uri()
    assert not visit(reader, class_report).harm
    page = reader.new_page()
    page.goto(class_report)
    failures = page.locator("h2:text-is('Most frequent failure messages') + table tr").nth(1).inner_text()
    assert failures.startswith("2\ttest_confusion_matrix\tValueError: <img src=x onerror="), failures
    rows = page.locator("h2:text-is('Most frequent failure messages') + table tr").all_inner_texts()
    assert "1\ttest_confusion_matrix\twrote to stderr: <img src=x onerror=" in "\n".join(rows), rows


def test_a_script_that_gets_into_a_feedback_page_is_stopped_by_its_content_security_policy(
        hostile_feedback, browser, tmp_path):
    """The second line of defence: were the sanitizer to let markup through, the page's policy runs none of it; the
    page needs no script (its formulas are MathML) and still shows them typeset."""
    page_html = hostile_feedback.feedback_html(ASSIGNMENT, HONEST_STUDENTS[0]).read_text()
    injected = f"<script>alert('{MARKER}')</script><img src=x onerror=\"alert('{MARKER}')\"></body>"
    tampered = tmp_path / "tampered_feedback.html"
    before, _, after = page_html.rpartition("</body>")
    tampered.write_text(before + injected + after)
    context = browser.new_context(viewport=SCREEN, offline=True)
    page = context.new_page()
    harm = watch(page)
    page.goto(tampered.as_uri())
    page.wait_for_load_state("networkidle")
    assert not harm
    assert page.locator("math").count() > 100
    assert page.locator("math").first.bounding_box()["width"] > 0, "the formulas are not typeset"
    context.close()


@pytest.fixture(scope="module")
def jupyter_server(hostile_feedback, tmp_path_factory):
    """The instructor's Jupyter server with the formgrader, in the batch's course folder."""
    with jupyter_server_in(hostile_feedback.root, tmp_path_factory.mktemp("jupyter")) as server:
        yield server


@pytest.fixture(scope="module")
def instructor(browser: Browser, jupyter_server: JupyterServer):
    context = logged_in(browser, jupyter_server, SCREEN)
    yield context
    context.close()


def written_answers(notebook) -> set[str]:
    return {cell_id for cell_id, cell in notebooks.solution_cells(notebook).items() if cell.cell_type == "markdown"}


def test_the_formgraders_manual_grading_view_runs_nothing_with_the_instructors_rights(
        hostile_feedback, instructor, jupyter_server, master):
    formula = longest_formula(master)
    views = submission_views(instructor, jupyter_server, ASSIGNMENT, NOTEBOOK)
    problems = {}
    written = set()
    for student in [*MARKUP_CASES, HONEST_STUDENTS[0]]:
        seen = visit(instructor, views[student])
        seen.harm += [f"wrote {path.name}" for path in set(hostile_feedback.root.rglob(f"*{WRITTEN_FILE}")) - written]
        written |= set(hostile_feedback.root.rglob(f"*{WRITTEN_FILE}"))
        autograded = notebooks.read(hostile_feedback.notebook(ASSIGNMENT, "autograded", student))
        seen.harm += missing(seen, autograded, formula)
        if not written_answers(autograded) <= seen.score_inputs:
            seen.harm.append(f"score fields {sorted(seen.score_inputs)}: the written answers cannot be graded")
        problems.update({student: seen.harm} if seen.harm else {})
    assert not problems, report(problems)
