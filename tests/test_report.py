"""The class report, read in headless Chromium as an instructor would: the demo's class, and a class of 300
(tests/large_class.py) in which every student the course knows of is listed, graded or not, as standing.py tells."""
from __future__ import annotations


import numpy
import pytest

from coursekit import grades
from coursekit.report import report_folder
from coursekit.standing import class_standings
from coursekit.tp1 import ASSIGNMENT

import large_class
from conftest import SCREEN

MOST_BYTES = 1_000_000  # the page at 300 students, without a similar-code section


@pytest.fixture(scope="module")
def large(demo_course, tmp_path_factory) -> large_class.LargeClass:
    built = large_class.build(demo_course, tmp_path_factory.mktemp("large") / "course")
    built.course.coursekit("report", ASSIGNMENT)
    return built


def open_report(browser, course):
    page = browser.new_page(viewport=SCREEN)
    page.goto((report_folder(course, ASSIGNMENT) / "class_report.html").as_uri())
    return page


def section(page, title: str) -> str:
    """The text of a report section: its heading's next element."""
    return page.locator(f"h2:text-is('{title}') + *").inner_text()


def table_rows(page, title: str) -> list[list[str]]:
    """The cells of the rows of a section's first table, its header left out."""
    table = page.locator(f"h2:text-is('{title}') ~ table").first
    return [row.split("\t") for row in table.locator("tr").all_inner_texts()[1:]]


def test_every_student_is_in_the_roster_with_the_grade_and_status_their_standing_gives(browser, large):
    standings = class_standings(large.course, ASSIGNMENT)
    roster = table_rows(open_report(browser, large.course), "Students")
    assert len(standings) == large_class.CLASS_SIZE
    assert [row[:4] for row in roster] == [
        [standing.student, standing.name, standing.grade.points() if standing.grade else "—", standing.status]
        for standing in standings]


def test_each_student_not_graded_is_listed_with_why(browser, large):
    page = open_report(browser, large.course)
    roster = {row[0]: row for row in table_rows(page, "Students")}
    not_graded = {row[0]: row[2] for row in table_rows(page, "Not graded")}
    demo_class = {"1009": "refused at intake: empty file", "1010": "refused at intake: wrong file name",
                  "1011": "nothing handed in"}
    for student, why in {**large.not_graded, **demo_class}.items():
        assert why in not_graded[student] and why in roster[student][4], (student, roster[student])
        assert roster[student][3] == grades.NOT_GRADED
    assert set(not_graded) == {student for student, row in roster.items() if row[3] == grades.NOT_GRADED}


def test_the_summary_counts_the_class_and_gives_the_quartiles(browser, large):
    standings = class_standings(large.course, ASSIGNMENT)
    scores = {status: [standing.grade.score for standing in standings if standing.status == status]
              for status in (grades.FINAL, grades.PROVISIONAL)}
    page = open_report(browser, large.course)
    summary = page.locator("h1 + p").inner_text()
    not_graded = sum(standing.grade is None for standing in standings)
    assert (f"300 students: {sum(map(len, scores.values()))} graded ({len(scores[grades.FINAL])} final, "
            f"{len(scores[grades.PROVISIONAL])} provisional), {not_graded} not graded." in summary)
    spread = {row[0]: row[1:] for row in (line.split("\t") for line in
                                          page.locator("h1 + p + table tr").all_inner_texts()[1:])}
    for name, values in {"all graded": [*scores[grades.FINAL], *scores[grades.PROVISIONAL]], **scores}.items():
        assert spread[name] == [str(len(values)), *(f"{value:.2f}" for value in (
            *numpy.percentile(values, [0, 25, 50, 75, 100]), numpy.mean(values)))], name


def test_each_graded_student_links_to_their_feedback_page(browser, large):
    page = open_report(browser, large.course)
    links = page.locator("h2:text-is('Students') + table a")
    graded = [standing.student for standing in class_standings(large.course, ASSIGNMENT) if standing.grade]
    assert links.count() == len(graded)
    first = links.first.get_attribute("href")
    assert first == f"../../feedback/{graded[0]}/{ASSIGNMENT}/tp1_sgd.html"
    page.goto(links.first.evaluate("link => link.href"))
    assert page.url.endswith(f"/feedback/{graded[0]}/{ASSIGNMENT}/tp1_sgd.html")


def test_who_lost_points_on_each_test_and_who_awaits_a_grade(browser, large):
    cells = {standing.student: grades.submission_grades(large.course, ASSIGNMENT, standing.student)
             for standing in class_standings(large.course, ASSIGNMENT) if standing.grade}
    page = open_report(browser, large.course)
    losing = table_rows(page, "Who lost points on each test")
    expected = {test: sum(test in grades.cells_losing_points(graded) for graded in cells.values())
                for test in next(iter(cells.values()))}
    assert [int(row[1].split(" of ")[0]) for row in losing] == sorted(
        (count for count in expected.values() if count), reverse=True)
    assert all(int(row[1].split(" of ")[0]) == expected[row[0]] for row in losing)
    queue = table_rows(page, "Awaiting manual grading")
    awaiting = {cell: sum(graded[cell].score is None for graded in cells.values())
                for cell in next(iter(cells.values()))}
    assert {row[0]: int(row[2]) for row in queue} == {cell: count for cell, count in awaiting.items() if count}
    assert "Manual Grading" in section(page, "Awaiting manual grading")


def test_the_page_is_light_fits_the_window_and_its_plots_load(browser, large):
    path = report_folder(large.course, ASSIGNMENT) / "class_report.html"
    assert path.stat().st_size < MOST_BYTES
    page = browser.new_page(viewport=SCREEN)
    page.goto(path.as_uri(), wait_until="load")
    for image in ["scores.png", "pass_rates.png", "seconds.png"]:
        assert page.locator(f"img[src='{image}']").evaluate("image => image.naturalWidth") > 300, image
    page.locator("details").evaluate_all("folded => folded.forEach(details => details.open = true)")
    # wider than the window, or clipped by its own box
    wider = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(element => element.getBoundingClientRect().right > window.innerWidth
                || element.scrollWidth > element.clientWidth + 1 && getComputedStyle(element).overflow != 'visible')
        .map(element => element.tagName + ': ' + element.textContent.slice(0, 60))""")
    assert not wider
    assert page.evaluate("document.documentElement.scrollWidth") <= SCREEN["width"]
    page.screenshot(path=str(path.with_name("screenshot.png")), full_page=True)


def test_the_most_frequent_failures_come_first_with_their_test_message_and_students(browser, demo_course):
    rows = table_rows(open_report(browser, demo_course), "Most frequent failure messages")
    counts = [int(row[0]) for row in rows]
    listed = [tuple(row[1:3]) for row in rows]
    assert counts == sorted(counts, reverse=True)
    assert len(listed) == len(set(listed)), "a failure message is listed twice instead of counted"
    assert all(len(row[3].split(", ")) == int(row[0]) for row in rows), "who is not as many as counted"
    messages = "\n".join("\t".join(row) for row in rows)
    assert "test_gradient" in messages and "its sign is flipped" in messages


def test_without_a_comparison_the_similar_code_section_says_how_to_get_one(browser, demo_course):
    assert f"coursekit similarity {ASSIGNMENT}" in section(open_report(browser, demo_course), "Similar code")
