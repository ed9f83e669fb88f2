"""A feedback page as a student sees it, rendered in headless Chromium: what to fix comes first, each test's
points and message are on screen, their own code too, and no line of the hidden tests is anywhere in the page."""
from __future__ import annotations

import re

from playwright.sync_api import Browser, Page

from coursekit.tp1 import ASSIGNMENT
from coursekit.demo import student_id

from conftest import SCREEN
from feedback_pages import secret_lines


def feedback_page(browser: Browser, course, student: str) -> Page:
    page = browser.new_page(viewport=SCREEN)
    page.goto(course.feedback_html(ASSIGNMENT, student).as_uri())
    return page


def test_the_first_screen_says_which_tests_lost_points_and_why(browser, demo_course):
    page = feedback_page(browser, demo_course, student_id(demo_course, "gradient_sign_flipped"))
    summary = page.locator(".feedback-summary")
    assert summary.is_visible()
    assert summary.bounding_box()["y"] + 200 < SCREEN["height"], "the summary should open the page"
    text = summary.inner_text()
    assert "Tests: 12 / 16 points" in text
    rows = {row.inner_text().split("\t")[0]: row.inner_text() for row in summary.locator("tr").all()[1:]}
    assert set(rows) == {"test_gradient", "test_sgd_accuracy"}
    assert "0 / 2.5" in rows["test_gradient"] and "its sign is flipped" in rows["test_gradient"]
    assert "still to be read by your teacher" in text


def test_a_test_in_the_summary_links_to_its_cell_with_the_students_code_and_the_error(browser, demo_course):
    page = feedback_page(browser, demo_course, student_id(demo_course, "gradient_sign_flipped"))
    page.locator(".feedback-summary a").get_by_text("test_gradient", exact=True).click()
    heading = page.locator(".panel-heading", has_text=re.compile(r"Grade cell: test_gradient\s+Score"))
    assert heading.is_visible() and heading.bounding_box()["y"] < SCREEN["height"], "the link should land on the cell"
    cell = page.locator(".nbgrader_cell", has=heading)
    assert "Score: 0.0 / 2.5" in cell.inner_text()
    assert page.get_by_text("one_hot(t, W.shape[1]) - softmax(Phi @ W)").first.is_visible()  # their own code
    assert page.get_by_text("its sign is flipped").last.is_visible()  # the failing assertion, in the cell's output


def test_a_complete_submission_reads_as_such(browser, demo_course):
    page = feedback_page(browser, demo_course, student_id(demo_course, "reference"))
    text = page.locator(".feedback-summary").inner_text()
    assert "Tests: 16 / 16 points; 18 of 18 tests earned all their points." in text
    assert "What to fix" not in text


def test_no_line_of_the_hidden_tests_is_in_any_rendered_page(browser, demo_course, master, release):
    secret = secret_lines(master, release)
    for student in sorted(path.name for path in (demo_course.root / "submitted").iterdir()):
        page = feedback_page(browser, demo_course, student)
        rendered = {line.strip() for line in page.locator("body").inner_text().split("\n")}
        everything = page.evaluate("document.documentElement.textContent")  # hidden elements included
        assert not secret & rendered, f"{student} sees {sorted(secret & rendered)[:2]}"
        assert not secret & {line.strip() for line in everything.split("\n")}, f"{student}'s page holds hidden code"
        assert page.get_by_text("hidden tests ran here").count() > 0
        page.close()
