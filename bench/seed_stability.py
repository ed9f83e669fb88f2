"""Seed stability of the hidden tests: the reference solution must pass them whatever the seeds.

Runs the master notebook (solutions and hidden tests) in-process once per seed offset, with every
seed literal of its code cells, `default_rng(<n>)` and `seed=<n>`, shifted by the offset: the
seeds of the hidden tests' data and those the students' code uses alike. Reports, for every test
cell, how many runs gave it its full points, and for every statistical threshold the worst value
measured against its limit (the margin).

    python bench/seed_stability.py [--seeds 1000] [--workers 2]

Exits 1 if the reference lost a point for any seed.
"""
from __future__ import annotations

import argparse
import ast
import contextlib
import io
import os
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from coursekit import notebooks  # noqa: E402
from coursekit.course import REPO_ROOT, Course  # noqa: E402

SEED_LITERAL = re.compile(r"(default_rng\(|seed=)(\d+)")


def shifted(source: str, offset: int) -> str:
    return SEED_LITERAL.sub(lambda match: f"{match.group(1)}{int(match.group(2)) + offset}", source)


def run_cell(source: str, namespace: dict) -> tuple[bool, object]:
    """Execute a cell as a kernel would: (whether it ran without error or stderr output, its last expression)."""
    module = ast.parse(source)
    last = module.body.pop() if module.body and isinstance(module.body[-1], ast.Expr) else None
    stderr = io.StringIO()
    try:
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            exec(compile(module, "<cell>", "exec"), namespace)
            value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace) if last else None
    except Exception:  # a failing test cell is what we count
        return False, None
    return not stderr.getvalue(), value


def run_notebook(offset: int) -> dict:
    """Scores of every test cell, and the hidden tests' worst measurements, for one seed offset."""
    import matplotlib.pyplot as plt

    master = notebooks.read(Course(REPO_ROOT).notebook("source"))
    namespace: dict = {"__name__": "__main__"}
    scores = {}
    for cell in master.cells:
        if cell.cell_type != "code":
            continue
        ran, value = run_cell(shifted(cell.source, offset), namespace)
        metadata = notebooks.nbgrader_metadata(cell)
        if metadata.get("grade"):
            points = metadata["points"]
            scores[metadata["grade_id"]] = (float(value) if isinstance(value, (int, float)) else points) if ran else 0.0
        plt.close("all")
    return {"scores": scores, "worst": dict(namespace["HiddenReference"].worst)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=1000, help="number of seed offsets to try (default 1000)")
    parser.add_argument("--workers", type=int, default=os.cpu_count(), help="processes (default: all cores)")
    arguments = parser.parse_args()

    master = notebooks.read(Course(REPO_ROOT).notebook("source"))
    points = {cell_id: cell.metadata.nbgrader.points for cell_id, cell in notebooks.test_cells(master).items()}
    offsets = [1000 * index for index in range(arguments.seeds)]
    start = time.perf_counter()
    with ProcessPoolExecutor(arguments.workers) as pool:
        results = list(pool.map(run_notebook, offsets, chunksize=10))
    elapsed = time.perf_counter() - start

    print(f"Reference solution over {len(offsets)} seed offsets ({elapsed:.0f} s, {arguments.workers} workers)")
    print(f"{'test cell':<30} {'full points':>12} {'lowest score':>13}")
    failures = 0
    for cell_id, maximum in points.items():
        cell_scores = [result["scores"][cell_id] for result in results]
        full = sum(score == maximum for score in cell_scores)
        failures += len(cell_scores) - full
        print(f"{cell_id:<30} {full:>7}/{len(cell_scores):<4} {min(cell_scores):>8g}/{maximum:g}")
    print()
    print(f"{'threshold of a hidden test':<52} {'worst value':>12} {'limit':>10}")
    for name in results[0]["worst"]:
        values = [result["worst"][name][0] for result in results if name in result["worst"]]
        _, limit, at_least = results[0]["worst"][name]
        worst = min(values) if at_least else max(values)
        print(f"{name:<52} {worst:>12.4g} {('>= ' if at_least else '< ') + format(limit, 'g'):>10}")
    print()
    print("PASS: the reference earns full points for every seed" if failures == 0
          else f"FAIL: the reference lost points in {failures} cell runs")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
