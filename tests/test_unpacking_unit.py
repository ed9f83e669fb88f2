"""Bounded unpacking (coursekit/unpacking.py) on the hostile corpus's intake part: each attacker's hand-in, in one
Moodle download with honest students, in-process on small bounds."""
from __future__ import annotations

import dataclasses
import io
import os
import time
import zipfile
from pathlib import Path

import pytest

from coursekit import moodle, synthetic_moodle, unpacking
from hostile.intake_cases import BOUNDS, CASES, HONEST, NOTEBOOK, IntakeCase


ORIGINAL_MEMBERS = unpacking._members


def owner_of(parts):
    found = moodle.owner(parts)
    return found[1]["student_id"] if found else None


def download(folder, hand_ins: dict[str, tuple[str, bytes]], bounds=BOUNDS):
    """Moodle's zip, each student's hand-in in their folder (participant id -> file name and bytes)."""
    (folder / "archive").mkdir(parents=True)
    with zipfile.ZipFile(folder / "archive" / "moodle.zip", "w") as archive:
        for student, (name, content) in hand_ins.items():
            archive.writestr(f"{synthetic_moodle.submission_folder(f'Student {student}', student)}/{name}", content)
    (folder / "extracted").mkdir()
    return unpacking.unpack_download(folder / "archive", folder / "extracted", bounds, owner_of)


def written(folder):
    return [path for path in (folder / "extracted").rglob("*") if path.is_file() or path.is_symlink()]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_a_hostile_hand_in_is_refused_by_name_and_the_honest_students_are_taken_in(tmp_path, case: IntakeCase):
    honest = {str(1000 + number): hand_in for number, hand_in in enumerate(HONEST)}
    refusals = download(tmp_path, {**honest, "2666": case.build()})
    reasons = {refusal.owner: refusal.reason for refusal in refusals}
    files = written(tmp_path)
    for student in honest:  # each honest student's notebook, unpacked whole
        assert [path.read_bytes() for path in files if f"_{student}_" in str(path)] == [NOTEBOOK], (student, files)
    assert set(reasons) <= {"2666"}, refusals
    if case.refused:
        assert case.refused in reasons["2666"] and "re-upload the notebook alone" in reasons["2666"], refusals
        assert not [path for path in files if "_2666_" in str(path)], files  # nothing of the refused student
    else:
        assert any(case.entry_refused in refusal.reason for refusal in refusals), refusals
    assert sum(path.stat().st_size for path in files) <= BOUNDS.bytes_per_download
    assert not any(path.is_symlink() for path in tmp_path.rglob("*"))
    assert {path.name for path in tmp_path.rglob("*")}.isdisjoint({"escaped.ipynb", "absolute.ipynb",
                                                                  "windows.ipynb", "passwd", "null", "pipe"})


def test_past_the_bound_of_the_whole_download_the_students_who_no_longer_fit_are_refused_by_name(tmp_path):
    # Each zip of 0.9 MiB takes 1.8 MiB while it is unpacked, then 0.9 MiB: five fit in 6 MiB, the next do not.
    shares = {str(3000 + number): ("handin.zip", zipped_noise()) for number in range(8)}
    refusals = download(tmp_path, shares)
    assert {refusal.owner for refusal in refusals} == {"3005", "3006", "3007"}, refusals
    assert all("in all" in refusal.reason for refusal in refusals), refusals
    assert sum(path.stat().st_size for path in written(tmp_path)) <= BOUNDS.bytes_per_download


def zipped_noise(size: int = 9 * unpacking.MiB // 10) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("data.bin", os.urandom(size))
    return buffer.getvalue()


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_what_a_refused_student_wrote_never_takes_the_share_of_the_students_after_them(tmp_path):
    """A bomb cut at the student's bound, and an entry written again and again, counted once removed: the download's
    bound still holds the honest students after the attacker (6 MiB in all, 2 MiB each)."""
    again = io.BytesIO()
    with zipfile.ZipFile(again, "w", zipfile.ZIP_STORED) as archive:
        for _ in range(5):
            archive.writestr("same.bin", os.urandom(3 * unpacking.MiB // 10))  # over itself: 0.3 MiB on disk
    hand_ins = {"2000": ("handin.zip", zipped_noise(3 * unpacking.MiB)), "2001": ("again.zip", again.getvalue()),
                **{str(3000 + number): ("handin.zip", zipped_noise(9 * unpacking.MiB // 10)) for number in range(4)}}
    refusals = download(tmp_path, hand_ins)
    assert {refusal.owner for refusal in refusals} == {"2000"}, refusals


def test_nothing_a_students_unpacking_started_outlives_its_time_limit(tmp_path, monkeypatch):
    """Red team: the process unpacking a student's archive was killed at its time limit, but not the one it had
    started for an archive inside it, which wrote into the student's folder after it was removed. A reader stands in
    for Python's here: it starts a process that would write later, then takes too long itself."""
    spy = tmp_path / "late-writer.pid"

    def members(archive, max_entries):
        if archive.name != "handin.zip":
            return ORIGINAL_MEMBERS(archive, max_entries)
        late = os.fork()
        if late == 0:  # pragma: no cover (the process that would write late)
            time.sleep(60)  # long past the limit, however busy the machine: only the kill stops it
            (archive.parent / "written-late.ipynb").write_bytes(NOTEBOOK)
            os._exit(0)
        spy.write_text(str(late))
        time.sleep(30)

    monkeypatch.setattr(unpacking, "_members", members)
    bounds = dataclasses.replace(BOUNDS, seconds=1)
    refusals = download(tmp_path, {"2666": ("handin.zip", b"PK"), "1000": HONEST[0]}, bounds)
    assert [refusal.owner for refusal in refusals] == ["2666"] and "within" in refusals[0].reason, refusals
    late = int(spy.read_text())
    assert process_state(late) in (None, "Z"), "the late writer still runs"
    assert not list(tmp_path.rglob("written-late.ipynb"))


def process_state(pid: int) -> str | None:
    """A process's state letter (Z: a zombie, dead), None if it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return None
