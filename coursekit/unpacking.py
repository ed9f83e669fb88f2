"""Archives of a download unpacked within bounds: what students hand in can fill neither the disk nor the memory of
the instructor's machine, nor write outside its folder.

`unpack_download(archives, extracted, bounds, owner_of)` unpacks each archive of a folder (zip, tar with any
compression tarfile reads, or one gzipped file) into a folder of its own name, then the archives found in it in turn,
up to `bounds.depth` archives deep, and copies the other files. Every file is counted, before it is written (its
declared size) and while it is (its bytes), against its owner's share (`owner_of(parts)`: the student a path belongs
to, from its parts below the extracted folder), the whole download's, the number of files, and the ratio of what an
archive unpacks to its own size. An owner who passes a bound is refused whole: what was written for them is removed,
and nothing more is. A member that would land outside its folder (an absolute path, `..`), deeper than MAX_PARTS
folders, under a name that is not text, or that is not a plain file or folder (a link, a device, a pipe), is refused
alone. Each archive a student handed in is unpacked in a process of its own, under limits of memory, CPU time and
file size (`unpack_confined`): Python's readers of tar and zip can be made to loop or to allocate by a crafted header
(several such are CVEs of Python 3.11.7), and its failure only refuses that student.
"""
from __future__ import annotations

import contextlib
import gzip
import json
import os
import resource
import select
import shutil
import signal
import stat
import tarfile
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

MiB = 2**20
CHUNK = MiB
ARCHIVE_SUFFIXES = (".zip", ".tar", ".tgz", ".gz", ".bz2", ".xz")
RATIO_FLOOR = MiB  # an archive may always unpack to this much, whatever its ratio (a small zip of a notebook)
MAX_PARTS = 32  # folders deep an entry's path may go (a notebook's is one or two)
CENTRAL_ENTRY = 46  # bytes of a zip's central directory entry with an empty name: the smallest there is


@dataclass(frozen=True)
class Bounds:
    bytes_per_student: int = 64 * MiB
    bytes_per_download: int = 2048 * MiB
    files_per_student: int = 200
    files_per_download: int = 20_000
    depth: int = 3  # archives within archives, the download's own counted
    ratio: int = 200  # bytes an archive may unpack to per byte of its own (past RATIO_FLOOR)
    memory: int = 1024 * MiB  # address space of the process that unpacks one student's archive
    seconds: int = 60  # its CPU time, and its time in all


@dataclass(frozen=True)
class Refusal:
    path: Path  # the archive, member or file refused, below the extracted folder
    owner: str | None  # the student it belongs to, None if none
    reason: str


@dataclass(frozen=True)
class _Member:
    name: str
    kind: str  # "file", "folder" or the kind of special file it is
    size: int  # declared
    packed: int | None  # compressed size, when the archive says
    open: Callable


def _damaged(error: BaseException) -> str:
    return f"a damaged or unreadable archive ({type(error).__name__}): re-upload the notebook alone"


class _Passed(Exception):
    """A bound passed: the owner is refused whole, for this reason."""


