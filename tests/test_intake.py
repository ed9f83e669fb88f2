"""The intake: a class's submissions from a folder, a Moodle zip or nbgrader's exchange, into submitted/,
each bad entry reported by name and skipped while the others go on."""
from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from coursekit import moodle, synthetic_moodle
from coursekit.course import Course
from coursekit.tp1 import ASSIGNMENT, NOTEBOOK_FILE
from hostile import intake_cases
from repository import REPOSITORY


BAD_CONTENTS = {"empty file": b"", "not valid JSON": b'{"cells": [', "not UTF-8": '{"cells": ["café"]}'.encode("latin-1")}


@pytest.fixture(scope="module")
def released_course(tmp_path_factory) -> Course:
    course = REPOSITORY.copy_to(tmp_path_factory.mktemp("released") / "course")
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    return course


@pytest.fixture
def course(released_course, tmp_path) -> Course:
    """A course with its release and gradebook, and nothing submitted yet."""
    copy = Course(tmp_path / "course")
    shutil.copytree(released_course.root, copy.root)
    return copy


def submitted_students(course: Course) -> set[str]:
    return {path.parents[1].name for path in (course.root / "submitted").glob(f"*/{ASSIGNMENT}/{NOTEBOOK_FILE}")}


def release_bytes() -> bytes:
    return REPOSITORY.notebook(ASSIGNMENT, "release").read_bytes()


def reported(report: str, student: str, reason: str) -> bool:
    return any(student in line and reason in line for line in report.splitlines() if "skipped" in line)


def test_a_folder_of_student_folders_keeps_the_good_notebooks_and_names_every_bad_entry(course, tmp_path):
    drop = tmp_path / "drop"
    files = {
        f"alice/{NOTEBOOK_FILE}": release_bytes(),
        f"bruno/{ASSIGNMENT}/{NOTEBOOK_FILE}": release_bytes(),  # nbgrader's own layout
        "farid/TP1 final.ipynb": release_bytes(),
        f"gael/{NOTEBOOK_FILE}": release_bytes(), f"gael/{ASSIGNMENT}/{NOTEBOOK_FILE}": release_bytes(),
        f"hugo/{NOTEBOOK_FILE}": release_bytes(), "hugo/report.pdf": b"%PDF-1.4",
        "stray.ipynb": release_bytes(),
        "alice/.ipynb_checkpoints/tp1_sgd-checkpoint.ipynb": release_bytes(),
        **{f"{student}/{NOTEBOOK_FILE}": content
           for student, content in zip(["chloe", "dylan", "emma"], BAD_CONTENTS.values())},
    }
    for name, content in files.items():
        (drop / name).parent.mkdir(parents=True, exist_ok=True)
        (drop / name).write_bytes(content)

    report = course.coursekit("intake", ASSIGNMENT, "--folder", str(drop))

    assert submitted_students(course) == {"alice", "bruno", "hugo"}
    assert "3 submissions accepted, 8 entries skipped" in report
    for student, reason in {"chloe": "empty file", "dylan": "not valid JSON", "emma": "not UTF-8",
                            "farid": f"wrong file name: expected {NOTEBOOK_FILE}",
                            "gael": "2 notebooks for one student", "hugo": "not a notebook"}.items():
        assert reported(report, f"student {student}: ", reason), (student, report)
    assert reported(report, "stray.ipynb", "not in a student's folder"), report
    assert "checkpoint" not in report


