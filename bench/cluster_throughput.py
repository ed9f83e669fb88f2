"""Throughput of `coursekit autograde` against the number of workers: the thread pool on this machine, and a Dask
cluster of 1 and 2 worker processes (one thread each) started on the loopback, on copies of the same class.

Prints each run's time per submission, checks that every run leaves the same gradebook, compares the cluster
with the thread pool at the same number of notebooks at once (the cluster's overhead per submission), and
projects the time for 10,000 submissions on N machines from the measured costs: each notebook's execution,
kernel start included (one core each, on the workers), and nbgrader's steps around it in the instructor's
process (one submission after another, whatever the cluster's size).

    python bench/cluster_throughput.py [--students 24] [--runs 1]
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from parallel_autograde import REPO_ROOT, synthetic_class  # bench/parallel_autograde.py

sys.path.insert(0, str(REPO_ROOT / "tests"))

from coursekit import grades  # noqa: E402
from coursekit.apps.autograde_app import read_log  # noqa: E402
from coursekit.course import Course  # noqa: E402
from coursekit.tp1 import ASSIGNMENT  # noqa: E402
from dask_cluster import Cluster  # noqa: E402  (tests/dask_cluster.py: a scheduler and workers as processes)

STEPS = re.compile(r"nbgrader's steps in this process .*: ([0-9.]+) s per submission")
PROJECTED = 10_000


def graded(course: Course, *options: str) -> tuple[float, float, list[float]]:
    """Grade the class; return the wall time, nbgrader's steps per submission, and each notebook's execution."""
    start = time.perf_counter()
    output = course.coursekit("autograde", ASSIGNMENT, *options)
    seconds = time.perf_counter() - start
    executions = [outcome.seconds for outcome in read_log(course.root / "reports" / ASSIGNMENT / "autograde_log.csv")]
    return seconds, float(STEPS.search(output).group(1)), executions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=24)
    parser.add_argument("--runs", type=int, default=1, help="runs of each setting; the median is kept")
    arguments = parser.parse_args()
    size = arguments.students
    print(f"{size} submissions, {os.cpu_count()} cores, {arguments.runs} run(s) of each setting", flush=True)
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        original = synthetic_class(scratch / "class", size)
        settings = {"thread pool, 1 thread": (1, None), "Dask, 1 worker process": (1, 1),
                    "thread pool, 2 threads": (2, None), "Dask, 2 worker processes": (2, 2)}
        times = {name: [] for name in settings}
        steps, executions, gradebooks = [], {name: [] for name in settings}, []
        for run in range(arguments.runs):  # the settings in turn, run after run: a machine's drift hits them all
            for number, (name, (concurrency, processes)) in enumerate(settings.items()):
                course = Course(scratch / f"course-{number}-{run}")
                shutil.copytree(original.root, course.root)
                if processes is None:
                    wall, step, executed = graded(course, f"--workers={concurrency}")
                else:
                    cluster = Cluster(scratch / f"cluster-{number}-{run}").start(workers=processes)
                    try:
                        wall, step, executed = graded(course, f"--scheduler={cluster.address}")
                    finally:
                        cluster.stop()
                times[name].append(wall)
                steps.append(step)
                executions[name] += executed
                gradebooks.append(grades.gradebook_contents(course, ASSIGNMENT))
                print(f"run {run + 1}, {name:26} {wall:7.1f} s", flush=True)
    seconds = {name: statistics.median(values) for name, values in times.items()}
    for name in settings:
        print(f"{name:26} {seconds[name]:7.1f} s (median), {seconds[name] / size:.2f} s per submission "
              f"(a notebook's execution: median {statistics.median(executions[name]):.2f} s)")
    same = all(gradebook == gradebooks[0] for gradebook in gradebooks)
    for threads in (1, 2):
        pool = seconds[f"thread pool, {threads} thread{'s' * (threads > 1)}"]
        cluster = seconds[f"Dask, {threads} worker process{'es' * (threads > 1)}"]
        print(f"cluster against thread pool, {threads} at once: {100 * (cluster / pool - 1):+.1f} % per submission")
    execution = statistics.median(executions["thread pool, 1 thread"] + executions["Dask, 1 worker process"])
    step = statistics.median(steps)
    print(f"one notebook's execution, kernel start included, alone on a core: median {execution:.2f} s")
    print(f"nbgrader's steps in the instructor's process: median {step:.2f} s per submission (one at a time)")
    print(f"projection for {PROJECTED} submissions, workers with one thread per core "
          "(the slower of the workers and the instructor's process):")
    for machines, cores in [(1, 2), (1, 16), (4, 16), (16, 16), (64, 16)]:
        hours = PROJECTED * max(execution / (machines * cores), step) / 3600
        print(f"  {machines:3} machine(s) of {cores:2} cores: {hours:5.2f} h")
    print(f"same grades in every gradebook: {'yes' if same else 'NO'}")
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