class Unpacker:
    def __init__(self, extracted: Path, bounds: Bounds, owner_of: Callable[[tuple[str, ...]], str | None]):
        self.extracted, self.bounds, self.owner_of = extracted, bounds, owner_of
        self.bytes, self.files = Counter(), Counter()
        self.total_bytes = self.total_files = 0
        self.written: dict[str | None, list[Path]] = {}
        self.folders: dict[str | None, list[Path]] = {}  # the folders of the archives unpacked for each owner
        self.refused: dict[str | None, Refusal] = {}
        self.refusals: list[Refusal] = []

    def unpack_download(self, archives: Path) -> list[Refusal]:
        """Unpack or copy each file of `archives` (the download) into the extracted folder."""
        for path in sorted(archives.rglob("*")):
            if path.is_symlink() or not path.is_file():
                continue
            folder = self.extracted.joinpath(*path.relative_to(archives).parent.parts)
            if _is_archive(path.name):
                self.unpack(path, folder / _stem(path.name), depth=1)
            else:
                self.copy(path, folder / path.name)
        return self.refusals

    def unpack(self, archive: Path, folder: Path, depth: int) -> None:
        """Unpack an archive into `folder`. Moodle's own zip (depth 1) holds the whole class: its entries are bounded
        one by one, and a student's archive (deeper) as a whole too, by the compression ratio; a student's archive is
        given up at its student's first refusal."""
        owner = self._owner(folder)
        allowed = max(self.bounds.ratio * archive.stat().st_size, RATIO_FLOOR) if depth > 1 else None
        if depth > 1:  # all of it goes if its student is refused
            self.folders.setdefault(owner, []).append(folder)
        try:
            with _members(archive, self.bounds.files_per_download) as members:
                unpacked = 0
                for member in members:
                    target = _target(folder, member.name)
                    owner = self._owner(target if target is not None else folder)
                    if owner in self.refused:
                        if depth > 1:
                            break
                        continue
                    try:
                        unpacked += self._member(member, target, archive, depth,
                                                 None if allowed is None else allowed - unpacked)
                    except _Passed as passed:
                        self._refuse(owner, target or folder, str(passed))
                    except Exception as error:  # noqa: BLE001 (this entry's student only: the others go on)
                        self._refuse(owner, target or folder, _damaged(error))
        except _Passed as passed:
            self._refuse(owner, archive, str(passed))
        except MemoryError:
            self._refuse(owner, archive, self._beyond_limits())
        except Exception as error:  # noqa: BLE001 (Python's archive readers raise many types on damaged data)
            if owner not in self.refused:
                self._refuse(owner, archive, _damaged(error))

    def copy(self, source: Path, target: Path) -> None:
        owner = self._owner(target)
        if owner in self.refused:
            return
        try:
            self._count_file(owner)
            self._write(source.open, source.stat().st_size, target, owner, allowed=None)
        except _Passed as passed:
            self._refuse(owner, target, str(passed))

    def _member(self, member: _Member, target: Path | None, archive: Path, depth: int, allowed: int) -> int:
        """Write one member (unpacking it in turn if it is an archive); the bytes it took of its archive's ratio."""
        owner = self._owner(target or archive)
        self._count_file(owner)
        if target is None:
            self.refusals.append(Refusal(archive, owner, f"an archive entry {ascii(member.name[:100])} that would be "
                                                         f"written outside its folder, more than {MAX_PARTS} folders "
                                                         "deep or under a name that is not text: not written"))
            return 0
        if member.kind == "folder":
            target.mkdir(parents=True, exist_ok=True)
            self.folders.setdefault(owner, []).append(target)
            return 0
        if member.kind != "file":
            self.refusals.append(Refusal(target, owner, f"a {member.kind} in an archive: not written (only files "
                                                        "and folders are)"))
            return 0
        if member.packed and member.size > RATIO_FLOOR and member.size > self.bounds.ratio * member.packed:
            raise _Passed(f"an archive entry that unpacks to more than {self.bounds.ratio} times its packed size "
                          "(the bound on the compression ratio): re-upload the notebook alone")
        written = self._write(member.open, member.size, target, owner, allowed)
        if _is_archive(target.name):
            if depth >= self.bounds.depth:
                raise _Passed(f"archives nested more than {self.bounds.depth} deep (the bound on nesting): "
                              "re-upload the notebook alone")
            self.unpack_confined(target, target.with_name(_stem(target.name)), depth + 1, owner)
            self._remove(owner, target)  # unpacked: its bytes count no more
        return written

    def unpack_confined(self, archive: Path, folder: Path, depth: int, owner: str | None) -> None:
        """Unpack an archive a student handed in, in a child process under limits of memory, CPU time and file size
        (Python's archive readers have known ways to loop, or to allocate, on a crafted header): a child that fails
        or takes too long refuses its student, whose archive's folder goes. The child sends its counts back as
        JSON."""
        read, write = os.pipe()
        child = os.fork()
        if child == 0:  # pragma: no cover (the child process)
            os.close(read)
            status = 1
            try:
                if depth == 2:  # the first child leads a process group: its own children are killed with it
                    os.setpgid(0, 0)
                _confine(self.bounds)
                self.unpack(archive, folder, depth)
                os.write(write, json.dumps(self._state()).encode())
                status = 0
            finally:
                os._exit(status)
        os.close(write)
        try:
            state, ended = _read_child(read, child, self.bounds.seconds, group=depth == 2)
        finally:
            if depth == 2:  # whatever happened, nothing of it outlives this call (nor writes after its removal)
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(child, 0)
        if ended and state is not None:
            self._set_state(state)
            return
        shutil.rmtree(folder, ignore_errors=True)
        self._refuse(owner, archive, self._beyond_limits())

    def _beyond_limits(self) -> str:
        return (f"an archive that could not be unpacked within {_mib(self.bounds.memory)} of memory and "
                f"{self.bounds.seconds} s: re-upload the notebook alone")

    def _state(self) -> dict:
        return {"bytes": list(self.bytes.items()), "files": list(self.files.items()),
                "total": [self.total_bytes, self.total_files],
                "written": [[owner, [str(path) for path in paths]] for owner, paths in self.written.items()],
                "folders": [[owner, [str(path) for path in paths]] for owner, paths in self.folders.items()],
                "refused": [[owner, str(refusal.path), refusal.reason] for owner, refusal in self.refused.items()],
                "refusals": [[str(refusal.path), refusal.owner, refusal.reason] for refusal in self.refusals]}

    def _set_state(self, state: dict) -> None:
        self.bytes, self.files = Counter(dict(map(tuple, state["bytes"]))), Counter(dict(map(tuple, state["files"])))
        self.total_bytes, self.total_files = state["total"]
        self.written = {owner: [Path(path) for path in paths] for owner, paths in state["written"]}
        self.folders = {owner: [Path(path) for path in paths] for owner, paths in state["folders"]}
        self.refused = {owner: Refusal(Path(path), owner, reason) for owner, path, reason in state["refused"]}
        self.refusals = [Refusal(Path(path), owner, reason) for path, owner, reason in state["refusals"]]

    def _write(self, open_source: Callable, declared: int, target: Path, owner: str | None, allowed: int | None
               ) -> int:
        """Copy a file's bytes, counted before (as declared) and while they are written; a file cut short by a bound
        is removed."""
        self._remove(owner, target)  # an entry of a name already written replaces it
        self._check_bytes(owner, declared, allowed, declared)
        target.parent.mkdir(parents=True, exist_ok=True)
        self.written.setdefault(owner, []).append(target)
        written = 0
        try:
            with open_source() as source, target.open("wb") as sink:
                while chunk := source.read(CHUNK):
                    self._check_bytes(owner, len(chunk), allowed, written + len(chunk))
                    sink.write(chunk)
                    written += len(chunk)
                    self.bytes[owner] += len(chunk)
                    self.total_bytes += len(chunk)
        except BaseException:
            self._remove(owner, target)
            raise
        return written

    def _check_bytes(self, owner: str | None, more: int, allowed: int | None, unpacked: int) -> None:
        if self.bytes[owner] + more > self.bounds.bytes_per_student:
            raise _Passed(f"a hand-in of more than {_mib(self.bounds.bytes_per_student)} (the bound per student): "
                          "re-upload the notebook alone")
        if self.total_bytes + more > self.bounds.bytes_per_download:
            raise _Passed(f"the download passed its bound of {_mib(self.bounds.bytes_per_download)} in all while "
                          "this hand-in was unpacked: re-upload the notebook alone")
        if allowed is not None and unpacked > allowed:
            raise _Passed(f"an archive that unpacks to more than {self.bounds.ratio} times its size (the bound on "
                          "the compression ratio): re-upload the notebook alone")

    def _count_file(self, owner: str | None) -> None:
        self.files[owner] += 1
        self.total_files += 1
        if self.files[owner] > self.bounds.files_per_student:
            raise _Passed(f"a hand-in of more than {self.bounds.files_per_student} files (the bound per student): "
                          "re-upload the notebook alone")
        if self.total_files > self.bounds.files_per_download:
            raise _Passed(f"the download passed its bound of {self.bounds.files_per_download} files in all while "
                          "this hand-in was unpacked: re-upload the notebook alone")

    def _owner(self, path: Path) -> str | None:
        return self.owner_of(path.relative_to(self.extracted).parts)

    def _remove(self, owner: str | None, path: Path) -> None:
        """Remove a file written here: the counts of bytes are always those of the files on disk, so that what an
        attacker wrote, once removed, never takes the share of the download's other students."""
        if path.is_file() and not path.is_symlink():
            size = path.stat().st_size
            path.unlink()
            self.bytes[owner] -= size
            self.total_bytes -= size

    def _refuse(self, owner: str | None, path: Path, reason: str) -> None:
        """Refuse an owner whole: what was written for them goes, and nothing more is."""
        if owner in self.refused:
            return
        for written in self.written.pop(owner, []):
            self._remove(owner, written)
        for folder in self.folders.pop(owner, []):
            shutil.rmtree(folder, ignore_errors=True)
        self.total_files -= self.files[owner]  # nor do their files count in the download's
        self.files[owner] = 0
        self.refused[owner] = refusal = Refusal(path, owner, reason)
        self.refusals.append(refusal)