def moodle_download(path, release) -> dict[str, str]:
    """A Moodle zip with three good submissions and one of each bad entry; the participant id of each student."""
    good = {student: release for student in ["Inès Martin", "Jules Petit", "Karim Haddad"]}
    ids = synthetic_moodle.participant_ids(list(good))
    synthetic_moodle.write_download(path, NOTEBOOK_FILE, good, {name: name for name in good}, ids, {
        f"{synthetic_moodle.submission_folder('Léa Roux', '2001')}/{NOTEBOOK_FILE}": b"",
        f"{synthetic_moodle.submission_folder('Marc Blanc', '2002')}/{NOTEBOOK_FILE}": b"<html>not a notebook</html>",
        f"{synthetic_moodle.submission_folder('Nora Lopez', '2003', moodle_4_1=False)}/tp1_sgd (1).ipynb":
            nbformat.writes(release).encode(),
        f"{synthetic_moodle.submission_folder('Oscar Dupont', '2004')}/answers.docx": b"PK\x03\x04",
        f"{synthetic_moodle.submission_folder('Inès Martin', ids['Inès Martin'])}/notes.txt": b"my notes",
        "index.html": b"<html></html>",
        # Moodle's download without folders: the file named after its student
        f"{synthetic_moodle.submission_folder('Paul Weiss', '2005', moodle_4_1=False)}{NOTEBOOK_FILE}":
            nbformat.writes(release).encode(),
    })
    return {**ids, "Paul Weiss": "2005"}


def test_a_moodle_zip_goes_in_through_nbgrader_zip_collect_and_the_course_collector(course, tmp_path, release):
    ids = moodle_download(tmp_path / "moodle.zip", release)
    report = course.coursekit("intake", ASSIGNMENT, "--moodle-zip", str(tmp_path / "moodle.zip"))

    assert submitted_students(course) == set(ids.values())  # students are Moodle participant ids
    assert "4 submissions accepted, 6 entries skipped" in report
    for participant, reason in {"2001": "empty file", "2002": "not valid JSON", "2003": "wrong file name",
                                "2004": "not a notebook", "1001": "not a notebook"}.items():
        assert reported(report, f"student {participant}: ", reason), (participant, report)
    assert reported(report, "index.html", "not named as Moodle names a submitted file"), report


def test_an_archive_a_student_hands_in_cannot_put_a_notebook_under_another_students_id(course, tmp_path, release):
    """nbgrader unpacks the archives found in a download, into a folder beside them: Eve's, in Moodle's download
    without folders, holds a folder named as Moodle names Bob's."""
    planted = tmp_path / "planted.zip"
    with zipfile.ZipFile(planted, "w") as archive:
        archive.writestr(f"{synthetic_moodle.submission_folder('Bob Victim', '2002')}/{NOTEBOOK_FILE}",
                         nbformat.writes(release))
    eve = synthetic_moodle.submission_folder("Eve Mallory", "2001", moodle_4_1=False)
    synthetic_moodle.write_download(tmp_path / "moodle.zip", NOTEBOOK_FILE, {}, {}, {},
                                    {f"{eve}extra.zip": planted.read_bytes()})

    report = course.coursekit("intake", ASSIGNMENT, "--moodle-zip", str(tmp_path / "moodle.zip"))

    assert "2002" not in submitted_students(course)
    assert submitted_students(course) == {"2001"}  # Eve's own archive, hers
    assert "2002" not in moodle.participants(course, ASSIGNMENT), report


def test_plain_nbgrader_zip_collect_reads_a_moodle_zip_with_the_course_configuration(course, tmp_path, release):
    archive = course.root / "downloaded" / ASSIGNMENT / "archive"
    archive.mkdir(parents=True)
    ids = moodle_download(archive / "moodle.zip", release)
    log = course.nbgrader("zip_collect", ASSIGNMENT, "--force")
    assert submitted_students(course) == set(ids.values())
    assert any("Skipped" in line and "_2001_" in line and "empty file" in line for line in log.splitlines()), log


