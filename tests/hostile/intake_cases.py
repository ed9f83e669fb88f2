"""The hostile corpus's intake part: archives a student hands in through Moodle to hurt the instructor's machine
before grading starts, each with what the intake must do with it.

Each case is the file a student uploads (its name and bytes, built here) and the outcome expected under `BOUNDS`
(small, so that the cases stay small): the student refused whole, with words the reason must hold, or only some of
the archive's entries refused (`entry_refused`), the rest taken in.
"""
from __future__ import annotations

import gzip
import io
import lzma
import os
import stat
import tarfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from coursekit.unpacking import MiB, Bounds

BOUNDS = Bounds(bytes_per_student=2 * MiB, bytes_per_download=6 * MiB, files_per_student=20, files_per_download=300,
                depth=3, ratio=50, memory=512 * MiB, seconds=5)
NOTEBOOK = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'


@dataclass(frozen=True)
class IntakeCase:
    name: str
    build: Callable[[], tuple[str, bytes]]  # the uploaded file's name and bytes
    refused: str | None = None  # words of the reason the student is refused for, None if not refused whole
    entry_refused: str | None = None  # words of the reason one entry is refused for


def zipped(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def tarred(members: list[tarfile.TarInfo], mode: str = "w:gz", contents: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=mode) as archive:
        for info in members:
            content = (contents or {}).get(info.name)
            info.size = len(content) if content is not None else info.size
            archive.addfile(info, io.BytesIO(content) if content is not None else None)
    return buffer.getvalue()


def tar_entry(name: str, kind: bytes, link: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, link
    return info


def zip_with_symlink() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        link = zipfile.ZipInfo("tp1_sgd.ipynb")
        link.create_system, link.external_attr = 3, (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
        archive.writestr("notes.txt", b"notes")
    return buffer.getvalue()


def nested(depth: int) -> bytes:
    content = zipped({"tp1_sgd.ipynb": NOTEBOOK})
    for level in range(depth):
        content = zipped({f"level{level}.zip": content})
    return content


def lying_entry_count() -> bytes:
    """A small zip whose end record declares 60,000 entries: refused before Python's zipfile reads them."""
    content = bytearray(zipped({"tp1_sgd.ipynb": NOTEBOOK}))
    end = content.rfind(b"PK\x05\x06")
    content[end + 8:end + 12] = (60_000).to_bytes(2, "little") * 2
    return bytes(content)


def zip64_entry_count() -> bytes:
    """A zip whose zip64 end record declares 10**12 entries (stored in Moodle's zip, it must not be taken for
    Moodle's own record)."""
    content = bytearray(zipped({"tp1_sgd.ipynb": NOTEBOOK}))
    end = content.rfind(b"PK\x05\x06")
    record = (b"PK\x06\x06" + (44).to_bytes(8, "little") + b"\x2d\x00\x2d\x00" + bytes(8)
              + (10**12).to_bytes(8, "little") * 2 + bytes(16))
    locator = b"PK\x06\x07" + bytes(4) + end.to_bytes(8, "little") + (1).to_bytes(4, "little")
    content[end + 8:end + 12] = (0xFFFF).to_bytes(2, "little") * 2
    return bytes(content[:end]) + record + locator + bytes(content[end:])


def tar_header(name: bytes, size_field: bytes, kind: bytes = b"0", extra=()) -> bytes:
    """A GNU tar header made by hand (tarfile refuses to write these), its checksum computed."""
    header = bytearray(512)
    header[0:len(name)] = name
    header[100:108], header[108:116], header[116:124] = b"0000644\0", b"0000000\0", b"0000000\0"
    header[124:136], header[136:148], header[156:157] = size_field, b"00000000000\0", kind
    header[257:265], header[148:156] = b"ustar  \0", b" " * 8
    for offset, data in extra:
        header[offset:offset + len(data)] = data
    header[148:156] = b"%06o\0 " % sum(header)
    return bytes(header)


def negative_size_loop() -> bytes:
    """A member of size -1024 (base-256): Python 3.11.7's tarfile goes back to the header before, for ever
    (CVE-2025-8194)."""
    empty = tarfile.TarInfo("a").tobuf(tarfile.GNU_FORMAT)
    folder = tarfile.TarInfo("d")
    folder.type = tarfile.DIRTYPE
    negative = b"\xff" + (2**88 - 1024).to_bytes(11, "big")
    return folder.tobuf(tarfile.GNU_FORMAT) + empty + tar_header(b"b", negative) + bytes(1024)


def pax_header_of(size: int) -> bytes:
    """A pax header declaring `size` bytes of zeros, xz-packed: tarfile reads such a header whole, into memory."""
    header = tar_header(b"././@PaxHeader", b"%011o\0" % size, b"x")
    return lzma.compress(header + bytes(size) + bytes(1024))


def quadratic_pax_header() -> bytes:
    """A pax header of a million digits: Python 3.11.7's tarfile parses it in time quadratic in its length
    (CVE-2024-6232), about a quarter of an hour: the unpacking process's time limit stops it."""
    body = b"1" * 10**6
    pax = tarfile.TarInfo("././@PaxHeader")
    pax.type, pax.size = tarfile.XHDTYPE, len(body)
    return gzip.compress(pax.tobuf(tarfile.GNU_FORMAT) + body + bytes(-len(body) % 512) + bytes(1024))


def directory_larger_than_its_count() -> bytes:
    """20,000 entries, the end record declaring one: zipfile reads the directory by its size, not by that count."""
    content = bytearray(zipped({str(number): b"" for number in range(20_000)}, zipfile.ZIP_STORED))
    end = content.rfind(b"PK\x05\x06")
    content[end + 8:end + 12] = (1).to_bytes(2, "little") * 2
    return bytes(content)


def folders_past_the_recursion_limit() -> bytes:
    return zipped({"d/" * depth: b"" for depth in range(400, 1601, 400)} | {"tp1_sgd.ipynb": NOTEBOOK})


def damaged_lzma_entry() -> bytes:
    content = bytearray(zipped({"tp1_sgd.ipynb": NOTEBOOK * 50}, zipfile.ZIP_LZMA))
    for index in range(60, 200):
        content[index] ^= 0x5A
    return bytes(content)


CASES = [
    IntakeCase("zip_larger_than_a_students_share",
               lambda: ("handin.zip", zipped({"data.bin": os.urandom(3 * MiB)}, zipfile.ZIP_STORED)),
               refused="bound per student"),
    IntakeCase("zip_bomb_of_zeros",
               lambda: ("handin.zip", zipped({"tp1_sgd.ipynb": bytes(40 * MiB)})), refused="compression ratio"),
    IntakeCase("gzip_bomb", lambda: ("tp1_sgd.ipynb.gz", gzip.compress(bytes(40 * MiB))), refused="bound per student"),
    IntakeCase("tar_xz_bomb",
               lambda: ("handin.tar.xz", tarred([tarfile.TarInfo("tp1_sgd.ipynb")], "w:xz",
                                                {"tp1_sgd.ipynb": bytes(40 * MiB)})),
               refused="bound per student"),
    IntakeCase("tar_bz2_of_many_files",
               lambda: ("handin.tar.bz2", tarred([tarfile.TarInfo(f"f{n}.txt") for n in range(100)], "w:bz2",
                                                 {f"f{n}.txt": b"x" for n in range(100)})),
               refused="files (the bound per student)"),
    IntakeCase("zip_of_many_files", lambda: ("handin.zip", zipped({f"f{n}.txt": b"x" for n in range(100)})),
               refused="files (the bound per student)"),
    IntakeCase("archives_nested_too_deep", lambda: ("handin.zip", nested(4)), refused="bound on nesting"),
    IntakeCase("zip_declaring_a_million_entries", lambda: ("handin.zip", lying_entry_count()),
               refused="entries"),
    IntakeCase("zip_whose_directory_outgrows_its_count", lambda: ("handin.zip", directory_larger_than_its_count()),
               refused="entries"),
    IntakeCase("zip64_declaring_a_trillion_entries", lambda: ("handin.zip", zip64_entry_count()),
               refused="entries"),
    IntakeCase("damaged_zip", lambda: ("handin.zip", os.urandom(4096)), refused="damaged or unreadable archive"),
    IntakeCase("zip_escaping_its_folder",
               lambda: ("handin.zip", zipped({"../../../escaped.ipynb": NOTEBOOK, "/tmp/absolute.ipynb": NOTEBOOK,
                                              "..\\..\\windows.ipynb": NOTEBOOK, "tp1_sgd.ipynb": NOTEBOOK})),
               entry_refused="outside its folder"),
    IntakeCase("zip_with_a_symbolic_link", lambda: ("handin.zip", zip_with_symlink()), entry_refused="a link"),
    IntakeCase("tar_with_links_and_devices",
               lambda: ("handin.tar.gz", tarred([tar_entry("passwd", tarfile.SYMTYPE, "/etc/passwd"),
                                                 tar_entry("hard", tarfile.LNKTYPE, "/etc/passwd"),
                                                 tar_entry("null", tarfile.CHRTYPE), tar_entry("pipe", tarfile.FIFOTYPE),
                                                 tarfile.TarInfo("tp1_sgd.ipynb")],
                                                contents={"tp1_sgd.ipynb": NOTEBOOK})),
               entry_refused="in an archive: not written"),
    IntakeCase("tar_with_a_truncated_sparse_header",
               lambda: ("handin.tar", tar_header(b"s", b"00000000000\0", b"S", [(482, b"\x01")])),
               refused="damaged or unreadable"),
    IntakeCase("tar_whose_member_size_loops_back", lambda: ("handin.tar", negative_size_loop()),
               refused="files (the bound per student)"),
    IntakeCase("tar_xz_whose_header_fills_the_memory", lambda: ("handin.tar.xz", pax_header_of(700 * MiB)),
               refused="could not be unpacked within"),
    IntakeCase("tar_gz_whose_header_takes_a_quarter_of_an_hour", lambda: ("handin.tar.gz", quadratic_pax_header()),
               refused="could not be unpacked within"),
    IntakeCase("zip_with_a_damaged_lzma_entry", lambda: ("handin.zip", damaged_lzma_entry()),
               refused="damaged or unreadable"),
    IntakeCase("folders_nested_past_the_recursion_limit", lambda: ("handin.zip", folders_past_the_recursion_limit()),
               entry_refused="folders deep"),
    IntakeCase("tar_escaping_its_folder",
               lambda: ("handin.tar", tarred([tarfile.TarInfo("../../escaped.ipynb"), tarfile.TarInfo("tp1_sgd.ipynb")],
                                             "w", {"../../escaped.ipynb": NOTEBOOK, "tp1_sgd.ipynb": NOTEBOOK})),
               entry_refused="outside its folder"),
]

HONEST = [
    ("tp1_sgd.ipynb", NOTEBOOK),
    ("handin.zip", zipped({"TP1/tp1_sgd.ipynb": NOTEBOOK})),
    ("handin.tar.gz", tarred([tarfile.TarInfo("tp1_sgd.ipynb")], contents={"tp1_sgd.ipynb": NOTEBOOK})),
]

# Notebooks that are not: each reaches the intake's reading (coursekit/untrusted.py), named with its reason.
NOTEBOOK_CASES = {
    "nested_too_deep": (b"[" * 100_000 + b"]" * 100_000, "nested deeper"),
    "not_json": (b'{"cells": [' + b"1," * 1000, "not valid JSON"),
    "json_but_not_a_notebook": (b'{"cells": "x" }', "not a Jupyter notebook"),
    "not_utf8": ('{"cells": ["café"]}'.encode("latin-1"), "not UTF-8"),
    "a_number_past_pythons_digits": (b'{"nbformat": 4, "cells": [], "x": ' + b"1" * 5000 + b"}", "Python cannot read"),
    "millions_of_objects": (b'{"nbformat": 4, "cells": [], "x": [' + b"{}," * 600_000 + b"{}]}", "lists and objects"),
}
