"""The class report of the demo's class, read in headless Chromium as an instructor would."""
from __future__ import annotations

from coursekit import synthetic
from coursekit.demo import student_id
from coursekit.tp1 import ASSIGNMENT

from conftest import SCREEN


def open_report(browser, course):
    page = browser.new_page(viewport=SCREEN)
    page.goto((course.root / "reports" / ASSIGNMENT / "class_report.html").as_uri())
    return page


def section(page, title: str) -> str:
    """The text of a report section: its heading's next table or image."""
    return page.locator(f"h2:text-is('{title}') + *").inner_text()


def test_the_report_shows_its_three_plots(browser, demo_course):
    page = open_report(browser, demo_course)
    for image in ["scores.png", "pass_rates.png", "seconds.png"]:
        width = page.locator(f"img[src='{image}']").evaluate("image => image.naturalWidth")
        assert width > 300, f"{image} did not load"


def test_the_most_frequent_failures_come_first_with_their_test_and_message(browser, demo_course):
    rows = open_report(browser, demo_course).locator("h2:text-is('Most frequent failure messages') + table tr").all()
    counts = [int(row.inner_text().split("\t")[0]) for row in rows[1:]]
    listed = [tuple(row.inner_text().split("\t")[1:]) for row in rows[1:]]
    assert counts == sorted(counts, reverse=True)
    assert len(listed) == len(set(listed)), "a failure message is listed twice instead of counted"
    messages = "\n".join(row.inner_text() for row in rows)
    assert "test_gradient" in messages and "its sign is flipped" in messages


def test_who_awaits_manual_grading_and_every_grading_time(browser, demo_course):
    page = open_report(browser, demo_course)
    students = sorted(path.name for path in (demo_course.root / "submitted").iterdir())
    manual = section(page, "Awaiting manual grading")
    timing = page.locator("h2:text-is('Grading time per submission') ~ table").inner_text()
    for student in students:
        assert student in timing, student
        # nbgrader scores an answer left as released 0 by itself: nothing for the teacher to read
        assert (student in manual) == (student != student_id(demo_course, synthetic.UNTOUCHED_RELEASE)), student
    assert "q2_gradient" in manual
    assert f"{len(students)} students graded" in page.locator("body").inner_text()


def test_without_a_comparison_the_similar_code_section_says_how_to_get_one(browser, demo_course):
    assert f"coursekit similarity {ASSIGNMENT}" in section(open_report(browser, demo_course), "Similar code")