def _confine(bounds: Bounds) -> None:
    """The child's limits: address space, CPU time, and the size of any file it writes."""
    resource.setrlimit(resource.RLIMIT_AS, (bounds.memory, bounds.memory))
    resource.setrlimit(resource.RLIMIT_CPU, (bounds.seconds, bounds.seconds))
    resource.setrlimit(resource.RLIMIT_FSIZE, (bounds.bytes_per_student, bounds.bytes_per_student))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _read_child(fd: int, child: int, seconds: int, group: bool) -> tuple[dict | None, bool]:
    """What the child sent and whether it ended well; a child still running after `seconds` is killed (its whole
    process group if it leads one). The caller reaps it."""
    chunks, deadline = [], time.monotonic() + seconds
    with os.fdopen(fd, "rb") as pipe:
        while (left := deadline - time.monotonic()) > 0 and select.select([pipe], [], [], left)[0]:
            if not (chunk := os.read(pipe.fileno(), 2**20)):
                break
            chunks.append(chunk)
    if time.monotonic() >= deadline:
        with contextlib.suppress(ProcessLookupError):
            (os.killpg if group else os.kill)(child, signal.SIGKILL)
    _, status = os.waitpid(child, 0)
    try:
        return json.loads(b"".join(chunks)), os.waitstatus_to_exitcode(status) == 0
    except ValueError:
        return None, False


