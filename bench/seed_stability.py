"""Seed stability of the hidden tests: correct work must pass them whatever the seeds.

Runs the master notebook in-process once per seed offset (coursekit/inprocess.py), with every
seed literal of its code cells, `default_rng(<n>)` and `seed=<n>`, shifted by the offset: the
seeds of the hidden tests' data and those the students' code uses alike. Reports, for every test
cell, how many runs gave it its full points, and for every statistical threshold of the hidden
tests the worst value measured against its limit (the margin).

    python bench/seed_stability.py [--seeds 1000] [--case reference] [--workers 2]

`--case` takes `reference` (the default), the name of a case of tests/corpus/, or `correct`
for all the correct alternatives. Exits 1 if correct work lost a point for any seed.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from coursekit import inprocess, notebooks, synthetic, tp1  # noqa: E402
from coursekit.course import Course  # noqa: E402
from coursekit.tp1 import ASSIGNMENT  # noqa: E402

REPOSITORY = Course(REPO_ROOT)


def chosen_cases(name: str) -> list[synthetic.Case]:
    if name == "reference":
        return [synthetic.Case.reference()]
    cases = tp1.corpus_cases(REPOSITORY)
    if name == "correct":
        return [case for case in cases if not case.loses_points_in]
    return [case for case in cases if case.name == name] or sys.exit(f"no case named {name} in tests/corpus/")


def report(case: synthetic.Case, runs: list[inprocess.Run], points: dict[str, float]) -> int:
    """Print one case's table; return the number of cell runs that lost points."""
    print(f"{'test cell':<30} {'full points':>12} {'lowest score':>13}")
    failures = 0
    for cell_id, maximum in points.items():
        scores = [run.scores[cell_id] for run in runs]
        full = sum(score == maximum for score in scores)
        failures += len(scores) - full
        print(f"{cell_id:<30} {full:>7}/{len(scores):<4} {min(scores):>8g}/{maximum:g}")
    print()
    print(f"{'threshold of a hidden test':<52} {'worst value':>12} {'limit':>10}")
    for name, (_, limit, at_least) in runs[0].worst.items():
        values = [run.worst[name][0] for run in runs if name in run.worst]
        worst = min(values) if at_least else max(values)
        print(f"{name:<52} {worst:>12.4g} {('>= ' if at_least else '< ') + format(limit, 'g'):>10}")
    print()
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=1000, help="number of seed offsets to try (default 1000)")
    parser.add_argument("--case", default="reference", help="reference, correct, or a case name (default reference)")
    parser.add_argument("--workers", type=int, default=os.cpu_count(), help="processes (default: all cores)")
    arguments = parser.parse_args()

    master = notebooks.read(REPOSITORY.notebook(ASSIGNMENT, "source"))
    points = notebooks.test_points(master)
    offsets = inprocess.seed_offsets(arguments.seeds)
    failures = 0
    for case in chosen_cases(arguments.case):
        start = time.perf_counter()
        runs = inprocess.sweep(master, case, offsets, arguments.workers)
        print(f"{case.name} over {len(offsets)} seed offsets ({time.perf_counter() - start:.0f} s, "
              f"{arguments.workers} workers)")
        failures += report(case, runs, points)
    print("PASS: full points for every seed" if failures == 0 else f"FAIL: points lost in {failures} cell runs")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
