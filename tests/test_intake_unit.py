"""The intake's sorting of handed-in files, on files written in a scratch folder: no course, no nbgrader app."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_notebook

from coursekit import intake, untrusted
from coursekit.course import CommandError, Course

EXPECTED = ["vectors.ipynb", "angles.ipynb"]


def notebook(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(new_notebook(), path)
    return path


def reasons(taken: intake.Intake) -> dict[str, str]:
    return {rejection.path.name: rejection.reason for rejection in taken.rejected}


def test_each_expected_notebook_is_accepted_and_a_missing_one_is_reported(tmp_path):
    ada = [notebook(tmp_path / "ada" / "vectors.ipynb"), notebook(tmp_path / "ada" / "angles.ipynb")]
    cy = [notebook(tmp_path / "cy" / "vectors.ipynb")]
    taken = intake.sort_out({"ada": ada, "cy": cy}, EXPECTED)
    assert taken.accepted == {"ada": {"vectors.ipynb": ada[0], "angles.ipynb": ada[1]},
                              "cy": {"vectors.ipynb": cy[0]}}
    assert taken.missing == {"cy": ["angles.ipynb"]}
    assert "student cy handed in no angles.ipynb" in taken.report()


def test_other_files_are_rejected_with_the_names_expected(tmp_path):
    files = [notebook(tmp_path / "ben" / "vectors.ipynb"), notebook(tmp_path / "ben" / "Vectors (1).ipynb"),
             tmp_path / "ben" / "notes.txt"]
    files[2].write_text("notes")
    taken = intake.sort_out({"ben": files}, EXPECTED)
    assert taken.accepted == {"ben": {"vectors.ipynb": files[0]}}
    assert reasons(taken) == {
        "Vectors (1).ipynb": "wrong file name: expected vectors.ipynb or angles.ipynb (rename it and run the intake "
                             "again)",
        "notes.txt": "not a notebook: only vectors.ipynb and angles.ipynb are graded"}


def test_a_notebook_handed_in_twice_is_rejected_both_times_and_the_other_kept(tmp_path):
    twice = [notebook(tmp_path / "dan" / "v1" / "vectors.ipynb"), notebook(tmp_path / "dan" / "v2" / "vectors.ipynb")]
    angles = notebook(tmp_path / "dan" / "angles.ipynb")
    taken = intake.sort_out({"dan": [*twice, angles]}, EXPECTED)
    assert taken.accepted == {"dan": {"angles.ipynb": angles}}
    assert [rejection.path for rejection in taken.rejected] == twice
    assert all(rejection.reason.startswith("2 notebooks for one student (vectors.ipynb)")
               for rejection in taken.rejected)


def test_a_student_with_nothing_gradable_is_not_accepted(tmp_path):
    empty = tmp_path / "eve" / "vectors.ipynb"
    empty.parent.mkdir()
    empty.write_bytes(b"")
    taken = intake.sort_out({"eve": [empty]}, EXPECTED)
    assert taken.accepted == {} and taken.missing == {"eve": EXPECTED}
    assert reasons(taken) == {"vectors.ipynb": "empty file"}
    assert "student eve: nothing to grade (no vectors.ipynb nor angles.ipynb that can be read)" in taken.report()


def test_a_file_that_is_not_a_notebook_gets_the_reason_an_instructor_can_act_on(tmp_path):
    contents = {"empty file": b"  \n", "not valid JSON (line 1)": b'{"cells": [',
                "not UTF-8 text, so not a notebook": b"\xff\xfe{}",
                "JSON but not a Jupyter notebook (no nbformat version 3 or 4)": b'{"cells": []}'}
    for expected_reason, content in contents.items():
        path = tmp_path / "file.ipynb"
        path.write_bytes(content)
        assert untrusted.problem(path).startswith(expected_reason), content
    assert untrusted.problem(notebook(tmp_path / "good.ipynb")) is None


def test_a_folder_of_student_folders_is_grouped_by_student_and_loose_files_rejected(tmp_path):
    ada = notebook(tmp_path / "ada" / "tp2" / "vectors.ipynb")
    (tmp_path / "ada" / "tp2" / "timestamp.txt").write_text("2026-11-28 10:00:00")
    notebook(tmp_path / "ada" / ".ipynb_checkpoints" / "vectors-checkpoint.ipynb")
    loose = notebook(tmp_path / "vectors.ipynb")
    grouped, rejected = intake.files_by_student(tmp_path)
    assert grouped == {"ada": [ada]}
    assert [(rejection.path, rejection.student) for rejection in rejected] == [(loose, None)]


def test_a_folder_or_zip_that_is_not_there_is_named_and_nothing_is_taken(tmp_path):
    course = Course(tmp_path)
    with pytest.raises(CommandError, match="no such folder"):
        intake.take_folder(course, "tp2", tmp_path / "hand-in")
    (tmp_path / "download.zip").write_text("not a zip")
    with pytest.raises(CommandError, match="not a zip file"):
        intake.take_moodle_zip(course, "tp2", tmp_path / "download.zip")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["download.zip"]


def test_a_notebook_too_large_or_nested_too_deep_is_refused_with_what_to_do(tmp_path):
    large, deep = tmp_path / "ann" / "vectors.ipynb", tmp_path / "bo" / "vectors.ipynb"
    large.parent.mkdir()
    deep.parent.mkdir()
    with large.open("wb") as file:  # sparse: the size is what is checked, before any byte is read
        file.truncate(untrusted.MAX_NOTEBOOK_BYTES + 1)
    deep.write_text("[" * 100_000 + "]" * 100_000)
    taken = intake.sort_out({"ann": [large], "bo": [deep]}, ["vectors.ipynb"])
    assert taken.accepted == {}
    by_student = {rejection.student: rejection.reason for rejection in taken.rejected}
    assert "clear its outputs" in by_student["ann"] and "nested deeper" in by_student["bo"], by_student


def test_a_notebook_of_millions_of_values_is_refused_before_it_is_parsed(tmp_path):
    """Red team: strings and numbers, not counted with the lists and objects, cost the instructor's process about
    thirty times their bytes once parsed."""
    path = tmp_path / "values.ipynb"
    path.write_bytes(b'{"nbformat": 4, "cells": [], "x": [' + b"1," * (untrusted.MAX_VALUES + 1) + b"1]}")
    assert "values in its JSON" in untrusted.problem(path)
