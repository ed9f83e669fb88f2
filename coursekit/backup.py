"""Copies of the gradebook taken before each grading batch, and the way back if the batch fails.

SQLite's online backup API copies a consistent gradebook even while another program reads it. The
copies go to backups/gradebook-<time>.db in the course folder (never committed); the newest
`KEEP` stay. An interrupted batch is no failure: it keeps what it finished and undoes the rest
itself (coursekit/converters/parallel_autograde.py), so the copy is put back only when the batch
itself breaks (a crash, a gradebook error, a second Ctrl-C).
"""
from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

KEEP = 20
FOLDER = "backups"  # in the course folder


def back_up(db_url: str, folder: Path) -> Path | None:
    """Copy the gradebook to `folder`; return the copy's path (None if there is no gradebook yet)."""
    database = _sqlite_file(db_url)
    if not database.is_file():
        return None
    folder.mkdir(exist_ok=True)
    copy = folder / f"gradebook-{time.strftime('%Y%m%dT%H%M%S')}-{time.time_ns() % 10**9:09d}.db"
    _copy(database, copy)
    for old in sorted(folder.glob("gradebook-*.db"))[:-KEEP]:
        old.unlink()
    return copy


def restore(copy: Path, db_url: str) -> None:
    _copy(copy, _sqlite_file(db_url))


@contextlib.contextmanager
def restored_on_failure(db_url: str, folder: Path) -> Iterator[Path | None]:
    """Back the gradebook up to `folder`; if the block raises (a crash, KeyboardInterrupt), put the copy back, then
    re-raise."""
    copy = back_up(db_url, folder)
    try:
        yield copy
    except BaseException:
        if copy is not None:
            restore(copy, db_url)
        raise


def _sqlite_file(db_url: str) -> Path:
    return Path(db_url.removeprefix("sqlite:///"))


def _copy(source: Path, destination: Path) -> None:
    with contextlib.closing(sqlite3.connect(source)) as origin, contextlib.closing(sqlite3.connect(destination)) as target:
        origin.backup(target)
