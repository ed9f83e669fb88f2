"""Synthetic submissions: the release notebook with its solution cells filled in, as a student would.

A case is a small Python file whose top-level functions replace the reference solution of the
solution cell of the same name (the cell's grade id); every other solution cell gets the master
notebook's reference solution. So a case is a few lines, and follows the notebook when it changes.
Its docstring says what it is; `LOSES_POINTS_IN` lists the test cells that must give it less than
their full points (empty: the case must earn the full autograded maximum); a mistake's
`FEEDBACK_MENTIONS` maps the test cell that concerns it to words its feedback must show.
"""
from __future__ import annotations

import ast
import copy
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from . import notebooks
from .course import Course

UNTOUCHED_RELEASE = "untouched_release"


class CaseError(ValueError):
    """A case file that cannot be turned into a submission; the message names the file."""


@dataclass(frozen=True)
class Case:
    name: str
    description: str
    functions: dict[str, str]
    loses_points_in: frozenset[str]
    feedback_mentions: dict[str, str] = field(default_factory=dict)

    @classmethod
    def reference(cls) -> Case:
        return cls("reference", "The master notebook's own solution.", {}, frozenset())

    @classmethod
    def from_file(cls, path: Path) -> Case:
        source = path.read_text()
        try:
            module = ast.parse(source, filename=str(path))
        except SyntaxError as error:
            raise CaseError(f"{path}: not valid Python ({error})") from error
        functions: dict[str, str] = {}
        constants: dict[str, object] = {}
        for statement in module.body:
            if isinstance(statement, ast.FunctionDef):
                functions[statement.name] = ast.get_source_segment(source, statement, padded=True)
            elif any(_assigns(statement, name) for name in _CONSTANTS):
                constants[statement.targets[0].id] = ast.literal_eval(statement.value)
            elif not _is_docstring(statement, module):
                raise CaseError(f"{path}, line {statement.lineno}: a case holds only functions, "
                                f"its docstring and {' and '.join(_CONSTANTS)}")
        if "LOSES_POINTS_IN" not in constants:
            raise CaseError(f"{path}: LOSES_POINTS_IN is missing (an empty list for a correct case)")
        loses_points_in = frozenset(constants["LOSES_POINTS_IN"])
        feedback_mentions = constants.get("FEEDBACK_MENTIONS", {})
        if not set(feedback_mentions) <= loses_points_in:
            raise CaseError(f"{path}: FEEDBACK_MENTIONS names cells that are not in LOSES_POINTS_IN")
        return cls(path.stem, ast.get_docstring(module) or "", functions, loses_points_in, feedback_mentions)

    def solutions(self, master: NotebookNode) -> dict[str, str]:
        """The source of every solution cell for this case: the reference, with this case's functions in place."""
        solutions = notebooks.reference_solutions(master)
        unknown = sorted(set(self.functions) - set(solutions))
        if unknown:
            raise CaseError(f"case {self.name}: {', '.join(unknown)} is not a solution cell of the notebook "
                            f"(cells: {', '.join(sorted(solutions))})")
        return {**solutions, **self.functions}


_CONSTANTS = ("LOSES_POINTS_IN", "FEEDBACK_MENTIONS")


def _assigns(statement: ast.stmt, name: str) -> bool:
    return (isinstance(statement, ast.Assign) and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name) and statement.targets[0].id == name)


def _is_docstring(statement: ast.stmt, module: ast.Module) -> bool:
    return (statement is module.body[0] and isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Constant) and isinstance(statement.value.value, str))


def corpus_cases(folder: Path) -> list[Case]:
    """Every case of a corpus folder (recursively), sorted by name, which is the student id it is graded under."""
    paths = sorted(folder.rglob("*.py"), key=lambda path: path.stem)
    for first, second in zip(paths, paths[1:]):
        if first.stem == second.stem:
            raise CaseError(f"{first} and {second}: two cases named {first.stem} (the name is the student id)")
    return [Case.from_file(path) for path in paths]


def fill(release: NotebookNode, solutions: dict[str, str]) -> NotebookNode:
    """A copy of the release notebook with the given solution cells' sources replaced."""
    submission = copy.deepcopy(release)
    for cell_id, cell in notebooks.solution_cells(submission).items():
        if cell_id in solutions:
            cell.source = solutions[cell_id]
    return submission


def submissions(course: Course, assignment: str, cases: list[Case], *, with_untouched_release: bool = True,
                own_code_only: bool = False) -> dict[str, NotebookNode]:
    """One submission per case, by student id (the case's name), and the untouched release if asked, for an
    assignment of one notebook. With `own_code_only`, the cells a case does not write are left as released rather
    than given the reference's solution (for the similarity report's tests, where the reference's code in every
    case would make them all alike)."""
    master = notebooks.read(course.notebook(assignment, "source"))
    release = notebooks.read(course.notebook(assignment, "release"))
    notebooks_by_student = {case.name: fill(release, _filled_cells(case, master, own_code_only)) for case in cases}
    if with_untouched_release:
        notebooks_by_student[UNTOUCHED_RELEASE] = release
    return notebooks_by_student


def _filled_cells(case: Case, master: NotebookNode, own_code_only: bool) -> dict[str, str]:
    solutions = case.solutions(master)
    return {cell_id: solutions[cell_id] for cell_id in case.functions} if own_code_only else solutions


def write_class(course: Course, assignment: str, cases: list[Case], *, with_untouched_release: bool = True,
                own_code_only: bool = False) -> list[str]:
    """Write one submission per case (and the untouched release) into the course's submitted/ folder; see
    `submissions` for `own_code_only`.

    Returns the student ids, which are the case names (and `untouched_release`).
    """
    by_student = submissions(course, assignment, cases, with_untouched_release=with_untouched_release,
                             own_code_only=own_code_only)
    for student, notebook in by_student.items():
        path = course.notebook(assignment, "submitted", student)
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, path)
    return list(by_student)

