"""Throughput of `coursekit autograde` against the number of workers: the thread pool on this machine, and a Dask
cluster started on the loopback, of 1 and 2 worker processes of one thread each, and of one worker process of two
threads (one process per machine, a thread per core, as docs/cluster-and-postgresql.md says to start workers), on
copies of one class.

Each setting grades classes of the given sizes, the settings in turn, run after run (a machine's drift then
hits them all), and every run must leave the same grades. With two sizes, a setting's cost per submission is
the slope of its time against the class's size, apart from what a batch pays once (start-up, connecting to the
cluster, the last notebooks finishing while other workers idle): the cluster's overhead per submission is its
slope against the thread pool's at the same number of notebooks at once. Last, the time for 10,000 submissions
on N machines is projected from the measured costs: each notebook's execution, kernel start included (a core
each, on the workers), and nbgrader's steps around it in the instructor's process (one submission after
another, whatever the cluster's size).

    python bench/cluster_throughput.py [--students 12 36] [--runs 2] [--at-once 1 2]
"""
from __future__ import annotations

import argparse
import itertools
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
from coursekit.grading_log import read_log  # noqa: E402
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


SETTINGS = {  # name: (notebooks at once, worker processes, threads each); no worker process: the thread pool
    "thread pool, 1 thread": (1, 0, 0), "Dask, 1 worker process": (1, 1, 1),
    "thread pool, 2 threads": (2, 0, 0), "Dask, 2 worker processes": (2, 2, 1), "Dask, 1 process 2 threads": (2, 1, 2),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, nargs="+", default=[12, 36], help="class sizes")
    parser.add_argument("--runs", type=int, default=2, help="runs of each setting and size; the median is kept")
    parser.add_argument("--at-once", type=int, nargs="+", default=[1, 2], help="settings with so many notebooks at once")
    arguments = parser.parse_args()
    settings = {name: setting for name, setting in SETTINGS.items() if setting[0] in arguments.at_once}
    sizes = sorted(set(arguments.students))
    print(f"classes of {sizes} submissions, {os.cpu_count()} cores, {arguments.runs} run(s) of each", flush=True)
    times = {(name, size): [] for name in settings for size in sizes}
    executions = {name: [] for name in settings}
    steps, gradebooks = [], {size: [] for size in sizes}
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        originals = {size: synthetic_class(scratch / f"class-{size}", size) for size in sizes}
        for run, size, (number, (name, (at_once, processes, threads))) in itertools.product(
                range(arguments.runs), sizes, enumerate(settings.items())):
            course = Course(scratch / f"course-{run}-{size}-{number}")
            shutil.copytree(originals[size].root, course.root)
            if not processes:
                wall, step, executed = graded(course, f"--workers={at_once}")
            else:
                cluster = Cluster(scratch / f"cluster-{run}-{size}-{number}").start(workers=processes, threads=threads)
                try:
                    wall, step, executed = graded(course, f"--scheduler={cluster.address}")
                finally:
                    cluster.stop()
            times[name, size].append(wall)
            executions[name] += executed
            steps.append(step)
            gradebooks[size].append(grades.gradebook_contents(course, ASSIGNMENT))
            shutil.rmtree(course.root)
            print(f"run {run + 1}, {size:3} submissions, {name:26} {wall:7.1f} s", flush=True)
    seconds = {key: statistics.median(values) for key, values in times.items()}
    print()
    for name in settings:
        print(f"{name:26} " + ", ".join(f"{size}: {seconds[name, size]:6.1f} s" for size in sizes)
              + f" (a notebook's execution: median {statistics.median(executions[name]):.2f} s)")
    per_submission = {name: seconds[name, sizes[-1]] / sizes[-1] for name in settings}
    if len(sizes) > 1:  # the slope, apart from what each batch pays once
        per_submission = {name: (seconds[name, sizes[-1]] - seconds[name, sizes[0]]) / (sizes[-1] - sizes[0])
                          for name in settings}
        print("each batch's fixed cost: " + ", ".join(
            f"{name} {seconds[name, sizes[0]] - per_submission[name] * sizes[0]:.1f} s" for name in settings))
    print("per submission: " + ", ".join(f"{name} {per_submission[name]:.2f} s" for name in settings))
    pool = {at_once: per_submission[name] for name, (at_once, processes, _) in settings.items() if not processes}
    for name, (at_once, processes, _) in settings.items():
        if processes and at_once in pool:
            print(f"{name} against the thread pool, {at_once} at once: "
                  f"{100 * (per_submission[name] / pool[at_once] - 1):+.1f} % per submission")
    alone = [seconds for name, (at_once, _, _) in settings.items() if at_once == 1 for seconds in executions[name]]
    execution = statistics.median(alone or [seconds for values in executions.values() for seconds in values])
    step = statistics.median(steps)
    print(f"one notebook's execution, kernel start included: median {execution:.2f} s")
    print(f"nbgrader's steps in the instructor's process: median {step:.2f} s per submission (one at a time)")
    print(f"projection for {PROJECTED} submissions, workers with one thread per core "
          "(the slower of the workers and the instructor's process):")
    for machines, cores in [(1, 2), (1, 16), (4, 16), (16, 16), (64, 16)]:
        hours = PROJECTED * max(execution / (machines * cores), step) / 3600
        print(f"  {machines:3} machine(s) of {cores:2} cores: {hours:5.2f} h")
    same = all(gradebook == graded_sizes[0] for graded_sizes in gradebooks.values() for gradebook in graded_sizes)
    print(f"same grades in every gradebook of a class: {'yes' if same else 'NO'}")
    sys.exit(0 if same else 1)

if __name__ == "__main__":
    main()
