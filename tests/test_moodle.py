"""The round trip with Moodle: its download taken in, the class graded, and the grading worksheet and the feedback
zip read back as Moodle's importers read them (tests/moodle_importer.py), with a worksheet downloaded in English and
one in French; names with accents, and a participant who handed nothing in."""
from __future__ import annotations

import zipfile

import pytest
from nbgrader.api import Gradebook

from coursekit import demo, moodle, synthetic, synthetic_moodle, tp1
from coursekit.course import CommandError, Course
from coursekit.plugins.moodle_worksheet import read_worksheet
from coursekit.tp1 import ASSIGNMENT, NOTEBOOK, NOTEBOOK_FILE
from moodle_importer import as_downloaded, import_feedback_zip, import_worksheet
from repository import REPOSITORY

# Moodle's full name of each synthetic student, and what they handed in.
CLASS = {"Élodie Ségur-Dupré": "reference", "François N'Diaye": "gradient_sign_flipped",
         "Zoë Ångström": synthetic.UNTOUCHED_RELEASE, "Noël Absent": None}
NAMES = list(CLASS)
IDS = synthetic_moodle.participant_ids(NAMES)
ELODIE, FRANCOIS, ZOE, NOEL = (IDS[name] for name in NAMES)
WRITTEN_ANSWERS = ["q1_principle", "q2_gradient", "q3_stochastic", "q4_learning_rate"]
ASSIGNMENT_MAXIMUM = 20


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> Course:
    """The class handed in on Moodle (Moodle 4.1's layout), taken in, autograded and given feedback; Élodie's
    written answers graded by hand (full points), François's still waiting."""
    course = REPOSITORY.copy_to(tmp_path_factory.mktemp("moodle") / "course")
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    cases = {case.name: case for case in [synthetic.Case.reference(), *tp1.corpus_cases(REPOSITORY)]}
    handed_in = {case: notebook for case, notebook in synthetic.submissions(
        course, ASSIGNMENT, [cases[case] for case in CLASS.values() if case in cases]).items()}
    submissions = {name: handed_in[case] for name, case in CLASS.items() if case}
    synthetic_moodle.write_download(course.root / "download.zip", NOTEBOOK_FILE, submissions,
                                    {name: name for name in NAMES}, IDS)
    course.coursekit("intake", ASSIGNMENT, "--moodle-zip", str(course.root / "download.zip"))
    course.coursekit("autograde", ASSIGNMENT)
    with Gradebook(course.db_url) as gradebook:
        for answer in WRITTEN_ANSWERS:
            grade = gradebook.find_grade(answer, NOTEBOOK, ASSIGNMENT, ELODIE)
            grade.manual_score, grade.needs_manual_grade = grade.max_score, False  # as the formgrader saves it
        gradebook.db.commit()
    course.nbgrader("generate_feedback", ASSIGNMENT)
    return course


def downloaded_worksheet(course: Course, language: str, maximum: float):
    path = course.root / f"Grades-{language}.csv"
    synthetic_moodle.write_worksheet(path, {name: name for name in NAMES}, IDS,
                                     {name for name, case in CLASS.items() if case}, language, maximum)
    return path


def total(course: Course, student: str) -> float:
    with Gradebook(course.db_url) as gradebook:
        return gradebook.find_submission(ASSIGNMENT, student).score


