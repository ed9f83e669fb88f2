"""The feedback pages: each test's result and message, the student's own code, never the hidden tests."""
from __future__ import annotations

from coursekit.preprocessors import HideHiddenTests
from coursekit.tp1 import ASSIGNMENT
from coursekit.demo import student_id

from feedback_pages import page_text, secret_lines


def test_no_feedback_page_shows_a_line_of_the_hidden_tests(demo_course, master, release):
    secret = secret_lines(master, release)
    assert len(secret) > 100
    students = [path.name for path in (demo_course.root / "submitted").iterdir()]
    for student in students:
        text = page_text(demo_course.feedback_html(ASSIGNMENT, student))
        leaked = secret & {line.strip() for line in text.split("\n")}
        assert not leaked, f"{student}'s feedback shows {sorted(leaked)[:3]}"
        assert "HIDDEN TESTS" not in text and "HiddenReference" not in text
        assert "GUARD" not in text and "_make_guard" not in text and "before_test(" not in text  # the guard too


def test_feedback_keeps_the_message_the_students_code_and_where_hidden_tests_ran(demo_course):
    text = page_text(demo_course.feedback_html(ASSIGNMENT, student_id(demo_course, "gradient_sign_flipped")))
    assert "its sign is flipped" in text
    assert "one_hot(t, W.shape[1]) - softmax(Phi @ W)" in text
    assert "hidden tests ran here" in text
    assert "AssertionError" in text


def test_hidden_regions_become_one_note_each():
    source = "visible()\n### BEGIN HIDDEN TESTS\nsecret()\n### END HIDDEN TESTS\nalso_visible()"
    assert HideHiddenTests().without_hidden_regions(source) == (
        "visible()\n# (hidden tests ran here; their code is not shown)\nalso_visible()")
