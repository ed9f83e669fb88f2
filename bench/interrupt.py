"""How long `coursekit autograde` takes to stop on Ctrl-C, in the middle of a batch.

Builds a class of --students copies of the reference solution, starts `coursekit autograde tp1 --workers=2` on it,
sends SIGINT once the first submission is finished (kernels then run the next ones), and times the batch's exit;
then checks that no kernel is left and that a plain rerun grades the others. Repeats --runs times.

    python bench/interrupt.py --students 8 --runs 3
"""
from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from coursekit import synthetic  # noqa: E402
from coursekit.converters.parallel_autograde import unfinished_marker  # noqa: E402
from coursekit.course import Course  # noqa: E402
from coursekit.tp1 import ASSIGNMENT  # noqa: E402

REPOSITORY = Course(REPO_ROOT)


def finished(course: Course) -> list[str]:
    return [student for student in course.students(ASSIGNMENT, "autograded")
            if not unfinished_marker(course.folder(ASSIGNMENT, "autograded", student)).exists()]


def one_run(folder: Path, students: int) -> tuple[float, int]:
    """The seconds from SIGINT to the batch's exit, and the kernels left running after it."""
    course = REPOSITORY.copy_to(folder)
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    reference = synthetic.Case.reference()
    synthetic.write_class(course, ASSIGNMENT, [synthetic.Case(f"student_{index:02d}", "", reference.functions,
                                                              frozenset()) for index in range(students)],
                          with_untouched_release=False)
    bin_dir = Path(sys.executable).parent
    batch = subprocess.Popen([str(bin_dir / "coursekit"), "autograde", ASSIGNMENT, "--workers=2"], cwd=course.root,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"})
    while not finished(course):
        if batch.poll() is not None:
            sys.exit("the batch ended before its first submission was finished: use more --students")
        time.sleep(0.1)
    started = psutil.Process(batch.pid).children(recursive=True)
    asked = time.perf_counter()
    batch.send_signal(signal.SIGINT)
    batch.wait()
    seconds = time.perf_counter() - asked
    left = [process for process in started if process.is_running() and process.status() != psutil.STATUS_ZOMBIE]
    graded_before = len(finished(course))
    course.coursekit("autograde", ASSIGNMENT)
    assert len(finished(course)) == students, "the rerun did not grade every student"
    print(f"stopped in {seconds:.2f} s (exit status {batch.returncode}), {len(left)} processes left, "
          f"{graded_before} of {students} graded before the interrupt, the rest by the rerun", flush=True)
    return seconds, len(left)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=8)
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        for run in range(arguments.runs):
            results.append(one_run(Path(scratch) / f"run{run}", arguments.students))
    seconds = [result[0] for result in results]
    print(f"Ctrl-C to exit: median {statistics.median(seconds):.2f} s, worst {max(seconds):.2f} s over "
          f"{len(seconds)} runs; processes left: {sum(result[1] for result in results)}")


if __name__ == "__main__":
    main()
