"""The autograde log, the class's record merged run after run, and the count line of `coursekit autograde`'s table:
pure logic on outcomes built here, no kernel, no gradebook."""
from __future__ import annotations

from coursekit.apps.autograde_app import count_line
from coursekit.grading_log import SKIPPED, SubmissionOutcome, merged_log, read_log, write_log

FIRST_RUN = [SubmissionOutcome("ada", True, 3.25), SubmissionOutcome("bob", False, 0.5, "NotJSONError: broken"),
             SubmissionOutcome("cy", True, 2.75)]


def test_a_run_for_one_student_replaces_that_row_and_keeps_the_others():
    rerun = [SubmissionOutcome("bob", True, 4.0)]
    assert merged_log(FIRST_RUN, rerun) == [FIRST_RUN[0], rerun[0], FIRST_RUN[2]]


def test_a_failure_replaces_a_graded_row():
    rerun = [SubmissionOutcome("ada", False, 60.0, "the notebook ran more than 60 s: its kernel was stopped")]
    assert merged_log(FIRST_RUN, rerun) == [rerun[0], *FIRST_RUN[1:]]


def test_a_skipped_submission_never_replaces_a_row_and_fills_in_a_student_the_log_lacks():
    rerun = [SubmissionOutcome(student, True, 0.0, SKIPPED) for student in ("ada", "cy", "dee")] + [
        SubmissionOutcome("bob", True, 4.0)]
    assert merged_log(FIRST_RUN, rerun) == [FIRST_RUN[0], rerun[3], FIRST_RUN[2], rerun[2]]


def test_the_log_file_merges_each_run_into_the_last_and_keeps_its_columns(tmp_path):
    path = tmp_path / "reports" / "tp1" / "autograde_log.csv"
    write_log(path, FIRST_RUN)
    write_log(path, [SubmissionOutcome("bob", True, 4.0), SubmissionOutcome("ada", True, 0.0, SKIPPED)])
    assert read_log(path) == [FIRST_RUN[0], SubmissionOutcome("bob", True, 4.0), FIRST_RUN[2]]
    assert path.read_text().split("\n")[0].strip() == "student,graded,seconds,message"
    assert [file.name for file in path.parent.iterdir()] == ["autograde_log.csv"]  # no partial file left


def test_the_count_line_names_skipped_submissions_only_when_there_are_some():
    assert count_line(FIRST_RUN) == "2 graded, 1 failed"
    skipped = [SubmissionOutcome(student, True, 0.0, SKIPPED) for student in ("dee", "eve")]
    assert count_line(FIRST_RUN + skipped) == "2 graded, 1 failed, 2 skipped (already graded)"