@pytest.mark.parametrize("language, moodle_maximum", [("en", 100), ("fr", 20)])
def test_the_worksheet_filled_in_reads_back_in_moodle_with_its_own_headers(graded, language, moodle_maximum):
    downloaded = downloaded_worksheet(graded, language, moodle_maximum)
    exported = graded.root / f"worksheet-{language}.csv"

    said = graded.coursekit("export", ASSIGNMENT, "--moodle-worksheet", str(exported), "--from", str(downloaded))

    rows = {row.participant: row for row in import_worksheet(exported.read_bytes(), language)}
    assert set(rows) == set(IDS.values())  # every identifier known, none lost
    scale = moodle_maximum / ASSIGNMENT_MAXIMUM
    assert rows[ELODIE].grade == pytest.approx(total(graded, ELODIE) * scale, abs=0.005)
    assert total(graded, ELODIE) == 20  # full marks, written answers included
    assert rows[ZOE].grade == 0  # the release handed back untouched: graded, 0
    assert rows[FRANCOIS].grade is None and rows[FRANCOIS].comment == ""  # answers await a grade: left as it was
    assert rows[NOEL].grade is None and "Not graded: nothing handed in." in rows[NOEL].comment
    assert all(0 <= row.grade <= moodle_maximum for row in rows.values() if row.grade is not None)
    assert "Every test passed" in rows[ELODIE].comment and "Written answers: 4 / 4" in rows[ELODIE].comment
    separator = synthetic_moodle.LANGUAGES[language].decimal_separator
    assert f"Grade: {moodle_maximum}{separator}00 / {moodle_maximum}{separator}00 (final)." in rows[ELODIE].comment
    assert "1 whose written answers await a grade" in said, said
    # Every other cell is Moodle's own, as downloaded; the grade written as the file writes its numbers.
    before, after = read_worksheet(downloaded), read_worksheet(exported)
    assert after.header == before.header
    grade, comments = after.columns["grade"], after.columns["comments"]
    assert after.rows[NAMES.index("Élodie Ségur-Dupré")][grade] == f"{moodle_maximum}{separator}00"
    for old, new in zip(before.rows, after.rows):
        assert [cell for index, cell in enumerate(new) if index not in (grade, comments)] == \
               [cell for index, cell in enumerate(old) if index not in (grade, comments)]


def test_exporting_again_over_what_moodle_gives_back_replaces_nothing(graded):
    """Moodle flattens the comments it was sent when it writes the next worksheet for download: the same grades and
    comments exported again over it are not replacements."""
    first = graded.root / "worksheet-first.csv"
    graded.coursekit("export", ASSIGNMENT, "--moodle-worksheet", str(first), "--from",
                     str(downloaded_worksheet(graded, "en", 20)))
    given_back = read_worksheet(first)
    given_back.rows = [[as_downloaded(cell) for cell in row] for row in given_back.rows]
    given_back.write(graded.root / "Grades-again.csv")

    said = graded.coursekit("export", ASSIGNMENT, "--moodle-worksheet", str(graded.root / "worksheet-again.csv"),
                            "--from", str(graded.root / "Grades-again.csv"))

    assert "2 grades" in said and "replacing" not in said, said


def test_answers_still_to_grade_can_be_counted_zero_and_the_comment_says_so(graded):
    exported = graded.root / "worksheet-partial.csv"
    graded.coursekit("export", ASSIGNMENT, "--moodle-worksheet", str(exported), "--from",
                     str(downloaded_worksheet(graded, "fr", 20)), "--ungraded-answers-as-zero")

    rows = {row.participant: row for row in import_worksheet(exported.read_bytes(), "fr")}
    assert rows[FRANCOIS].grade == pytest.approx(total(graded, FRANCOIS))
    assert "(provisional: 4 written answers (4 points) are not graded yet and count 0 here)" in rows[FRANCOIS].comment
    assert "test_gradient" in rows[FRANCOIS].comment  # the tests that lost points, for the student to look at
    assert rows[NOEL].grade is None


def test_the_minimal_worksheet_names_every_graded_student_as_moodle_reads_them(graded):
    exported = graded.root / "worksheet-minimal.csv"
    graded.coursekit("export", ASSIGNMENT, "--moodle-worksheet", str(exported), "--ungraded-answers-as-zero")

    rows = {row.participant: row for row in import_worksheet(exported.read_bytes(), "en")}
    assert set(rows) == {ELODIE, FRANCOIS, ZOE}
    assert rows[ELODIE].grade == 20 and rows[ZOE].grade == 0


