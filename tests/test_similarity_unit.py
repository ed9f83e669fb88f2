"""The similarity report's logic on code in memory: what is compared with what, what the release's own code counts
for, a comparison saved and read back, and the section's markup (everything escaped)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_notebook

from coursekit import cli, report, similarity
from coursekit.course import CommandError
from coursekit.tp1 import ASSIGNMENT, NOTEBOOK_FILE
import copied_class
from repository import REPOSITORY

RELEASED = {
    "softmax": 'def softmax(A):\n    """Row-wise softmax."""\n    # YOUR CODE HERE\n    raise NotImplementedError()',
    "predict": ('def predict(W, Phi):\n    """The predicted classes."""\n    # YOUR CODE HERE\n'
                '    raise NotImplementedError()'),
}
SOFTMAX = '''def softmax(A):
    """Row-wise softmax."""
    shifted = A - A.max(axis=1, keepdims=True)
    exponentials = np.exp(shifted)
    return exponentials / exponentials.sum(axis=1, keepdims=True)
'''
RENAMED = SOFTMAX.replace("shifted", "s").replace("exponentials", "e")
PREDICT = '''def predict(W, Phi):
    """The predicted classes."""
    scores = Phi @ W
    best = np.argmax(scores, axis=1)
    return best.astype(int)
'''


def pairs(this_year, earlier_years=None, threshold=0.0, least_matched=0):
    return {pair.students: pair for pair in similarity.similar_pairs(this_year, earlier_years or {}, RELEASED,
                                                                     threshold, least_matched)}


def test_renamed_variables_do_not_hide_a_copy():
    found = pairs({"ann": {"softmax": SOFTMAX}, "bob": {"softmax": RENAMED}})
    assert found[("ann", "bob")].score == 1.0 and found[("ann", "bob")].shares == (1.0, 1.0)


def test_the_releases_code_matches_nothing():
    found = pairs({"ann": dict(RELEASED), "bob": dict(RELEASED), "cat": {"softmax": SOFTMAX}})
    assert found == {}


def test_the_releases_lines_are_not_marked_and_keep_their_place():
    match = pairs({"ann": {"softmax": SOFTMAX}, "bob": {"softmax": RENAMED}})[("ann", "bob")].cells[0]
    (start, end), = match.matched[0]
    assert SOFTMAX[start:end].startswith("shifted = A") and SOFTMAX[end:] == "\n"


def test_code_shorter_than_the_noise_threshold_counts_for_nothing():
    one_liner = 'def predict(W, Phi):\n    """The predicted classes."""\n    return (Phi @ W).argmax(axis=1)\n'
    assert pairs({"ann": {"predict": one_liner}, "bob": {"predict": one_liner}}) == {}


def test_only_cells_of_the_same_grade_id_are_compared():
    found = pairs({"ann": {"softmax": SOFTMAX}, "bob": {"predict": SOFTMAX.replace("softmax", "predict")}})
    assert found == {}


def test_code_added_to_a_copy_does_not_lower_the_pairs_score():
    found = pairs({"ann": {"softmax": SOFTMAX}, "bob": {"softmax": RENAMED, "predict": PREDICT}})[("ann", "bob")]
    assert found.shares[0] == 1.0 and 0 < found.shares[1] < 1
    assert found.score == 1.0


def test_a_few_lines_alike_are_never_listed_whatever_their_score():
    found = pairs({"ann": {"softmax": SOFTMAX}, "bob": {"softmax": RENAMED}}, least_matched=similarity.LEAST_MATCHED)
    assert found == {}


def test_earlier_years_are_compared_with_this_year_only_and_nobody_with_themselves():
    found = pairs({"ann": {"softmax": SOFTMAX}}, {"2024/bob": {"softmax": SOFTMAX}, "2024/cat": {"softmax": SOFTMAX}})
    assert set(found) == {("ann", "2024/bob"), ("ann", "2024/cat")}


def test_pairs_below_the_threshold_or_matching_little_are_left_out_and_the_others_ranked():
    partly = SOFTMAX.replace("exponentials.sum(axis=1, keepdims=True)", "np.sum(exponentials, axis=1, keepdims=True)")
    this_year = {"ann": {"softmax": SOFTMAX}, "bob": {"softmax": RENAMED, "predict": PREDICT},
                 "cat": {"predict": PREDICT}, "dan": {"softmax": partly}}
    ranked = similarity.similar_pairs(this_year, {}, RELEASED, 0.0, 0)
    assert [pair.students for pair in ranked] == [("ann", "bob"), ("bob", "cat"), ("ann", "dan"), ("bob", "dan")]
    assert ranked[1].score == 1.0 and min(ranked[1].matched_characters) < min(ranked[0].matched_characters)
    assert [pair.students for pair in similarity.similar_pairs(this_year, {}, RELEASED, 0.99, 0)] == [
        ("ann", "bob"), ("bob", "cat")]
    assert [pair.students for pair in similarity.similar_pairs(this_year, {}, RELEASED, 0.99,
                                                               min(ranked[0].matched_characters))] == [("ann", "bob")]


def test_a_comparison_reads_back_as_it_was_saved(tmp_path):
    comparison = similarity.Comparison("tp1", 0.6, 2, [], 0, {"x.ipynb": "not JSON"}, "digest",
                                       similarity.similar_pairs({"ann": {"softmax": SOFTMAX},
                                                                 "bob": {"softmax": RENAMED}}, {}, RELEASED, 0.6,
                                                                0))
    comparison.save(tmp_path / "similarity.json")
    assert similarity.Comparison.load(tmp_path / "similarity.json") == comparison


def test_the_section_escapes_ids_and_code_and_marks_the_matches():
    hostile = "<img src=x onerror=alert(1)>"
    code = "x = '<script>alert(1)</script>'\ny = 2\n"
    pair = similarity.Pair((hostile, "bob"), 0.9, (0.9, 0.9), (90, 90), [similarity.CellMatch(
        "<b>cell</b>", (code, code), ([(0, 5)], [(4, 31)]))])
    comparison = similarity.Comparison("tp1", 0.6, 2, [], 0, {}, "digest", [pair])
    section = report._similar_code("tp1", comparison, True)
    assert "<script" not in section and "<img" not in section and "<b>" not in section
    assert "<pre><mark>x = &#x27;</mark>&lt;script&gt;" in section
    assert "<pre>x = <mark>&#x27;&lt;script&gt;alert(1)&lt;/script&gt;&#x27;</mark>\ny = 2\n</pre>" in section


def test_the_section_says_how_to_get_it_or_that_it_is_stale():
    assert "coursekit similarity tp1" in report._similar_code("tp1", None, False)
    comparison = similarity.Comparison("tp1", 0.6, 2, [], 0, {}, "digest", [])
    assert "changed since" in report._similar_code("tp1", comparison, False)
    assert "No pair at or above the threshold" in report._similar_code("tp1", comparison, True)


@pytest.fixture
def released(tmp_path):
    """A course with TP1's student version and nobody's submission."""
    course = REPOSITORY.copy_to(tmp_path / "course")
    shutil.copytree(REPOSITORY.folder(ASSIGNMENT, "release"), course.folder(ASSIGNMENT, "release"))
    return course


@pytest.mark.parametrize("saved", ["{}", '{"assignment": "tp1"', '{"pairs": [{"students": 3}]}'])
def test_a_comparison_that_cannot_be_read_leaves_one_line_in_the_section(released, saved):
    path = similarity.results_path(released, ASSIGNMENT)
    path.parent.mkdir(parents=True)
    path.write_text(saved)
    section = report.similar_code_section(released, ASSIGNMENT)
    assert section.startswith("<p>Similar code not shown:") and "cannot be read" in section
    assert section.count("<p>") == 1 and f"coursekit similarity {ASSIGNMENT}" in section


def test_a_release_removed_since_the_comparison_leaves_one_line_in_the_section(released):
    similarity.Comparison(ASSIGNMENT, 0.6, 0, [], 0, {}, "digest", []).save(similarity.results_path(released,
                                                                                                    ASSIGNMENT))
    shutil.rmtree(released.folder(ASSIGNMENT, "release"))
    section = report.similar_code_section(released, ASSIGNMENT)
    assert section.startswith("<p>Similar code not shown:") and f"coursekit release {ASSIGNMENT}" in section


def solution_notebook(grade_id: str, source: str) -> dict:
    """A notebook's JSON holding one code solution cell."""
    cell = new_code_cell(source, metadata={"nbgrader": {"solution": True, "grade_id": grade_id}})
    return json.loads(json.dumps(new_notebook(cells=[cell])))