def unpack_download(archives: Path, extracted: Path, bounds: Bounds,
                    owner_of: Callable[[tuple[str, ...]], str | None]) -> list[Refusal]:
    return Unpacker(extracted, bounds, owner_of).unpack_download(archives)


def _members(archive: Path, max_entries: int):
    name = archive.name.lower()
    if name.endswith(".zip"):
        return _zip_members(archive, max_entries)
    if name.endswith(".gz") and not name.endswith(".tar.gz"):  # one gzipped file
        return _gzip_member(archive)
    return _tar_members(archive)


class _Opened:
    """An archive's members, iterated once, with the archive closed after."""

    def __init__(self, archive, members: Iterator[_Member]):
        self.archive, self.members = archive, members

    def __enter__(self) -> Iterator[_Member]:
        return self.members

    def __exit__(self, *exception) -> None:
        self.archive.close()


def _zip_members(archive: Path, max_entries: int) -> _Opened:
    if (entries := _zip_entries(archive)) > max_entries:
        raise _Passed(f"a zip of {entries} entries, more than the {max_entries} files a download may hold: re-upload "
                      "the notebook alone")
    opened = zipfile.ZipFile(archive)

    def members():
        for info in opened.infolist():
            kind = ("folder" if info.is_dir() else _special_kind(info.external_attr >> 16)
                    if info.create_system == 3 else "file")  # Unix's file types, when it was made there
            yield _Member(info.filename, kind, info.file_size, info.compress_size, lambda info=info: opened.open(info))
    return _Opened(opened, members())


