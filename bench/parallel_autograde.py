"""Parallel against sequential autograding of the same synthetic class, in one run.

Builds a class of --students submissions (the corpus's mistakes and correct alternatives, then the
reference, repeated as needed), grades one copy with plain `nbgrader autograde tp1` and another with
`coursekit autograde tp1`, checks that both gradebooks hold the same grades, and prints both times,
their ratio, and what one notebook costs (kernel start plus the notebook's own compute).

    python bench/parallel_autograde.py [--students 40]
"""
from __future__ import annotations

import argparse
import itertools
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from coursekit import grades, synthetic, tp1  # noqa: E402
from coursekit.grading_log import read_log  # noqa: E402
from coursekit.course import Course  # noqa: E402
from coursekit.tp1 import ASSIGNMENT  # noqa: E402

REPOSITORY = Course(REPO_ROOT)


def synthetic_class(folder: Path, size: int) -> Course:
    course = REPOSITORY.copy_to(folder)
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    cases = [synthetic.Case.reference(), *tp1.corpus_cases(REPOSITORY)]
    names = itertools.count()
    chosen = [synthetic.Case(f"{case.name}_{next(names)}", case.description, case.functions, case.loses_points_in)
              for case in itertools.islice(itertools.cycle(cases), size)]
    synthetic.write_class(course, ASSIGNMENT, chosen, with_untouched_release=False)
    return course


def timed(course: Course, command: str, *arguments: str) -> float:
    start = time.perf_counter()
    course.run(command, *arguments)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=40)
    size = parser.parse_args().students
    with tempfile.TemporaryDirectory() as scratch:
        sequential = synthetic_class(Path(scratch) / "sequential", size)
        parallel = Course(Path(scratch) / "parallel")
        shutil.copytree(sequential.root, parallel.root)
        print(f"{size} submissions, {os.cpu_count()} cores", flush=True)
        sequential_seconds = timed(sequential, "nbgrader", "autograde", ASSIGNMENT)
        print(f"nbgrader autograde (sequential): {sequential_seconds:6.1f} s, "
              f"{sequential_seconds / size:.2f} s per submission", flush=True)
        parallel_seconds = timed(parallel, "coursekit", "autograde", ASSIGNMENT)
        print(f"coursekit autograde (parallel):  {parallel_seconds:6.1f} s, "
              f"{parallel_seconds / size:.2f} s per submission", flush=True)
        executions = [outcome.seconds for outcome in read_log(parallel.root / "reports" / ASSIGNMENT /
                                                              "autograde_log.csv")]
        same = grades.gradebook_contents(sequential, ASSIGNMENT) == grades.gradebook_contents(parallel, ASSIGNMENT)
    print(f"speed-up: {sequential_seconds / parallel_seconds:.2f}x")
    print(f"one notebook's execution, kernel start included: median {statistics.median(executions):.2f} s")
    print(f"same grades in both gradebooks: {'yes' if same else 'NO'}")
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
