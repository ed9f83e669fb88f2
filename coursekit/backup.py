"""Copies of the gradebook taken before each grading batch, and the way back if the batch fails.

Each copy is consistent even while graders write to the gradebook, and goes to the course's backups/ folder (never
committed), where the newest `KEEP` stay. The database URL (CourseDirectory.db_url) says how:

- SQLite (`sqlite:///...`, nbgrader's default): SQLite's online backup API, to backups/gradebook-<time>.db, copied
  back the same way.
- PostgreSQL (`postgresql://...`, or `postgresql+<driver>://...`): `pg_dump --format=custom` to
  backups/gradebook-<time>.dump, put back with `pg_restore --clean --if-exists --single-transaction`. Both come with
  Debian's postgresql-client, of the server's major version or newer, on the machine that runs the batch. A
  restore that other sessions keep waiting (a formgrader left open) gives up after LOCK_WAIT, saying how to restore
  by hand.

Any other database, a missing pg_dump or a server pg_dump cannot reach is a BackupError before the batch touches
anything. An interrupted batch is no failure: it keeps what it finished and undoes the rest itself
(coursekit/converters/parallel_autograde.py), so the copy is put back only when the batch itself breaks (a crash,
a gradebook error, a second Ctrl-C).
"""
from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.engine import URL, make_url

KEEP = 20
FOLDER = "backups"  # in the course folder
# pg_restore drops the tables first, which waits for every other session on the gradebook to end its transaction; a
# formgrader that has shown a page keeps one open until it saves a grade. Past this wait (seconds), pg_restore is
# stopped, and its server session, which checks every second that its client is still there, rolls back.
LOCK_WAIT = 60
SUFFIXES = {"sqlite": ".db", "postgresql": ".dump"}
RESTORE = ("--clean", "--if-exists", "--single-transaction")  # pg_restore's options: the whole copy, or nothing
POSTGRESQL_CLIENT = "Debian's postgresql-client (apt-get install postgresql-client), of the server's major version"


class BackupError(RuntimeError):
    """The gradebook cannot be backed up or put back; the message says what to install or do."""


def back_up(db_url: str, folder: Path) -> Path | None:
    """Copy the gradebook to `folder`; return the copy's path (None if there is no SQLite gradebook yet)."""
    kind = _kind(db_url)
    if kind == "sqlite" and not _sqlite_file(db_url).is_file():
        return None
    folder.mkdir(exist_ok=True)
    copy = folder / f"gradebook-{time.strftime('%Y%m%dT%H%M%S')}-{time.time_ns() % 10**9:09d}{SUFFIXES[kind]}"
    if kind == "sqlite":
        _sqlite_copy(_sqlite_file(db_url), copy)
    else:
        _postgresql_client("pg_dump", "--format=custom", f"--file={copy}", db_url=db_url)
    for old in sorted(folder.glob(f"gradebook-*{SUFFIXES[kind]}"))[:-KEEP]:
        old.unlink()
    return copy


def restore(copy: Path, db_url: str) -> None:
    """Put the gradebook back as `copy` holds it."""
    if _kind(db_url) == "sqlite":
        _sqlite_copy(copy, _sqlite_file(db_url))
        return
    try:
        _postgresql_client("pg_restore", *RESTORE, str(copy), db_url=db_url, timeout=LOCK_WAIT,
                           PGOPTIONS="-c client_connection_check_interval=1s")
    except BackupError as error:
        raise BackupError(
            f"the gradebook was not put back, and is as the batch left it. {error}. If another program kept it "
            f"locked (a formgrader, a notebook using nbgrader's Gradebook), close it and put it back with "
            f"`pg_restore {' '.join(RESTORE)} --dbname=<the database URL> {copy}`") from None


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


def _kind(db_url: str) -> str:
    """"sqlite" or "postgresql", from the URL's scheme (a `+driver` aside)."""
    kind = db_url.partition("://")[0].partition("+")[0]
    if kind not in SUFFIXES:
        raise BackupError(f"coursekit backs up a SQLite or PostgreSQL gradebook only, not {kind or db_url!r}: set "
                          "CourseDirectory.db_url in nbgrader_config.py to sqlite:///... or postgresql://...")
    if kind == "postgresql" and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        raise BackupError(f"the gradebook is on PostgreSQL, and pg_dump or pg_restore is missing: install "
                          f"{POSTGRESQL_CLIENT}")
    return kind


def _sqlite_file(db_url: str) -> Path:
    return Path(make_url(db_url).database)  # whatever the driver (`sqlite+pysqlite:///`) or query (`?timeout=30`)


def _sqlite_copy(source: Path, destination: Path) -> None:
    with contextlib.closing(sqlite3.connect(source)) as origin, contextlib.closing(sqlite3.connect(destination)) as target:
        origin.backup(target)


def _postgresql_client(program: str, *arguments: str, db_url: str, timeout: float | None = None,
                       **environment: str) -> None:
    """Run pg_dump or pg_restore on the gradebook. The URL goes as libpq takes it (SQLAlchemy's
    `postgresql+psycopg://` is libpq's `postgresql://`), and without its password, which goes in the program's
    environment: a command line is readable by every user of the machine."""
    url = make_url(db_url)
    if url.password is not None:
        environment["PGPASSWORD"] = url.password
    uri = URL.create("postgresql", url.username, None, url.host, url.port, url.database, url.query).render_as_string()
    try:
        completed = subprocess.run([program, *arguments, f"--dbname={uri}"], capture_output=True, text=True,
                                   timeout=timeout, env={**os.environ, **environment})
    except subprocess.TimeoutExpired:
        raise BackupError(f"{program} was still waiting for the gradebook after {timeout} s") from None
    if completed.returncode != 0:
        raise BackupError(f"{program} failed on the gradebook: {completed.stderr.strip()} ({program} comes with "
                          f"{POSTGRESQL_CLIENT})")
