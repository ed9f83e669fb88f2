"""What the judge costs: grading time per submission against the guard it replaced, and the boundary's share.

Builds one class of --students synthetic submissions (the corpus's mistakes and correct alternatives, then the
reference, repeated as needed) twice: in a course of this tree, and in a course of the baseline revision (by
default the last one with the in-kernel guard), extracted with `git archive`. Grades both with plain
`nbgrader autograde`, one notebook at a time, alternating the two --runs times, and prints each run, the medians
per submission, their ratio, the median of each run's own ratio (steadier on a machine whose speed drifts), and
whether both gradebooks hold the same grades. Then measures the boundary: the
round trips across it when the reference is graded (requests and callbacks), and the cost of one round trip, from
a test cell that calls a student's function on a 3 x 3 array --calls times, against the same cell calling it
once.

    python bench/judge_boundary.py [--students 12] [--runs 3] [--calls 2000] [--baseline REV]
"""
from __future__ import annotations

import argparse
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

import nbformat  # noqa: E402
from nbformat.v4 import new_code_cell, new_notebook  # noqa: E402

from coursekit import grades, notebooks, synthetic, tp1  # noqa: E402
from coursekit.course import Course  # noqa: E402
from coursekit.preprocessors import SafeExecute  # noqa: E402
from coursekit.tp1 import ASSIGNMENT  # noqa: E402


def baseline_revision() -> str:
    """The last revision with the in-kernel guard: the parent of the commit that removed kernel_guard.py."""
    removed = subprocess.run(["git", "rev-list", "-1", "HEAD", "--", "coursekit/preprocessors/kernel_guard.py"],
                             cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout.strip()
    return f"{removed}^"


def extract(revision: str, folder: Path) -> Path:
    folder.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", revision], cwd=REPO_ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def synthetic_class(tree: Path, folder: Path, size: int, environment: dict) -> Course:
    course = Course(tree).copy_to(folder)
    subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", ASSIGNMENT, "--force"], cwd=course.root,
                   env=environment, check=True, capture_output=True)
    cases = [synthetic.Case.reference(), *tp1.corpus_cases(Course(REPO_ROOT))]
    names = itertools.count()
    chosen = [synthetic.Case(f"{case.name}_{next(names)}", case.description, case.functions, case.loses_points_in)
              for case in itertools.islice(itertools.cycle(cases), size)]
    synthetic.write_class(course, ASSIGNMENT, chosen, with_untouched_release=False)
    return course


def timed_autograde(course: Course, environment: dict) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT, "--force"], cwd=course.root,
                   env=environment, check=True, capture_output=True)
    return time.perf_counter() - start


def judged_seconds(notebook, folder: Path) -> tuple[float, int]:
    executor = SafeExecute(timeout=600)
    start = time.perf_counter()
    executor.preprocess(nbformat.from_dict(notebook), {"metadata": {"path": str(folder)}})
    return time.perf_counter() - start, executor.crossings


def calls_notebook(calls: int):
    test = new_code_cell(f"X = np.ones((3, 3))\nfor _ in range({calls}):\n    identity(X)")
    test.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "points": 1,
                                 "grade_id": "test_calls", "schema_version": 3}
    return new_notebook(cells=[new_code_cell("import numpy as np\n\ndef identity(X):\n    return X"), test])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=12)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--baseline", default=None, help="a git revision (default: the last with the guard)")
    options = parser.parse_args()
    baseline = options.baseline or baseline_revision()
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        old_tree = extract(baseline, scratch / "baseline-tree")
        # nbgrader runs `alembic` from PATH when it creates a gradebook: this environment's bin/ first.
        judge = {**os.environ, "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])}
        guard = {**judge, "PYTHONPATH": os.pathsep.join(filter(None, [str(old_tree), os.environ.get("PYTHONPATH")]))}
        environments = {"judge": judge, "guard": guard}
        courses = {"judge": synthetic_class(REPO_ROOT, scratch / "judge", options.students, environments["judge"]),
                   "guard": synthetic_class(old_tree, scratch / "guard", options.students, environments["guard"])}
        print(f"{options.students} submissions, {os.cpu_count()} cores, baseline {baseline}", flush=True)
        seconds = {label: [] for label in courses}
        for run in range(options.runs):
            for label in (["guard", "judge"] if run % 2 == 0 else ["judge", "guard"]):
                seconds[label].append(timed_autograde(courses[label], environments[label]) / options.students)
                print(f"run {run + 1}, {label}: {seconds[label][-1]:.2f} s per submission", flush=True)
        median = {label: statistics.median(values) for label, values in seconds.items()}
        # Each run grades both classes back to back: the ratio within a run does not drift with the machine's load.
        paired = statistics.median(judge / guard for judge, guard in zip(seconds["judge"], seconds["guard"]))
        same = grades.gradebook_contents(courses["guard"], ASSIGNMENT) == grades.gradebook_contents(courses["judge"],
                                                                                                   ASSIGNMENT)
        print(f"median per submission: guard {median['guard']:.2f} s, judge {median['judge']:.2f} s "
              f"({100 * (median['judge'] / median['guard'] - 1):+.1f} %); median of the runs' ratios "
              f"{100 * (paired - 1):+.1f} %")
        print(f"same grades in both gradebooks: {'yes' if same else 'NO'}")

        master = notebooks.read(REPO_ROOT / "source" / ASSIGNMENT / tp1.NOTEBOOK_FILE)
        _, crossings = judged_seconds(master, scratch)
        many, _ = judged_seconds(calls_notebook(options.calls), scratch)
        one, _ = judged_seconds(calls_notebook(1), scratch)
        per_call = (many - one) / (options.calls - 1)
        print(f"the reference crosses the boundary {crossings} times (requests and callbacks); one round trip "
              f"with a 3 x 3 array costs {1e6 * per_call:.0f} us: {crossings * per_call:.2f} s per submission")
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
