"""`coursekit autograde --scheduler`: the notebooks executed by the workers of a real Dask cluster (a scheduler and
two workers started as separate processes on the loopback), the gradebook exactly as sequential nbgrader leaves
it, a worker lost mid-batch costing no grade and no submission, a stop reaching the workers' kernels, and a
scheduler out of reach refused before anything is touched."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import time

import nbformat
import pytest
from traitlets.config import Config

from background_batch import NO_TIME_LIMIT, PATIENCE, Batch, hand_in_a_hanging_notebook, runs_a_kernel, wait_until
from coursekit import grades, notebooks
from coursekit.cluster import ClusterRunner
from coursekit.preprocessors import SafeExecute
from coursekit.course import CommandError
from coursekit.tp1 import ASSIGNMENT
from dask_cluster import Cluster, executed_per_worker
from small_class import copy_of

GRADED = "5 graded, 0 failed"  # the small class: the reference, three mistakes, the release untouched
HANGS = "hangs_forever"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    cluster = Cluster(tmp_path_factory.mktemp("cluster")).start(workers=2)
    yield cluster
    cluster.stop()


def workers_running_a_kernel(cluster: Cluster) -> list[str]:
    """The names of the workers that have a kernel running (in its sandbox, a descendant of the worker)."""
    return [name for name, process in cluster.workers.items() if runs_a_kernel(process.pid)]


def test_a_class_graded_on_the_cluster_leaves_the_gradebook_sequential_nbgrader_leaves(
        cluster, submitted_class, sequentially_graded, tmp_path):
    course = copy_of(submitted_class, tmp_path / "course")
    with (course.root / "nbgrader_config.py").open("a") as config:  # as an instructor sets it for every batch
        config.write(f"\nc.ParallelAutograde.scheduler = {cluster.address!r}\n")
    before = executed_per_worker(cluster)

    output = course.coursekit("autograde", ASSIGNMENT)

    assert GRADED in output
    assert grades.gradebook_contents(course, ASSIGNMENT) == sequentially_graded
    executed = {name: count - before.get(name, 0) for name, count in executed_per_worker(cluster).items()}
    assert sum(executed.values()) == 5, executed  # each notebook once, by the workers
    assert all(executed.values()), executed  # both workers took their share
    for student in grades.gradebook_contents(course, ASSIGNMENT):  # the executed notebooks came back
        autograded = notebooks.read(course.notebook(ASSIGNMENT, "autograded", student[0]))
        assert all(cell.execution_count for cell in notebooks.test_cells(autograded).values()), student


def test_a_worker_killed_during_a_batch_changes_no_grade_and_loses_no_submission(
        submitted_class, sequentially_graded, tmp_path):
    cluster = Cluster(tmp_path / "cluster").start(workers=2)
    try:
        course = copy_of(submitted_class, tmp_path / "course")
        batch = Batch.start(course, ASSIGNMENT, f"--scheduler={cluster.address}")
        wait_until(lambda: workers_running_a_kernel(cluster), "a kernel running on a worker", batch)
        lost = workers_running_a_kernel(cluster)[0]

        cluster.kill(lost)
        output = batch.wait()

        assert batch.process.returncode == 0, output
        assert GRADED in output
        assert grades.gradebook_contents(course, ASSIGNMENT) == sequentially_graded
    finally:
        cluster.stop()


def test_a_stopped_cluster_batch_stops_the_workers_kernels_and_the_next_run_grades_the_rest(
        cluster, submitted_class, sequentially_graded, tmp_path):
    course = copy_of(submitted_class, tmp_path / "course")
    hand_in_a_hanging_notebook(course, ASSIGNMENT, HANGS)
    batch = Batch.start(course, ASSIGNMENT, f"--scheduler={cluster.address}", *NO_TIME_LIMIT)
    wait_until(lambda: workers_running_a_kernel(cluster), "a kernel running on a worker", batch)

    batch.process.send_signal(signal.SIGINT)
    output = batch.wait()

    assert batch.process.returncode == 130, output
    deadline = time.monotonic() + PATIENCE  # a hang guard: the workers stop their kernels within a second or two
    while workers_running_a_kernel(cluster):
        assert time.monotonic() < deadline, f"kernels still running on {workers_running_a_kernel(cluster)}"
        time.sleep(0.2)
    shutil.rmtree(course.notebook(ASSIGNMENT, "submitted", HANGS).parent)  # it would hang the next run too
    course.coursekit("autograde", ASSIGNMENT, f"--scheduler={cluster.address}")
    assert grades.gradebook_contents(course, ASSIGNMENT) == sequentially_graded


def test_a_scheduler_out_of_reach_is_refused_before_anything_is_touched(submitted_class, tmp_path):
    course = copy_of(submitted_class, tmp_path / "course")
    with socket.socket() as closed:  # a port nobody listens on once the socket is closed
        closed.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{closed.getsockname()[1]}"

    with pytest.raises(CommandError) as refused:
        course.coursekit("autograde", ASSIGNMENT, f"--scheduler={address}", "--ParallelAutograde.connect_timeout=5")

    assert f"cannot reach the Dask scheduler at {address}" in str(refused.value)
    assert not (course.root / "autograded").exists()
    assert not (course.root / "backups").exists()
    assert grades.gradebook_contents(course, ASSIGNMENT) == {}


def test_a_notebook_on_a_worker_reads_the_files_beside_it_as_it_does_at_home(cluster, tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "points.csv").write_text("1,2\n3,4\n")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(open('data/points.csv').read())")])
    runner = ClusterRunner(cluster.address, SafeExecute, Config(), notebook_timeout=PATIENCE,
                           connect_timeout=PATIENCE, allow_unsandboxed=False, max_files_bytes=2**20)
    try:
        executed, _ = runner.execute(notebook, tmp_path)
    finally:
        runner.close()

    assert executed.cells[0].outputs[0].text == "1,2\n3,4\n\n", executed.cells[0].outputs


@pytest.mark.parametrize("lost", ["scheduler", "every worker"])
def test_a_cluster_lost_mid_batch_stops_it_as_interrupted_and_a_rerun_grades_the_rest(
        lost, submitted_class, sequentially_graded, tmp_path):
    course = copy_of(submitted_class, tmp_path / "course")
    cluster = Cluster(tmp_path / "cluster").start(workers=1)
    try:
        batch = Batch.start(course, ASSIGNMENT, f"--scheduler={cluster.address}",
                            "--ParallelAutograde.connect_timeout=5")
        wait_until(lambda: workers_running_a_kernel(cluster), "a kernel running on a worker", batch)
        if lost == "scheduler":
            os.killpg(cluster.scheduler.pid, signal.SIGKILL)
        else:
            cluster.kill("worker-1")
        output = batch.wait()
    finally:
        cluster.stop()

    assert batch.process.returncode == 130, output
    assert "stopped: " + ("lost the Dask scheduler" if lost == "scheduler" else "the Dask cluster") in output
    assert "FAILED" not in output  # no student pays for the cluster
    again = Cluster(tmp_path / "again").start(workers=2)
    try:
        course.coursekit("autograde", ASSIGNMENT, f"--scheduler={again.address}")
    finally:
        again.stop()
    assert grades.gradebook_contents(course, ASSIGNMENT) == sequentially_graded