def test_the_feedback_zip_gives_each_student_their_page_in_the_folder_moodle_names_after_them(graded):
    destination = graded.root / "feedback.zip"
    graded.coursekit("export", ASSIGNMENT, "--moodle-feedback", str(destination))

    with zipfile.ZipFile(destination) as archive:
        taken = import_feedback_zip(archive)
        folders = {name.split("/")[0] for name in archive.namelist()}
        pages = {file.participant: archive.read(name) for file, name in zip(taken, archive.namelist())}
    assert {(file.participant, file.plugin, file.path) for file in taken} == {
        (student, "assignfeedback_file", f"/{NOTEBOOK}.html") for student in (ELODIE, FRANCOIS, ZOE)}
    assert folders == {f"{name}_{IDS[name]}_assignfeedback_file_" for name in NAMES[:3]}  # accents kept
    for student, page in pages.items():
        assert page == graded.feedback_html(ASSIGNMENT, student).read_bytes()
    assert moodle.participants(graded, ASSIGNMENT) == {IDS[name]: name for name in NAMES[:3]}


def test_a_worksheet_in_a_language_coursekit_does_not_know_is_refused_with_what_to_do(graded, tmp_path):
    german = tmp_path / "Bewertungen.csv"
    german.write_text("Bezeichner,Vollständiger Name,Bewertung,Zuletzt geändert (Bewertung)\n"
                      f"Teilnehmer/in {ELODIE},Élodie,,-\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Bewertungen.csv: not a grading worksheet coursekit can read"):
        graded.coursekit("export", ASSIGNMENT, "--moodle-worksheet", str(tmp_path / "out.csv"), "--from", str(german))
    assert not (tmp_path / "out.csv").exists()


def test_a_grade_already_in_moodle_is_replaced_and_named_and_extra_credit_stops_at_the_maximum(graded):
    downloaded = downloaded_worksheet(graded, "en", 20)
    given_in_moodle = read_worksheet(downloaded)
    given_in_moodle.rows[NAMES.index("Élodie Ségur-Dupré")][given_in_moodle.columns["grade"]] = "18.00"
    given_in_moodle.write(downloaded)
    with Gradebook(graded.db_url) as gradebook:
        gradebook.find_grade("test_softmax", NOTEBOOK, ASSIGNMENT, ZOE).extra_credit = 25
        gradebook.db.commit()
    try:
        exported = graded.root / "worksheet-again.csv"
        said = graded.coursekit("export", ASSIGNMENT, "--moodle-worksheet", str(exported), "--from", str(downloaded))
    finally:
        with Gradebook(graded.db_url) as gradebook:
            gradebook.find_grade("test_softmax", NOTEBOOK, ASSIGNMENT, ZOE).extra_credit = None
            gradebook.db.commit()

    rows = {row.participant: row for row in import_worksheet(exported.read_bytes(), "en")}
    assert rows[ELODIE].grade == 20 and f"replacing a grade or comment already in Moodle's worksheet ({ELODIE})" in said
    assert rows[ZOE].grade == 20  # 25 points of extra credit: Moodle would refuse anything above its maximum
    assert f"1 above the maximum with extra credit, given the maximum ({ZOE})" in said, said


def test_the_demo_hands_back_to_moodle_a_grade_and_a_page_for_each_student_it_graded(demo_course):
    graded = set(demo_course.students(ASSIGNMENT, "autograded"))
    rows = {row.participant: row for row in
            import_worksheet((demo_course.root / "moodle_worksheet.csv").read_bytes(), "en")}
    assert {student for student, row in rows.items() if row.grade is not None} == graded
    assert len(set(rows) - graded) == len(demo.BROKEN_SUBMISSIONS) + 1  # and the participant who handed nothing in
    assert {row.comment for student, row in rows.items() if student not in graded} == {
        "<p>Not graded: refused at intake: empty file.</p>",
        "<p>Not graded: refused at intake: wrong file name: expected tp1_sgd.ipynb (rename it and run the intake "
        "again).</p>",
        "<p>Not graded: nothing handed in.</p>"}
    with zipfile.ZipFile(demo_course.root / "moodle_feedback.zip") as archive:
        assert {file.participant for file in import_feedback_zip(archive)} == graded
