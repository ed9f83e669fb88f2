"""A feedback page as a student sees it, in headless Chromium with no network, on a laptop's screen and on a phone's:
the grade and its status come first, then the points per part and what to fix; each test's points and message are on
screen, their own code too; the formulas are typeset; nothing is cut off; and no line of the hidden tests is anywhere
in the page."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page

from coursekit.demo import student_id
from coursekit.tp1 import ASSIGNMENT

from conftest import SCREEN
from feedback_pages import secret_lines

PHONE = {"width": 390, "height": 844}
# What the page's own text would show were a formula left as TeX for a script to typeset.
RAW_TEX = re.compile(r"\$[^$\n]*\\(sum|frac|mathbf|boldsymbol|varphi)")


def feedback_page(browser: Browser, course, case: str, screen: dict = SCREEN) -> Page:
    context = browser.new_context(viewport=screen, offline=True)
    page = context.new_page()
    page.goto(course.feedback_html(ASSIGNMENT, student_id(course, case)).as_uri())
    return page


def test_the_first_screen_gives_the_grade_its_status_and_what_to_fix(browser, demo_course):
    page = feedback_page(browser, demo_course, "gradient_sign_flipped")
    summary = page.locator(".feedback-summary")
    assert summary.bounding_box()["y"] < 100, "the summary should open the page"
    grade = summary.locator("p").first
    assert grade.inner_text().startswith("Provisional grade: ") and "/ 20" in grade.inner_text()
    assert grade.bounding_box()["y"] + grade.bounding_box()["height"] < SCREEN["height"]
    assert "written answers yet (4, worth 4 points)" in grade.inner_text()
    parts = summary.locator("table").first.locator("tbody tr").all_inner_texts()
    assert parts[1].startswith("Part 2 — The model, its loss and the gradient\t")
    fix_first = summary.locator("h2:text-is('What to fix first') + p").inner_text()
    assert fix_first.startswith("gradient: its test test_gradient says") and "its sign is flipped" in fix_first
    rows = {row.split("\t")[0]: row for row in summary.locator("table.tests tbody tr").all_inner_texts()}
    assert "test_gradient" in rows and "0 / 2.5" in rows["test_gradient"]
    assert summary.locator("li", has_text="q1_principle").inner_text().endswith("awaiting your teacher's grade "
                                                                                 "(out of 0.5)")


def test_a_written_answer_awaiting_its_grade_is_labelled_so_not_scored_zero(browser, demo_course):
    page = feedback_page(browser, demo_course, "gradient_sign_flipped")
    answer = page.locator(".nbgrader_cell", has=page.locator("a[name='q2_gradient']"))
    heading = answer.locator(".panel-heading").inner_text()
    assert "awaiting your teacher's grade (out of 1.5)" in heading and "Score" not in heading


def test_a_test_in_the_summary_links_to_its_cell_with_the_students_code_and_the_error(browser, demo_course):
    page = feedback_page(browser, demo_course, "gradient_sign_flipped")
    page.locator(".feedback-summary table.tests a").get_by_text("test_gradient", exact=True).click()
    heading = page.locator(".panel-heading", has_text=re.compile(r"Grade cell: test_gradient\s+Score"))
    assert heading.is_visible() and heading.bounding_box()["y"] < SCREEN["height"], "the link should land on the cell"
    cell = page.locator(".nbgrader_cell", has=heading)
    assert "Score: 0.0 / 2.5" in cell.inner_text()
    assert page.get_by_text("one_hot(t, W.shape[1]) - softmax(Phi @ W)").first.is_visible()  # their own code
    assert page.get_by_text("its sign is flipped").last.is_visible()  # the failing assertion, in the cell's output


def test_a_complete_submission_reads_as_such(browser, demo_course):
    page = feedback_page(browser, demo_course, "reference")
    text = page.locator(".feedback-summary").inner_text()
    assert "Every test passed." in text and "What to fix" not in text
    assert "partial credit" not in page.locator("body").inner_text()


def test_the_release_handed_back_untouched_is_said_in_one_line_not_a_row_per_test(browser, demo_course):
    page = feedback_page(browser, demo_course, "untouched_release")
    text = page.locator(".feedback-summary").inner_text()
    assert "You handed in the notebook exactly as it was handed out" in text
    assert "NotImplementedError" not in text and page.locator(".feedback-summary table.tests").count() == 0


def test_the_title_names_the_assignment_the_notebook_and_the_student(browser, demo_course):
    page = feedback_page(browser, demo_course, "reference")
    assert page.title() == f"Feedback: {ASSIGNMENT}, tp1_sgd, student {student_id(demo_course, 'reference')}"


def test_formulas_are_typeset_offline_the_students_own_included(browser, demo_course):
    page = feedback_page(browser, demo_course, "reference")
    assert page.locator("math").count() > 100
    answer = page.locator(".nbgrader_cell", has=page.locator("a[name='q1_principle']"))
    assert answer.locator("math").count() > 0, "the student's own formulas are not typeset"
    widths = page.locator("math").evaluate_all("formulas => formulas.map(formula => formula.getBoundingClientRect()"
                                               ".width)")
    assert min(widths) > 0
    assert not RAW_TEX.search(page.locator("body").inner_text()), "a formula is left as TeX"


@pytest.mark.parametrize("screen", [SCREEN, PHONE], ids=["laptop", "phone"])
def test_nothing_is_cut_off_or_wider_than_the_screen(browser, demo_course, screen):
    page = feedback_page(browser, demo_course, "loss_is_a_mean", screen)
    assert page.evaluate("document.documentElement.scrollWidth") <= screen["width"]
    clipped = page.locator(".feedback-summary *").evaluate_all(
        "elements => elements.filter(element => element.scrollWidth > element.clientWidth + 1"
        " && getComputedStyle(element).overflowX !== 'auto').map(element => element.outerHTML.slice(0, 80))")
    assert not clipped
    message = page.locator(".feedback-summary table.tests tr", has_text="test_cross_entropy")
    assert "L(W) is a sum, not a mean." in message.inner_text()  # the end of the message, on screen
    assert message.bounding_box()["width"] <= screen["width"]


def test_no_line_of_the_hidden_tests_is_in_any_rendered_page(browser, demo_course, master, release):
    secret = secret_lines(master, release)
    for student in sorted(path.name for path in (demo_course.root / "feedback").iterdir()):
        page = browser.new_page(viewport=SCREEN)
        page.goto(demo_course.feedback_html(ASSIGNMENT, student).as_uri())
        rendered = {line.strip() for line in page.locator("body").inner_text().split("\n")}
        everything = page.evaluate("document.documentElement.textContent")  # hidden elements included
        assert not secret & rendered, f"{student} sees {sorted(secret & rendered)[:2]}"
        assert not secret & {line.strip() for line in everything.split("\n")}, f"{student}'s page holds hidden code"
        assert page.get_by_text("hidden tests ran here").count() > 0
        page.close()
