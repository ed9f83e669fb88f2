"""Feedback that shows each test's result and message, but never the hidden tests' code.

nbgrader's feedback shows the autograded notebook as it ran, so the hidden tests appear in the
test cells and in the tracebacks of the tests that failed (nbgrader issues #917, #1363), which
spoils them for next year's students. Run in `nbgrader generate_feedback` (nbgrader_config.py),
this preprocessor replaces each hidden region of a test cell by a one-line note and drops, from
every traceback, the frames of code that lives in test cells; the student still sees the error, its message, and
the frames of their own code.

Whatever the student's code printed is scrubbed as well, though the judge keeps the tests' source out of the
student's kernel (coursekit/judge/), so their code never has it to print: the scrub is a second line. A line of any
output that holds a line of the master notebook's hidden tests (the lines that appear nowhere else in the master) is
replaced by a note, be it printed as is, in a list's repr, in HTML, spread with other whitespace, reversed, in
base64, hex or rot13; so are the lines that hold it cut in pieces, printed one after the other, in one output or
across the notebook's outputs. An image of the text is beyond what a scrub can recognise.
"""
from __future__ import annotations

import base64
import bisect
import codecs
import functools
import html
import itertools
import re
import unicodedata
import warnings
from pathlib import Path

from nbformat import NotebookNode
from traitlets import Integer, Unicode

from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor

from .. import notebooks

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_CELL_FRAME = re.compile(r"Cell In\[(\d+)\]")
_WHITESPACE = re.compile(r"\s+")
_TAG = re.compile(r"<[^>]*>")
_BASE64 = re.compile(r"[A-Za-z0-9+/_-]{16,}")
_HEX = re.compile(r"(?:[0-9a-fA-F]{2}){8,}")
_INVISIBLE = re.compile("[" + "".join(chr(code) for code in range(0x110000)
                                      if unicodedata.category(chr(code)) == "Cf") + "]")


class HideHiddenTests(NbGraderPreprocessor):
    note = Unicode("# (hidden tests ran here; their code is not shown)",
                   help="what replaces each hidden region of a test cell").tag(config=True)
    scrubbed_note = Unicode("[a line of the hidden tests was removed here]",
                            help="what replaces a line of other text that holds a line of the hidden tests").tag(
        config=True)
    begin = Unicode("BEGIN HIDDEN TESTS").tag(config=True)
    end = Unicode("END HIDDEN TESTS").tag(config=True)
    secret_length = Integer(16, help="Hidden-test lines shorter than this (once spaces are removed) are too "
                                     "common to be secret: `else:`, `return x`.").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        tests = list(notebooks.test_cells(nb).values())
        test_runs = {str(cell.execution_count) for cell in tests if cell.get("execution_count") is not None}
        secrets = self.secret_lines(resources)
        for cell in tests:
            cell.source = self.without_hidden_regions(cell.source)
        fields = []  # (a dict or list, its key): every text of every output, in the notebook's order
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                if output.output_type == "error":  # a student's cell can fail through a test's code
                    output.traceback = [frame for frame in output.traceback if not _runs_in(frame, test_runs)]
                    fields += [(output, "ename"), (output, "evalue"), *((output.traceback, index)
                                                                         for index in range(len(output.traceback)))]
                if "text" in output:
                    fields.append((output, "text"))
                fields += [(output.data, mime) for mime, value in output.get("data", {}).items()
                           if isinstance(value, str) and not mime.startswith("image/png")]
        texts = self.scrubbed_texts([str(holder[key] or "") for holder, key in fields], secrets)
        for (holder, key), text in zip(fields, texts):
            holder[key] = text
        return nb, resources

    def without_hidden_regions(self, source: str) -> str:
        kept, hidden = [], False
        for line in source.split("\n"):
            if self.begin in line:
                hidden = True
                kept.append(self.note)
            elif self.end in line:
                hidden = False
            elif not hidden:
                kept.append(line)
        return "\n".join(kept)

    def secret_lines(self, resources: dict) -> frozenset[str]:
        """The master notebook's hidden-test lines that appear nowhere else in it, without their spaces."""
        about = resources.get("nbgrader", {})
        if "assignment" not in about:  # not run by nbgrader: no master to read
            return frozenset()
        coursedir = CourseDirectory(config=self.config)
        master = Path(coursedir.format_path(coursedir.source_directory, ".", about["assignment"])) / (
            f"{about['notebook']}.ipynb")
        return _secret_lines(master, master.stat().st_mtime, self.begin, self.end, self.secret_length)

    def scrubbed(self, text: str, secrets: frozenset[str]) -> str:
        return self.scrubbed_texts([text], secrets)[0]

    def scrubbed_texts(self, texts: list[str], secrets: frozenset[str]) -> list[str]:
        """The texts with every line that holds a secret replaced by the note: a line that holds one in one of the
        forms of `_holds_one_of`, and the lines over which one is spread, read one after the other through all
        the texts, in order or reversed."""
        if not secrets:
            return texts
        lines = [text.split("\n") for text in texts]
        flat = [line for text_lines in lines for line in text_lines]
        flagged = {number for number, line in enumerate(flat) if _holds_one_of(line, secrets)}
        flagged |= _spread_over(flat, secrets)
        numbers = iter(range(len(flat)))
        return ["\n".join(self.scrubbed_note if next(numbers) in flagged else line for line in text_lines)
                for text_lines in lines]


