"""The similarity report, through `coursekit similarity` as an instructor runs it. On a class handed in
(tests/copied_class.py): a copy with its variables renamed and its functions reordered, one padded with dead code,
and a copy of each complete solution written apart (tests/independent/), renamed, reordered and padded, are flagged,
and only they; no pair of work written apart is, complete solutions or a few functions; untouched releases pair with
nobody; earlier years' submissions are compared with this year's only. On a small class autograded for real: the class
report's "Similar code" section, read in headless Chromium, shows the pairs with their matching code, a hostile
student's markup as text; a student's lone surrogate does not stop the report."""
from __future__ import annotations

import itertools
import shutil

import nbformat
import pytest

from coursekit import notebooks, similarity, synthetic
from coursekit.similarity import Comparison
from coursekit.tp1 import ASSIGNMENT, NOTEBOOK_FILE

import copied_class
from conftest import SCREEN
from copied_class import COPY, ORIGINAL, PADDED_COPY, UNTOUCHED_TWIN
from repository import REPOSITORY
from small_class import copy_of


def compared(course, *options: str) -> Comparison:
    course.coursekit("similarity", ASSIGNMENT, *options)
    return Comparison.load(similarity.results_path(course, ASSIGNMENT))


@pytest.fixture(scope="module")
def handed_in(tmp_path_factory):
    return copied_class.submitted(REPOSITORY.copy_to(tmp_path_factory.mktemp("similar") / "course"))


@pytest.fixture(scope="module")
def class_code(handed_in) -> dict[str, similarity.Code]:
    return similarity.class_code(handed_in, ASSIGNMENT, similarity.released_code(handed_in, ASSIGNMENT), {})


@pytest.fixture(scope="module")
def every_matching_pair(handed_in, class_code) -> list[similarity.Pair]:
    """Every pair that matches at all, however little."""
    return similarity.similar_pairs(class_code, {}, similarity.released_code(handed_in, ASSIGNMENT), 0.0, 0)


def test_the_disguised_and_the_padded_copies_are_flagged_and_only_they(handed_in):
    comparison = compared(handed_in)
    assert comparison.threshold == similarity.DEFAULT_THRESHOLD
    copies = copied_class.copies()
    assert len(copies) == len(copied_class.complete_solutions()) + 2 >= 8
    pairs = {frozenset(pair.students): pair for pair in comparison.pairs}
    assert set(pairs) == {frozenset((COPY, PADDED_COPY)), *(frozenset(pair) for pair in copies.items())}
    padded, copy = pairs[frozenset((PADDED_COPY, ORIGINAL))], pairs[frozenset((ORIGINAL, COPY))]
    assert padded.score == 1.0  # however much dead code it adds
    assert min(copy.shares) > 0.9, copy.shares
    # the copy's functions are reordered: every cell holding several functions still matches
    several = {cell for cell, code in copied_class.ORIGINAL_CODE.items() if code.count("def ") > 1}
    assert several <= {match.cell for match in copy.cells}
    # a copy of a whole notebook written apart, renamed, reordered and padded, matches nearly all of it
    assert all(pairs[frozenset(pair)].score > 0.9 for pair in copies.items()), comparison.summary()


def test_no_pair_of_work_written_apart_is_flagged(every_matching_pair):
    written_apart = copied_class.written_apart()
    assert len(written_apart) > 40
    alike = [pair for pair in every_matching_pair if set(pair.students) <= written_apart]
    assert alike, "no two correct submissions share anything: the comparison compared nothing"
    assert max(pair.score for pair in alike) == 1.0  # a short function, found whole in a complete notebook
    assert not [pair.students for pair in alike
                if pair.reaches(similarity.DEFAULT_THRESHOLD, similarity.LEAST_MATCHED)]
    # complete solutions written apart share much more than the least match: the threshold keeps them apart
    complete = set(copied_class.complete_work())
    whole = [pair for pair in alike if set(pair.students) <= complete]
    assert len(whole) == len(complete) * (len(complete) - 1) // 2
    assert max(min(pair.matched_characters) for pair in whole) > 2 * similarity.LEAST_MATCHED


def test_untouched_releases_pair_with_nobody(class_code, every_matching_pair):
    assert len(class_code) == len(copied_class.written_apart()) + len(copied_class.copies()) + 2
    paired = set(itertools.chain.from_iterable(pair.students for pair in every_matching_pair))
    assert not paired & {synthetic.UNTOUCHED_RELEASE, UNTOUCHED_TWIN}


def test_earlier_years_are_compared_with_this_years_students_only(handed_in, tmp_path):
    earlier = tmp_path / "tp1-2024"
    for student in ["former_student", "former_twin"]:  # both hand in the original's notebook
        (earlier / student).mkdir(parents=True)
        shutil.copy(handed_in.notebook(ASSIGNMENT, "submitted", ORIGINAL), earlier / student / NOTEBOOK_FILE)

    comparison = compared(handed_in, "--earlier", str(earlier))

    assert comparison.earlier == [str(earlier)] and comparison.earlier_students == 2
    pairs = [pair.students for pair in comparison.pairs]
    for former in ["tp1-2024/former_student", "tp1-2024/former_twin"]:
        assert (ORIGINAL, former) in pairs and (COPY, former) in pairs
    assert ("tp1-2024/former_student", "tp1-2024/former_twin") not in pairs
    assert all(pair.shares == (1.0, 1.0) for pair in comparison.pairs if pair.students[0] == ORIGINAL
               and pair.students[1].startswith("tp1-2024/"))


