"""Feedback that shows each test's result and message, but never the hidden tests' code.

nbgrader's feedback shows the autograded notebook as it ran, so the hidden tests appear in the
test cells and in the tracebacks of the tests that failed (nbgrader issues #917, #1363), which
spoils them for next year's students. Run in `nbgrader generate_feedback` (nbgrader_config.py),
this preprocessor replaces each hidden region of a test cell by a one-line note and drops, from
every traceback, the frames of code that lives in test cells; the student still sees the error, its message, and
the frames of their own code.

Whatever the student's code printed is scrubbed as well: a line of any output that holds a line of the
master notebook's hidden tests (the lines that appear nowhere else in the master) is replaced by a
note, be it printed as is, in a list's repr, in HTML or spread with other whitespace. Text the student's code encoded (base64, one character a line, an
image) is beyond what a scrub can recognise: the judge keeps the tests' source out of the student's kernel
(coursekit/judge/), so their code never has it to print; the scrub is a second line.
"""
from __future__ import annotations

import codecs
import functools
import html
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
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                if output.output_type == "error":  # a student's cell can fail through a test's code
                    output.traceback = [self.scrubbed(frame, secrets) for frame in output.traceback
                                        if not _runs_in(frame, test_runs)]
                    output.evalue = self.scrubbed(output.get("evalue", ""), secrets)
                    output.ename = self.scrubbed(output.get("ename", ""), secrets)
                if "text" in output:
                    output.text = self.scrubbed(output.text, secrets)
                for mime, value in output.get("data", {}).items():
                    if isinstance(value, str) and not mime.startswith("image/png"):
                        output.data[mime] = self.scrubbed(value, secrets)
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
        if not secrets:
            return text
        return "\n".join(self.scrubbed_note if _holds_one_of(line, secrets) else line for line in text.split("\n"))


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


def _holds_one_of(line: str, secrets: frozenset[str]) -> bool:
    """Whether a line holds a secret as printed, escaped in a repr, or in HTML (tags and entities), once
    invisible characters (zero-width spaces, ...) are dropped and look-alike characters folded (NFKC)."""
    plain = _INVISIBLE.sub("", unicodedata.normalize("NFKC", _ANSI.sub("", line)))
    plain = _TAG.sub("", plain) + "\n" + plain
    unescaped = unescaped_repr(plain)
    forms = {_squeezed(plain), _squeezed(html.unescape(plain)), _squeezed(unescaped)}
    return any(secret in form for form in forms for secret in secrets)


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