@functools.lru_cache(maxsize=8)
def _secret_lines(master: Path, modified: float, begin: str, end: str, shortest: int) -> frozenset[str]:
    hidden, elsewhere = set(), set()
    for cell in notebooks.read(master).cells:
        inside = False
        for line in cell.source.split("\n"):
            if begin in line or end in line:
                inside = begin in line
                continue
            (hidden if inside else elsewhere).add(_squeezed(line))
    # A hidden line that lies within a line students see (`return x` in `return x, t`) is not a secret.
    return frozenset(line for line in hidden if len(line) >= shortest and not any(line in seen for seen in elsewhere))


def _plain(line: str) -> str:
    """A line as read: invisible characters (zero-width spaces, ...) dropped, look-alike characters folded (NFKC)."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", _ANSI.sub("", line)))


def _holds_one_of(line: str, secrets: frozenset[str]) -> bool:
    """Whether a line holds a secret as printed, escaped in a repr, in HTML (tags and entities), reversed, or
    encoded in base64, hex or rot13, once read as `_plain` says."""
    plain = _plain(line)
    plain = _TAG.sub("", plain) + "\n" + plain
    forms = {_squeezed(plain), _squeezed(html.unescape(plain)), _squeezed(unescaped_repr(plain)),
             _squeezed(codecs.encode(plain, "rot13")), *(_squeezed(decoded) for decoded in _decoded_tokens(plain))}
    forms |= {form[::-1] for form in forms}
    return any(secret in form for form in forms for secret in secrets)


def _decoded_tokens(text: str) -> list[str]:
    """What the base64 and hex runs of a text decode to, as text."""
    decoded = []
    for token in _BASE64.findall(text):
        for decode in (base64.b64decode, base64.urlsafe_b64decode):
            try:
                decoded.append(decode(token + "=" * (-len(token) % 4)).decode("utf-8", "ignore"))
            except ValueError:
                pass
    decoded += [bytes.fromhex(token).decode("utf-8", "ignore") for token in _HEX.findall(text)]
    return decoded


def _spread_over(lines: list[str], secrets: frozenset[str]) -> set[int]:
    """The numbers of the lines over which a secret is spread: read one after the other, spaces dropped, forwards
    or backwards, the lines from where it starts to where it ends hold it together."""
    pieces = [_squeezed(_plain(line)) for line in lines]
    starts = list(itertools.accumulate((len(piece) for piece in pieces), initial=0))
    joined = "".join(pieces)
    flagged = set()
    for secret in secrets:
        for needle in {secret, secret[::-1]}:
            found = joined.find(needle)
            while found != -1:
                first = bisect.bisect_right(starts, found) - 1
                last = bisect.bisect_right(starts, found + len(needle) - 1) - 1
                flagged.update(range(first, last + 1))
                found = joined.find(needle, found + 1)
    return flagged


def unescaped_repr(text: str) -> str:
    """Text as a string's repr would have escaped it, unescaped (`\\n` back to a line break); as is if it cannot be."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # "invalid escape sequence": any backslash in the text
        try:
            return codecs.decode(text, "unicode_escape")
        except (UnicodeError, ValueError):
            return text


def _squeezed(text: str) -> str:
    return _WHITESPACE.sub("", text)


def _runs_in(frame: str, executions: set[str]) -> bool:
    """Whether a traceback frame shows code of one of the given cell executions, or of the judge's."""
    plain = _ANSI.sub("", frame)
    match = _CELL_FRAME.search(plain)
    return (bool(match) and match.group(1) in executions) or "<coursekit judge>" in plain or "<test cell>" in plain