def test_a_comparison_is_stale_once_a_students_code_changes(handed_in, tmp_path):
    course = copy_of(handed_in, tmp_path / "course")
    compared(course)
    assert similarity.current_comparison(course, ASSIGNMENT)[1]
    path = course.notebook(ASSIGNMENT, "submitted", COPY)
    notebook = notebooks.read(path)
    notebooks.solution_cells(notebook)["predict"].source += "\n# checked again"
    nbformat.write(notebook, path)
    assert not similarity.current_comparison(course, ASSIGNMENT)[1]


# The class report's section, on a small class autograded for real: the reference, a disguised copy of it, and a
# student whose id and code are markup, their code copied from the reference.
HOSTILE = "<img src=x onerror=\"document.title='id ran'\">"
HOSTILE_LINE = ("    # </pre></td><script>document.title = 'code ran'</script>"
                "<img src=x onerror=\"document.title='ran'\">\n")


@pytest.fixture(scope="module")
def graded_copies(tmp_path_factory):
    course = REPOSITORY.copy_to(tmp_path_factory.mktemp("graded_copies") / "course")
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    master = notebooks.read(course.notebook(ASSIGNMENT, "source"))
    reference = notebooks.reference_solutions(master)
    code_cells = [cell_id for cell_id, cell in notebooks.solution_cells(master).items() if cell.cell_type == "code"]
    softmax_lines = reference["softmax"].splitlines(keepends=True)
    synthetic.write_class(course, ASSIGNMENT, [
        synthetic.Case.reference(),
        synthetic.Case(COPY, "", {cell: copied_class.renamed_and_reordered(reference[cell]) for cell in code_cells},
                       frozenset()),
        synthetic.Case(HOSTILE, "", {"softmax": "".join([*softmax_lines[:2], HOSTILE_LINE, *softmax_lines[2:]])},
                       frozenset())], with_untouched_release=False)
    course.coursekit("autograde", ASSIGNMENT)
    course.coursekit("similarity", ASSIGNMENT)
    return course


def test_the_class_report_shows_each_pair_side_by_side_with_its_matching_code(browser, graded_copies):
    page = browser.new_page(viewport=SCREEN)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto((graded_copies.root / "reports" / ASSIGNMENT / "class_report.html").as_uri())

    headings = page.locator("h2:text-is('Similar code') ~ h3").all_inner_texts()
    assert len(headings) == 3, headings
    assert any("reference" in heading and COPY in heading for heading in headings), headings
    assert sum(HOSTILE in heading for heading in headings) == 2, "the hostile student's id is not shown as text"
    first_pair = page.locator("h2:text-is('Similar code') ~ table").first
    marked = first_pair.locator("mark")
    assert marked.count() > 10 and marked.first.is_visible()
    assert "np.exp" in " ".join(marked.all_inner_texts())
    section = page.locator("body").inner_text().split("Similar code", 1)[1]
    assert HOSTILE_LINE.strip() in section, "the hostile student's code is not shown as text"
    assert page.title() == f"Class report: {ASSIGNMENT}" and not dialogs
    assert page.locator("script").count() == 0 and page.locator("img[onerror]").count() == 0
    page.close()


def test_the_report_keeps_the_section_while_the_code_compared_is_unchanged(browser, graded_copies, tmp_path):
    course = copy_of(graded_copies, tmp_path / "course")
    course.coursekit("report", ASSIGNMENT)
    page = browser.new_page(viewport=SCREEN)
    report = (course.root / "reports" / ASSIGNMENT / "class_report.html").as_uri()
    page.goto(report)
    assert page.locator("h2:text-is('Similar code') ~ h3").count() == 3

    shutil.rmtree(course.folder(ASSIGNMENT, "submitted", COPY))
    course.coursekit("report", ASSIGNMENT)
    page.goto(report)
    assert page.locator("h2:text-is('Similar code') ~ h3").count() == 0
    assert f"run coursekit similarity {ASSIGNMENT} again" in page.locator("body").inner_text()
    page.close()


def test_a_lone_surrogate_in_a_students_code_is_written_as_a_question_mark(graded_copies, tmp_path):
    course = copy_of(graded_copies, tmp_path / "course")
    path = course.notebook(ASSIGNMENT, "submitted", COPY)
    notebook = notebooks.read(path)
    notebooks.solution_cells(notebook)["softmax"].source += "\n# lone SURROGATE"
    # JSON may hold \ud800 alone, which UTF-8 cannot encode: written by hand, as a student's editor may
    path.write_text(nbformat.writes(notebook).replace("SURROGATE", "\\ud800"))

    course.coursekit("similarity", ASSIGNMENT)
    course.coursekit("report", ASSIGNMENT)

    page = (course.root / "reports" / ASSIGNMENT / "class_report.html").read_text()
    assert "# lone ?" in page and "Similar code not shown" not in page
