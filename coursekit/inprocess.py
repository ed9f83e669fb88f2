"""Running the master notebook's code in this Python process, as a kernel would, with other seeds or solutions.

A kernel costs a second to start; the seed sweeps run the notebook thousands of times, so they
execute its code cells here instead, counting what nbgrader counts: a test cell earns its points
if it raises nothing and writes nothing to stderr, or the number its last expression gives
(partial credit). Used by the benchmarks and the fairness report, never by grading itself.
"""
from __future__ import annotations

import ast
import contextlib
import io
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial

from nbformat import NotebookNode

from . import notebooks
from .synthetic import Case

_SEED_LITERAL = re.compile(r"(default_rng\(|seed=)(\d+)")


def with_seeds_shifted(source: str, offset: int) -> str:
    """The source with every seed literal, `default_rng(<n>)` and `seed=<n>`, shifted by offset."""
    return _SEED_LITERAL.sub(lambda match: f"{match.group(1)}{int(match.group(2)) + offset}", source)


@dataclass(frozen=True)
class Run:
    scores: dict[str, float]  # test cell -> points earned
    feedback: dict[str, str]  # test cell -> what it printed, and its error's message
    worst: dict[str, tuple]  # threshold name -> (worst value, limit, at_least), from the hidden tests


@dataclass(frozen=True)
class CellResult:
    passed: bool  # raised nothing and wrote nothing to stderr
    value: object  # the value of the last expression, if the cell ends with one
    feedback: str


def run_cell(source: str, namespace: dict) -> CellResult:
    """Execute a cell in the namespace, as a kernel would."""
    module = ast.parse(source)
    last = module.body.pop() if module.body and isinstance(module.body[-1], ast.Expr) else None
    stderr, stdout = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(stdout):
            exec(compile(module, "<cell>", "exec"), namespace)
            value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace) if last else None
    except Exception as error:  # a failing cell is an outcome to count, whatever it raised
        return CellResult(False, None, stdout.getvalue() + str(error))
    return CellResult(not stderr.getvalue(), value, stdout.getvalue())


def run_master(master: NotebookNode, case: Case, seed_offset: int = 0) -> Run:
    """Run the master notebook with the case's solutions in its solution cells and its seeds shifted."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    import matplotlib.pyplot as plt

    solutions = case.solutions(master)
    ungraded = notebooks.ungraded_exercises(master)
    namespace: dict = {"__name__": "__main__"}
    scores, feedback = {}, {}
    for cell in master.cells:
        # The ungraded exercises (plots, experiments) grade nothing and no test cell reads what they compute: the
        # sweeps skip them, two thirds of a run's time.
        if cell.cell_type != "code" or notebooks.grade_id(cell) in ungraded:
            continue
        metadata = notebooks.nbgrader_metadata(cell)
        source = solutions.get(metadata.get("grade_id"), cell.source)
        result = run_cell(with_seeds_shifted(source, seed_offset), namespace)
        if metadata.get("grade"):
            partial = float(result.value) if isinstance(result.value, (int, float)) else metadata["points"]
            scores[metadata["grade_id"]] = partial if result.passed else 0.0
            feedback[metadata["grade_id"]] = result.feedback
        plt.close("all")
    reference = namespace.get("HiddenReference")
    return Run(scores, feedback, dict(reference.worst) if reference else {})


def sweep(master: NotebookNode, case: Case, offsets: list[int], workers: int | None = None) -> list[Run]:
    """run_master for each seed offset, spread over processes (all cores by default)."""
    with ProcessPoolExecutor(workers or os.cpu_count()) as pool:
        return list(pool.map(partial(run_master, master, case), offsets, chunksize=max(1, len(offsets) // 20)))


def seed_offsets(count: int) -> list[int]:
    """The seed offsets the sweeps use: 0, 1000, 2000, ... (0 is the notebook as written)."""
    return [1000 * index for index in range(count)]
