"""Reading feedback pages as a student does, and the lines of the hidden tests that must never appear in them."""
from __future__ import annotations

import html
import re
from pathlib import Path

from nbformat import NotebookNode

from coursekit import notebooks
from coursekit.preprocessors.hide_hidden_tests import unescaped_repr

_WHITESPACE = re.compile(r"\s+")


def page_text(path: Path) -> str:
    """A page as a reader sees it: tags removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text()))


def secret_lines(master: NotebookNode, release: NotebookNode) -> set[str]:
    """The distinctive lines of the master's hidden tests that students never see elsewhere: not in the
    release (visible tests, given code) nor in the reference solutions."""
    hidden = set()
    for cell in notebooks.test_cells(master).values():
        for region in cell.source.split("### BEGIN HIDDEN TESTS")[1:]:
            hidden |= {line.strip() for line in region.split("### END HIDDEN TESTS")[0].split("\n")
                       if len(line.strip()) > 25}
    seen = {line.strip() for cell in release.cells for line in cell.source.split("\n")}
    seen |= {line.strip() for source in notebooks.reference_solutions(master).values() for line in source.split("\n")}
    seen_squeezed = {_WHITESPACE.sub("", line) for line in seen}
    # A hidden line that lies within a line students see (`return x` in `return x, t`) is not a secret.
    return {line for line in hidden if not any(_WHITESPACE.sub("", line) in other for other in seen_squeezed)}


def leaked_lines(text: str, secrets: set[str]) -> set[str]:
    """The secret lines that a text holds on one of its lines, as printed, with other spacing, or escaped as in a
    string's repr (a printed list of sources)."""
    squeezed = {secret: _WHITESPACE.sub("", secret) for secret in secrets}
    leaked = set()
    for line in text.split("\n"):
        forms = [_WHITESPACE.sub("", line), _WHITESPACE.sub("", unescaped_repr(line))]
        leaked |= {secret for secret, form in squeezed.items() if any(form in candidate for candidate in forms)}
    return leaked