def test_the_exchange_is_collected_with_the_submission_times_and_bad_entries_skipped(course, tmp_path, release):
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    with open(course.root / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.Exchange.root = {str(exchange)!r}\n")
    course.nbgrader("release_assignment", ASSIGNMENT)
    # nbgrader submit names the submission after the OS user: one real submission per student, renamed to them.
    inbound = exchange / "ml-image-processing" / "inbound"
    for student, content in {"paula": release_bytes(), "quentin": b""}.items():
        work = tmp_path / student / ASSIGNMENT
        work.mkdir(parents=True)
        (work / NOTEBOOK_FILE).write_bytes(content)
        before = set(inbound.iterdir()) if inbound.exists() else set()
        Course(tmp_path / student).nbgrader("submit", ASSIGNMENT, f"--Exchange.root={exchange}",
                                            "--course=ml-image-processing")
        (submission,) = set(inbound.iterdir()) - before
        submission.rename(inbound / submission.name.replace(submission.name.split("+")[0], student, 1))

    report = course.coursekit("intake", ASSIGNMENT, "--exchange")

    assert submitted_students(course) == {"paula"}
    assert reported(report, "student quentin: ", "empty file"), report
    assert (course.notebook(ASSIGNMENT, "submitted", "paula").parent / "timestamp.txt").is_file()


INTAKE_MEMORY = 2 * 2**30  # bytes of address space the whole intake gets here: Python, nbgrader and its imports


def test_a_download_with_every_hostile_hand_in_takes_the_honest_students_in_and_names_each_attacker(course, tmp_path):
    """The hostile corpus's intake part (archives, and notebooks that are not) through `coursekit intake --moodle-zip`,
    with the bounds of tests/hostile/intake_cases.py set in the course's nbgrader_config.py, under a memory limit."""
    bounds = intake_cases.BOUNDS
    with (course.root / "nbgrader_config.py").open("a") as config:
        config.write("".join(f"c.BoundedExtractorPlugin.{name} = {value}\n" for name, value in {
            "max_bytes_per_student": bounds.bytes_per_student, "max_bytes_per_download": bounds.bytes_per_download,
            "max_files_per_student": bounds.files_per_student, "max_files_per_download": bounds.files_per_download,
            "max_depth": bounds.depth, "max_ratio": bounds.ratio, "max_memory": bounds.memory,
            "max_seconds": bounds.seconds}.items()))
    attackers = {str(2100 + number): case for number, case in enumerate(intake_cases.CASES)}
    files = {f"{synthetic_moodle.submission_folder('Honest Student', '1001')}/{NOTEBOOK_FILE}": release_bytes(),
             f"{synthetic_moodle.submission_folder('Honest Zipper', '1002')}/handin.zip":
                 intake_cases.zipped({f"TP1/{NOTEBOOK_FILE}": release_bytes()})}
    for student, case in attackers.items():
        name, content = case.build()
        files[f"{synthetic_moodle.submission_folder(f'Attacker {case.name}', student)}/{name}"] = content
    not_notebooks = {str(2200 + number): case for number, case in enumerate(intake_cases.NOTEBOOK_CASES.values())}
    for student, (content, _) in not_notebooks.items():
        files[f"{synthetic_moodle.submission_folder('Attacker', student)}/{NOTEBOOK_FILE}"] = content
    synthetic_moodle.write_download(tmp_path / "moodle.zip", NOTEBOOK_FILE, {}, {}, {}, files)

    def limited():
        resource.setrlimit(resource.RLIMIT_AS, (INTAKE_MEMORY, INTAKE_MEMORY))
    environment = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    run = subprocess.run([str(Path(sys.executable).parent / "coursekit"), "intake", ASSIGNMENT, "--moodle-zip",
                          str(tmp_path / "moodle.zip")], cwd=course.root, env=environment, capture_output=True,
                         text=True, preexec_fn=limited)
    report = run.stdout + run.stderr
    assert run.returncode == 0, report

    assert {"1001", "1002"} <= submitted_students(course), report
    for student, case in attackers.items():
        assert reported(report, f"student {student}: ", case.refused or case.entry_refused), (case.name, report)
        if case.refused:
            assert student not in submitted_students(course), (case.name, report)
    for student, (_, reason) in not_notebooks.items():
        assert reported(report, f"student {student}: ", reason) and student not in submitted_students(course), report
    extracted = [path for path in (course.root / "downloaded").rglob("*") if path.is_file() and path.name != "moodle.zip"]
    assert sum(path.stat().st_size for path in extracted) <= bounds.bytes_per_download
    assert not any(path.is_symlink() for path in (course.root / "downloaded").rglob("*"))
    assert not list(course.root.parent.rglob("escaped.ipynb")) and not list(course.root.rglob("windows.ipynb"))