def _tar_members(archive: Path) -> _Opened:
    opened = tarfile.open(archive, "r:*")

    def members():
        while (info := opened.next()) is not None:
            opened.members.clear()  # tarfile keeps every header it read: not here
            kind = "folder" if info.isdir() else "file" if info.isreg() else (
                "link" if info.issym() or info.islnk() else "device or pipe")
            yield _Member(info.name, kind, info.size, None, lambda info=info: opened.extractfile(info))
    return _Opened(opened, members())


def _gzip_member(archive: Path) -> _Opened:
    member = _Member(_stem(archive.name), "file", 0, None, lambda: gzip.open(archive))
    return _Opened(archive.open("rb"), iter([member]))


def _zip_entries(archive: Path) -> int:
    """The number of entries a zip may hold, from its end record (its zip64 record's, found through the locator right
    before the end record, as zipfile finds it: never a record that only looks like one, inside a member's data): the
    count it declares, or as many of the smallest entries as its central directory's size holds, since zipfile reads
    the directory by its size."""
    with archive.open("rb") as file:
        size = file.seek(0, 2)
        file.seek(max(0, size - (2**16 + 22)))
        tail = file.read()
        end = tail.rfind(b"PK\x05\x06")
        if end < 0 or len(tail) - end < 22:
            raise zipfile.BadZipFile("no end record")
        entries = int.from_bytes(tail[end + 10:end + 12], "little")
        directory = int.from_bytes(tail[end + 12:end + 16], "little")
        locator = tail[end - 20:end] if end >= 20 else b""
        if not locator.startswith(b"PK\x06\x07"):
            return max(entries, directory // CENTRAL_ENTRY)
        file.seek(int.from_bytes(locator[8:16], "little"))
        record = file.read(56)
    if len(record) < 48 or not record.startswith(b"PK\x06\x06"):
        raise zipfile.BadZipFile("an unreadable zip64 end record")
    return max(int.from_bytes(record[32:40], "little"), int.from_bytes(record[40:48], "little") // CENTRAL_ENTRY)


def _target(folder: Path, name: str) -> Path | None:
    """Where a member named `name` goes below `folder`, or None if it would go elsewhere, deeper than MAX_PARTS
    folders, or under a name that is not printable text (control characters, bytes that are not UTF-8)."""
    name = name.replace("\\", "/")
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if (name.startswith("/") or not parts or ".." in parts or len(parts) > MAX_PARTS or ":" in parts[0]
            or not name.isprintable() or not name.encode("utf-8", "replace").decode("utf-8") == name):
        return None
    return folder.joinpath(*parts)


def _special_kind(mode: int) -> str:
    """A zip entry's kind from its Unix mode: a regular file's, or no type at all (Python's zipfile writes none), is
    a file."""
    if stat.S_IFMT(mode) in (0, stat.S_IFREG):
        return "file"
    return "link" if stat.S_ISLNK(mode) else "folder" if stat.S_ISDIR(mode) else "device or pipe"


def _is_archive(name: str) -> bool:
    return name.lower().endswith(ARCHIVE_SUFFIXES)


def _stem(name: str) -> str:
    """An archive's name without its suffixes (`hand-in.tar.gz` -> `hand-in`)."""
    lower = name.lower()
    for suffix in (".tar.gz", ".tar.bz2", ".tar.xz", *ARCHIVE_SUFFIXES):
        if lower.endswith(suffix) and len(name) > len(suffix):
            return name[:-len(suffix)]
    return name


def _mib(size: int) -> str:
    return f"{size / MiB:g} MiB"
