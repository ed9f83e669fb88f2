"""Which cells of a notebook the judge runs, and what the visible part of a test cell shares with the kernel."""
from __future__ import annotations

import symtable

from nbformat import NotebookNode

from .. import notebooks
from .hidden import HIDDEN


def is_test(cell: NotebookNode) -> bool:
    """A test cell: the judge runs it, the kernel never sees it."""
    return cell.cell_type == "code" and notebooks.is_test_cell(cell)


def is_read_only(cell: NotebookNode) -> bool:
    """A read-only code cell that is not a test (the test helpers): run in the kernel and by the judge."""
    metadata = notebooks.nbgrader_metadata(cell)
    return (cell.cell_type == "code" and bool(metadata.get("locked")) and not metadata.get("solution")
            and not metadata.get("grade"))


def shared_names(source: str) -> set[str]:
    """The names a test cell's visible part defines, which the student's later cells may use, as in their own
    notebook: those its hidden part does not define too (their values would then be the hidden part's)."""
    hidden = "\n".join(match.group(0) for match in HIDDEN.finditer(source))
    return _defined(HIDDEN.sub("", source)) - _defined(hidden, unreadable={"*"})


def judge_names(cells: list[NotebookNode]) -> set[str]:
    """The names the judged cells define for the judge alone: the judge never looks them up in the kernel, even
    before the cell that defines them ran (or if its run failed), so that a student's function of the same name
    cannot stand in for a test helper or a reference."""
    names = set()
    for cell in cells:
        if is_test(cell):
            names |= _defined(cell.source) - shared_names(cell.source)
        elif is_read_only(cell):
            names |= _defined(cell.source)
    return names


def _defined(source: str, unreadable=frozenset()) -> set[str]:
    """The names a piece of code binds at its top level; `unreadable` if it is not Python."""
    try:
        table = symtable.symtable(source, "<cell>", "exec")
    except SyntaxError:
        return set(unreadable)
    return {symbol.get_name() for symbol in table.get_symbols() if symbol.is_assigned() or symbol.is_imported()}

