"""Notebooks executed on the workers of a Dask distributed cluster.

The instructor's process sends each sanitized notebook (with the other files of its folder, which its
kernel sees at home too) to the scheduler; a worker executes it in the sandbox, in a scratch folder of
its own, and sends the executed notebook back. Workers need only the course's Python environment, the
same as the instructor's (checked), and bubblewrap: never the course folder or the gradebook, which the
instructor's process alone writes. A worker lost mid-notebook costs nothing: the scheduler runs its
notebooks again on another worker, and only the result that comes back is graded. A cluster that fails the
batch itself (the scheduler lost, no worker left, a worker that cannot confine a kernel) is a ClusterFault,
never a student's failure. Asked to stop, the client sets a Dask Event that every execution watches; an
execution also stops once its task is no longer wanted (its client gone): each worker kills its kernels
within a second.
"""
from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import platform
import tempfile
import threading
import time
import uuid
from concurrent.futures import CancelledError
from importlib import metadata
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets.config import Config

from . import sandbox
from .runners import LocalRunner

STOP_POLL_SECONDS = 1.0  # how often an execution on a worker looks whether it should stop
WORKERS_POLL_SECONDS = 5.0  # how often a batch waiting for a notebook looks whether the cluster still has workers
# What a worker must have as the instructor has it: the grades depend on them.
GRADING_STACK = ("nbgrader", "nbconvert", "nbclient", "jupyter_client", "ipykernel", "numpy", "matplotlib")


class ClusterUnavailable(RuntimeError):
    """The scheduler cannot be reached, has no worker, or its workers cannot grade as this machine would."""


class ClusterFault(RuntimeError):
    """The cluster failed the batch, not a student: the scheduler lost, no worker left for a while, a worker that
    cannot confine a kernel. The batch stops as if interrupted; a plain rerun grades what is left."""


class _WorkerCannotSandbox(RuntimeError):
    """Raised on a worker that joined after the batch's check and cannot confine a kernel."""


