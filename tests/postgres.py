"""A PostgreSQL server of Debian's `postgresql` package (which `make test` installs), started for the tests: `initdb`
on a scratch data folder, `pg_ctl` on a free port of 127.0.0.1, trust authentication for its superuser `postgres`,
stopped and its folder removed at the end.

initdb refuses to run as root: as root (CI), the server runs as Debian's `postgres` user, in a folder of its own
outside pytest's temporary folders (which only root may enter). The tests' clients (nbgrader, coursekit, pg_dump)
connect over TCP as `postgres`, whoever runs them.
"""
from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from background_batch import PATIENCE
from formgrader_server import free_port

SYSTEM_USER = "postgres"  # Debian's, created by the postgresql package


def binaries() -> Path:
    """The folder of initdb and pg_ctl: Debian keeps them out of PATH, in /usr/lib/postgresql/<major>/bin."""
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda path: int(path.parent.parent.name))
    found = debian[-1] if debian else shutil.which("initdb")
    assert found, "no PostgreSQL server (initdb) found: `make test` installs Debian's postgresql package"
    return Path(found).parent


@dataclass
class Server:
    folder: Path  # the data folder, the log and the socket
    port: int
    _names: Iterator[int] = field(default_factory=itertools.count)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self, copy_of: str | None = None) -> str:
        """A fresh database, empty or a copy of another one of this server (given by its URL, with no session open
        on it); its URL, as a course's CourseDirectory.db_url takes it."""
        name = f"gradebook_{next(self._names)}"
        template = f" TEMPLATE {copy_of.rpartition('/')[2]}" if copy_of else ""
        with psycopg.connect(self.url(), autocommit=True) as connection:  # CREATE DATABASE is no transaction's
            connection.execute(f"CREATE DATABASE {name}{template}")
        return self.url(name)

    def pg_ctl(self, *arguments: str) -> None:
        _run("pg_ctl", "-D", str(self.folder / "data"), "-l", str(self.folder / "server.log"), *arguments)


@contextlib.contextmanager
def running_server() -> Iterator[Server]:
    """A PostgreSQL server of its own, for as long as the block runs."""
    folder = Path(tempfile.mkdtemp(prefix="coursekit-postgres-"))
    try:
        if os.geteuid() == 0:
            shutil.chown(folder, SYSTEM_USER, SYSTEM_USER)
        _run("initdb", "-D", str(folder / "data"), "--username=postgres", "--auth=trust", "--encoding=UTF8",
             "--no-sync")
        server = Server(folder, free_port())
        options = f"-c listen_addresses=127.0.0.1 -c port={server.port} -c unix_socket_directories={folder}"
        server.pg_ctl("-o", options, "-w", "-t", str(PATIENCE), "start")
        try:
            yield server
        finally:
            server.pg_ctl("-m", "fast", "-w", "-t", str(PATIENCE), "stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run(program: str, *arguments: str) -> None:
    as_user = ["runuser", "-u", SYSTEM_USER, "--"] if os.geteuid() == 0 else []
    completed = subprocess.run([*as_user, str(binaries() / program), *arguments], capture_output=True, text=True,
                               timeout=PATIENCE)
    assert completed.returncode == 0, f"{program} failed:\n{completed.stdout}{completed.stderr}"