def cell_of(notebook: dict) -> dict:
    return notebook["cells"][0]


MALFORMED = {
    "a cell without source": lambda notebook: cell_of(notebook).pop("source"),
    "a null source": lambda notebook: cell_of(notebook).update(source=None),
    "a source that is a number": lambda notebook: cell_of(notebook).update(source=5),
    "no grade id": lambda notebook: cell_of(notebook)["metadata"]["nbgrader"].pop("grade_id"),
    "a grade id that is a number": lambda notebook: cell_of(notebook)["metadata"]["nbgrader"].update(grade_id=5),
    "nbgrader's metadata a string": lambda notebook: cell_of(notebook)["metadata"].update(nbgrader="yes"),
    "no cells": lambda notebook: notebook.pop("cells"),
    "a list": lambda notebook: notebook.clear(),
}


@pytest.mark.parametrize("malformed", MALFORMED)
def test_a_malformed_notebook_is_not_compared_and_named_the_others_are(tmp_path, malformed):
    bad = solution_notebook("predict", PREDICT)
    MALFORMED[malformed](bad)
    (tmp_path / "bad.ipynb").write_text(json.dumps(bad if bad else [1, 2]))
    (tmp_path / "good.ipynb").write_text(json.dumps(solution_notebook("softmax", SOFTMAX)))
    not_compared = {}
    code = similarity.student_code(tmp_path, ["bad", "good"], {}, not_compared)
    assert code == {"good: softmax": SOFTMAX}
    assert list(not_compared) == [str(tmp_path / "bad.ipynb")] and not_compared[str(tmp_path / "bad.ipynb")]