class ClusterRunner:
    """Execute notebooks on a Dask cluster, one per calling thread, and stop them all on request."""

    # Two notebooks per worker thread: one executing, the next already sent (waiting at the scheduler or at its
    # worker), so that a thread that frees starts one without waiting for the round trip to this process and back.
    sent_per_worker = 2

    def __init__(self, scheduler: str, step: type[Execute], config: Config, notebook_timeout: int,
                 connect_timeout: int, allow_unsandboxed: bool, max_files_bytes: int):
        from distributed import Client, Event  # only a cluster batch needs Dask

        self.scheduler = scheduler
        self.step = step
        self.config = execution_config(config, step)
        self.notebook_timeout = notebook_timeout
        self.connect_timeout = connect_timeout
        self.allow_unsandboxed = allow_unsandboxed
        self.max_files_bytes = max_files_bytes
        try:
            self.client = Client(scheduler, timeout=connect_timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as error:
            raise ClusterUnavailable(f"cannot reach the Dask scheduler at {scheduler} ({error}): is it running, "
                                     "and is this address the one `dask scheduler` printed?") from error
        except KeyboardInterrupt:
            raise ClusterUnavailable("interrupted while connecting to the Dask scheduler: nothing was touched") from None
        try:
            self._check_workers()
        except BaseException:
            self.client.close()
            raise
        self._stop = Event(f"coursekit-stop-{uuid.uuid4().hex}", client=self.client)
        self._stopping = False
        self._futures: set = set()
        self._lock = threading.Lock()

    def _check_workers(self) -> None:
        """Refuse a cluster without a worker, or whose workers cannot confine a kernel or differ from this machine
        in what the grades depend on; the check imports the grading stack on each worker, before the batch."""
        try:
            self.client.wait_for_workers(1, timeout=self.connect_timeout)
            found = self.client.run(_environment, self.step)
        except TimeoutError:
            raise ClusterUnavailable(f"the Dask scheduler at {self.scheduler} has no worker: start some "
                                     f"(`dask worker {self.scheduler}`, see docs/cluster-and-postgresql.md)") from None
        except KeyboardInterrupt:
            raise ClusterUnavailable("interrupted while checking the Dask workers: nothing was touched") from None
        except Exception as error:  # noqa: BLE001 (a worker without coursekit fails to unpickle the check)
            raise ClusterUnavailable(f"a Dask worker cannot run coursekit ({type(error).__name__}: {error}): install "
                                     "the course's environment on every worker "
                                     "(docs/cluster-and-postgresql.md)") from error
        here = _environment()
        problems = []
        for worker, (problem, versions) in sorted(found.items()):
            if problem and not self.allow_unsandboxed:
                problems.append(f"{worker} cannot confine the students' kernels: {problem}")
            differ = {name: version for name, version in versions.items() if version != here[1][name]}
            if differ:
                problems.append(f"{worker} has " + ", ".join(f"{name} {version} (here: {here[1][name]})"
                                                              for name, version in sorted(differ.items())))
        if problems:
            raise ClusterUnavailable("workers would not grade as this machine does: " + "; ".join(problems))

    @property
    def threads(self) -> int:
        """How many notebooks the cluster's workers execute at once."""
        return sum(self.client.nthreads().values())

    def execute(self, notebook: NotebookNode, folder: Path) -> tuple[NotebookNode, float]:
        """Execute a notebook on a worker, in a copy of `folder` (its other notebooks left out); return it executed,
        and the seconds that took on the worker, kernel start included."""
        future = self.client.submit(execute_on_worker, nbformat.writes(notebook),
                                    _files_beside_notebooks(folder, self.max_files_bytes), self.step, self.config,
                                    self.notebook_timeout, self.allow_unsandboxed, self._stop.name,
                                    key=f"autograde-{uuid.uuid4().hex}", pure=False)
        with self._lock:
            self._futures.add(future)
        try:
            executed, seconds = self._result(future)
            return nbformat.reads(executed, as_version=nbformat.NO_CONVERT), seconds
        finally:
            with self._lock:
                self._futures.discard(future)

    def _result(self, future):
        """The task's result, once it comes; a ClusterFault if the cluster fails the batch meanwhile."""
        without_workers_since = None
        while True:
            done = future.done()
            try:
                return future.result(timeout=WORKERS_POLL_SECONDS)
            except _WorkerCannotSandbox as error:
                raise ClusterFault(str(error)) from None
            except CancelledError as error:
                if self._stopping:
                    raise
                raise ClusterFault(f"lost the Dask scheduler at {self.scheduler} ({error})") from None
            except TimeoutError:
                if done:  # the execution's own timeout: the submission's
                    raise
                if future.done():  # it came as the wait ended
                    continue
                try:
                    has_workers = bool(self.client.nthreads())
                except Exception as error:  # noqa: BLE001 (whatever Dask raises for a scheduler gone)
                    raise ClusterFault(f"lost the Dask scheduler at {self.scheduler} ({error})") from None
                if has_workers:
                    without_workers_since = None
                elif time.monotonic() - (without_workers_since := without_workers_since or time.monotonic()) > \
                        self.connect_timeout:
                    raise ClusterFault(f"the Dask cluster at {self.scheduler} has had no worker for "
                                       f"{self.connect_timeout} s") from None
            except Exception as error:
                if self.client.status == "running":
                    raise  # the execution's own error: the submission's
                raise ClusterFault(f"lost the Dask scheduler at {self.scheduler} ({error})") from None

    def stop(self) -> None:
        """Cancel the executions not started; the workers kill the kernels of those running."""
        self._stopping = True
        if self.client.status != "running":  # the scheduler is lost, and the tasks with it
            return
        with self._lock:
            futures = list(self._futures)
        with contextlib.suppress(OSError, TimeoutError):  # lost meanwhile
            self._stop.set()
            self.client.cancel(futures)

    def close(self) -> None:
        self.client.close(timeout=self.connect_timeout)


def execute_on_worker(notebook: str, files: dict[str, bytes], step: type[Execute], config: Config,
                      notebook_timeout: int, allow_unsandboxed: bool, stop_event: str) -> tuple[str, float]:
    """On a worker: execute the notebook in a scratch folder holding `files`, as the instructor's machine would;
    return the executed notebook, and the seconds its execution took. Whether a kernel may run unconfined is the
    instructor's decision, never the worker's environment's."""
    from distributed import Event, get_client, get_worker

    problem = sandbox.sandbox_problem()
    if problem and not allow_unsandboxed:
        raise _WorkerCannotSandbox(f"the Dask worker {get_worker().address} cannot confine the students' kernels: "
                                   f"{problem}")
    os.environ["NBGRADER_EXECUTION"] = "autograde"  # the environment nbgrader gives a kernel while autograding
    runner = LocalRunner(step, config, notebook_timeout, logging.getLogger("coursekit.cluster"))
    worker, key = get_worker(), get_worker().get_current_task()
    with tempfile.TemporaryDirectory(prefix="coursekit-autograde-") as scratch, \
            _stopped_when(Event(stop_event, client=get_client()), lambda: _unwanted(worker, key), runner):
        folder = Path(scratch)
        folder.chmod(0o755)  # as a folder of autograded/: the kernel, a user of its own when the worker is root
        for name, content in files.items():
            (folder / name).parent.mkdir(mode=0o755, parents=True, exist_ok=True)
            (folder / name).write_bytes(content)
            (folder / name).chmod(0o644)
        executed, seconds = runner.execute(nbformat.reads(notebook, as_version=nbformat.NO_CONVERT), folder)
        return nbformat.writes(executed), seconds


def execution_config(config: Config, step: type[Execute]) -> Config:
    """The part of the course's configuration that executing a notebook reads: the sections of the executing step,
    the sandboxed kernel's manager and provisioner, and their base classes. Not the course's folders, nor the
    gradebook's URL and the password it may hold: no worker needs them."""
    readers = {base.__name__ for cls in (step, sandbox.SandboxedKernelManager, sandbox.SandboxProvisioner,
                                         sandbox.SandboxedKernelSpecManager) for base in cls.__mro__}
    return Config({name: section for name, section in config.items() if name in readers})


def _environment(step: type[Execute] | None = None) -> tuple[str | None, dict[str, str]]:
    """On a worker, before the batch (and here, to compare): why it cannot confine a kernel, if it cannot; and the
    versions of what the grades depend on, coursekit's own code by its digest. Receiving `step` has imported the
    grading stack, which the worker's first notebook would otherwise wait for."""
    code = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        code.update(path.relative_to(Path(__file__).parent).as_posix().encode() + b"\0" + path.read_bytes())
    versions = {"python": platform.python_version(), "coursekit": code.hexdigest()[:12],
                **{name: metadata.version(name) for name in GRADING_STACK}}
    return sandbox.sandbox_problem(), versions


def _unwanted(worker, key: str) -> bool:
    """Whether the worker no longer wants the task (cancelled or released: its client is gone)."""
    task = worker.state.tasks.get(key)
    return task is None or task.state in ("cancelled", "released", "forgotten")


@contextlib.contextmanager
def _stopped_when(event, unwanted, runner: LocalRunner):
    """While the block runs, stop the runner's kernels once the batch's stop event is set or the task is no longer
    wanted, and again each second after (a kernel may start after the first stop)."""
    done = threading.Event()

    def watch():
        stopping = False
        while not done.is_set():
            with contextlib.suppress(TimeoutError):
                stopping = stopping or unwanted() or event.wait(timeout=STOP_POLL_SECONDS)
            if stopping:
                runner.stop()
                done.wait(STOP_POLL_SECONDS)

    # Not joined at the end: it ends at its next look, and a stop it sees by then finds nothing to stop.
    threading.Thread(target=watch, name="coursekit-stop-watch", daemon=True).start()
    try:
        yield
    finally:
        done.set()


def _files_beside_notebooks(folder: Path, max_bytes: int) -> dict[str, bytes]:
    """The regular files of a folder, at any depth, but its notebooks: what the sandbox shows the kernel. Refused
    past `max_bytes` in all: they travel with each notebook, through the scheduler."""
    paths = [path for path in sorted(folder.rglob("*"))
             if path.is_file() and not path.is_symlink() and not sandbox.is_notebook(path.name)]
    size = sum(path.stat().st_size for path in paths)
    if size > max_bytes:
        raise ValueError(f"the files beside the notebook take {size / 2**20:.0f} MiB, more than the "
                         f"{max_bytes / 2**20:.0f} MiB sent with a notebook to a Dask worker "
                         "(ParallelAutograde.cluster_files_limit)")
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in paths}
