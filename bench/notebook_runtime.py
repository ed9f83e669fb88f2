"""How long the master notebook takes to grade: the number every student's submission costs.

Executes the master notebook (solutions and hidden tests) in a fresh python3 kernel, as
`nbgrader autograde` does, several times, and reports the wall time of each run from kernel
start to last cell; then times one real `nbgrader autograde` of the reference submission.

    python bench/notebook_runtime.py [--runs 5]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from nbclient import NotebookClient

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from coursekit import notebooks, synthetic  # noqa: E402
from coursekit.course import Course  # noqa: E402
from coursekit.tp1 import ASSIGNMENT  # noqa: E402

REPOSITORY = Course(REPO_ROOT)


def execute_master() -> float:
    master = notebooks.read(REPOSITORY.notebook(ASSIGNMENT, "source"))
    start = time.perf_counter()
    NotebookClient(master, timeout=120, kernel_name="python3", allow_errors=True).execute()
    return time.perf_counter() - start


def autograde_reference() -> float:
    with tempfile.TemporaryDirectory() as scratch:
        course = REPOSITORY.copy_to(Path(scratch))
        course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
        synthetic.write_class(course, ASSIGNMENT, [synthetic.Case.reference()], with_untouched_release=False)
        start = time.perf_counter()
        course.nbgrader("autograde", ASSIGNMENT, "--student", "reference")
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    times = [execute_master() for _ in range(runs)]
    print(f"master notebook, kernel start to last cell, {runs} runs: median {statistics.median(times):.2f} s "
          f"(min {min(times):.2f} s, max {max(times):.2f} s)")
    print(f"one `nbgrader autograde` of the reference submission, whole command: {autograde_reference():.2f} s")


if __name__ == "__main__":
    main()