def test_earlier_folders_of_the_same_name_are_told_apart_by_their_parents():
    assert similarity.earlier_names([Path("tp1-2024")]) == ["tp1-2024"]
    assert similarity.earlier_names([Path("/years/2023/tp1"), Path("/years/2024/tp1"), Path("/old/tp0")]) == [
        "2023/tp1", "2024/tp1", "tp0"]
    with pytest.raises(CommandError, match="given twice"):
        similarity.earlier_names([Path("/years/2023/tp1"), Path("/years/2023/../2023/tp1")])


def hand_in(folder: Path, released_notebook: Path, code: dict[str, str]) -> None:
    notebook = json.loads(released_notebook.read_text())
    for cell in notebook["cells"]:
        cell["source"] = code.get(cell["metadata"].get("nbgrader", {}).get("grade_id"), cell["source"])
    folder.mkdir(parents=True)
    (folder / NOTEBOOK_FILE).write_text(json.dumps(notebook))


def test_students_of_the_same_id_in_earlier_folders_of_the_same_name_are_both_compared(released, tmp_path):
    release = released.notebook(ASSIGNMENT, "release")
    hand_in(released.folder(ASSIGNMENT, "submitted", "ann"), release, copied_class.original_code())
    for year in ["2023", "2024"]:
        hand_in(tmp_path / year / "tp1" / "bob", release, copied_class.original_code())
    comparison = similarity.compare_class(released, ASSIGNMENT, [tmp_path / "2023" / "tp1", tmp_path / "2024" / "tp1"],
                                          threshold=similarity.DEFAULT_THRESHOLD)
    assert comparison.earlier_students == 2
    assert [pair.students for pair in comparison.pairs] == [("ann", "2023/tp1/bob"), ("ann", "2024/tp1/bob")]


@pytest.mark.parametrize("threshold", ["-0.1", "1.5", "nan", "inf", "-inf", "high"])
def test_a_threshold_that_is_not_a_share_is_refused(threshold, capsys):
    with pytest.raises(SystemExit):
        cli.parser().parse_args(["similarity", ASSIGNMENT, f"--threshold={threshold}"])
    assert f"{threshold!r} is not a number from 0 to 1" in capsys.readouterr().err


@pytest.mark.parametrize("threshold", ["0", "0.6", "1"])
def test_a_threshold_from_0_to_1_is_taken(threshold):
    assert cli.parser().parse_args(["similarity", ASSIGNMENT, "--threshold", threshold]).threshold == float(threshold)


def test_a_right_to_left_override_in_an_id_or_a_folder_stays_in_its_own_bdi():
    flipped, folder = "\u202eeve", "\u202eold/tp1"
    pair = similarity.Pair((flipped, f"{folder}/bob"), 0.9, (0.9, 0.9), (90, 90), [similarity.CellMatch(
        "softmax", (SOFTMAX, SOFTMAX), ([(0, 5)], [(0, 5)]))])
    comparison = similarity.Comparison("tp1", 0.6, 1, [folder], 1, {f"{folder}/x.ipynb": "not JSON"}, "digest", [pair])
    section = report._similar_code("tp1", comparison, True)
    assert section.count("\u202e") == section.count("<bdi>\u202e") > 0
    assert section.count("<bdi>") == section.count("</bdi>")


def test_a_cell_too_long_to_compare_is_named_with_its_length(tmp_path):
    too_long = SOFTMAX + "#" * (similarity.LONGEST_CELL - len(SOFTMAX) + 1)
    (tmp_path / "notebook.ipynb").write_text(json.dumps(solution_notebook("softmax", too_long)))
    not_compared = {}
    assert similarity.student_code(tmp_path, ["notebook"], {}, not_compared) == {}
    assert not_compared == {f"{tmp_path / 'notebook.ipynb'}, cell softmax": "100,001 characters, above 100,000"}


def test_only_the_most_similar_pairs_keep_their_code_and_the_others_are_listed(released):
    release = released.notebook(ASSIGNMENT, "release")
    for student in range(8):  # 28 pairs, all alike
        hand_in(released.folder(ASSIGNMENT, "submitted", f"student_{student}"), release,
                copied_class.original_code())
    comparison = similarity.compare_class(released, ASSIGNMENT, [], threshold=similarity.DEFAULT_THRESHOLD)
    assert len(comparison.pairs) == 28
    assert [bool(pair.cells) for pair in comparison.pairs] == [True] * similarity.PAIRS_WITH_CODE + [False] * 8
    assert similarity.Comparison.load(similarity.results_path(released, ASSIGNMENT)) == comparison

    section = report._similar_code(ASSIGNMENT, comparison, True)
    assert section.count('<table class="code">') == similarity.PAIRS_WITH_CODE
    assert section.split("8 more pairs, their code not shown")[1].count("<tr>") == 1 + 8
