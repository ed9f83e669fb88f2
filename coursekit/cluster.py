"""Notebooks executed on the workers of a Dask distributed cluster.

The instructor's process sends each sanitized notebook (with the other files of its folder, which its
kernel sees at home too) to the scheduler; a worker executes it in the sandbox, in a scratch folder of
its own, and sends the executed notebook back. Workers need only the course's Python environment and
bubblewrap: never the course folder or the gradebook, which the instructor's process alone writes. A
worker lost mid-notebook costs nothing: the scheduler runs its notebooks again on another worker, and
only the result that comes back is graded. Asked to stop, the client sets a Dask Event that every
execution watches, and each worker kills its kernels within a second.
"""
from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import threading
import uuid
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets.config import Config

from . import sandbox
from .runners import LocalRunner

STOP_POLL_SECONDS = 1.0  # how often an execution on a worker looks whether the batch was asked to stop


class ClusterUnavailable(RuntimeError):
    """The scheduler cannot be reached, has no worker, or its workers cannot grade safely."""


class ClusterRunner:
    """Execute notebooks on a Dask cluster, one per calling thread, and stop them all on request."""

    # Two notebooks per worker thread: one executing, the next waiting at the worker, which starts it as soon as it
    # is free instead of idling for the round trip to this process and back (6 % of a notebook's time, measured).
    sent_per_worker = 2

    def __init__(self, scheduler: str, step: type[Execute], config: Config, notebook_timeout: int,
                 connect_timeout: int, allow_unsandboxed: bool):
        from distributed import Client, Event  # only a cluster batch needs Dask

        self.step = step
        self.config = execution_config(config, step)
        self.notebook_timeout = notebook_timeout
        try:
            self.client = Client(scheduler, timeout=connect_timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as error:
            raise ClusterUnavailable(f"cannot reach the Dask scheduler at {scheduler} ({error}): is it running, "
                                     "and is this address the one `dask scheduler` printed?") from error
        try:
            self.client.wait_for_workers(1, timeout=connect_timeout)
        except TimeoutError:
            self.client.close()
            raise ClusterUnavailable(f"the Dask scheduler at {scheduler} has no worker: start some "
                                     f"(`dask worker {scheduler}`, see the README)") from None
        problems = {worker: problem for worker, problem in self.client.run(_ready, step).items() if problem}
        if problems and not allow_unsandboxed:
            self.client.close()
            raise ClusterUnavailable("workers cannot confine the students' kernels: " + "; ".join(
                f"{worker}: {problem}" for worker, problem in sorted(problems.items())))
        self._stop = Event(f"coursekit-stop-{uuid.uuid4().hex}", client=self.client)
        self._futures: set = set()
        self._lock = threading.Lock()

    @property
    def threads(self) -> int:
        """How many notebooks the cluster's workers execute at once."""
        return sum(self.client.nthreads().values())

    def execute(self, notebook: NotebookNode, folder: Path) -> tuple[NotebookNode, float]:
        """Execute a notebook on a worker, in a copy of `folder` (its other notebooks left out); return it executed,
        and the seconds that took on the worker, kernel start included."""
        future = self.client.submit(execute_on_worker, nbformat.writes(notebook), _files_beside_notebooks(folder),
                                    self.step, self.config, self.notebook_timeout, self._stop.name,
                                    key=f"autograde-{uuid.uuid4().hex}", pure=False)
        with self._lock:
            self._futures.add(future)
        try:
            executed, seconds = future.result()
            return nbformat.reads(executed, as_version=nbformat.NO_CONVERT), seconds
        finally:
            with self._lock:
                self._futures.discard(future)

    def stop(self) -> None:
        """Cancel the executions not started; the workers kill the kernels of those running."""
        self._stop.set()
        with self._lock:
            futures = list(self._futures)
        self.client.cancel(futures)

    def close(self) -> None:
        self.client.close()


def execute_on_worker(notebook: str, files: dict[str, bytes], step: type[Execute], config: Config,
                      notebook_timeout: int, stop_event: str) -> tuple[str, float]:
    """On a worker: execute the notebook in a scratch folder holding `files`, as the instructor's machine would;
    return the executed notebook, and the seconds its execution took."""
    from distributed import Event, get_client

    os.environ["NBGRADER_EXECUTION"] = "autograde"  # the environment nbgrader gives a kernel while autograding
    runner = LocalRunner(step, config, notebook_timeout, logging.getLogger("coursekit.cluster"))
    with tempfile.TemporaryDirectory(prefix="coursekit-autograde-") as scratch, _stopped_by(Event(stop_event, client=get_client()), runner):
        folder = Path(scratch)
        for name, content in files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(content)
        executed, seconds = runner.execute(nbformat.reads(notebook, as_version=nbformat.NO_CONVERT), folder)
        return nbformat.writes(executed), seconds


def execution_config(config: Config, step: type[Execute]) -> Config:
    """The part of the course's configuration that executing a notebook reads: the sections of the executing step,
    the sandboxed kernel's manager and provisioner, and their base classes. Not the course's folders, nor the
    gradebook's URL and the password it may hold: no worker needs them."""
    readers = {base.__name__ for cls in (step, sandbox.SandboxedKernelManager, sandbox.SandboxProvisioner,
                                         sandbox.SandboxedKernelSpecManager) for base in cls.__mro__}
    return Config({name: section for name, section in config.items() if name in readers})


def _ready(step: type[Execute]) -> str | None:
    """On a worker, before the batch: why it cannot confine a kernel, if it cannot. Receiving `step` has imported
    the grading stack (nbgrader, nbconvert), which the worker's first notebook would otherwise wait for."""
    return sandbox.sandbox_problem()


@contextlib.contextmanager
def _stopped_by(event, runner: LocalRunner):
    """Watch the batch's stop event while the block runs; once it is set, stop the runner's kernels."""
    done = threading.Event()

    def watch():
        while not done.is_set():
            with contextlib.suppress(TimeoutError):
                if event.wait(timeout=STOP_POLL_SECONDS):
                    runner.stop()
                    done.wait(STOP_POLL_SECONDS)

    # Not joined at the end: it ends at its next look, and a stop it sees by then finds nothing to stop.
    threading.Thread(target=watch, name="coursekit-stop-watch", daemon=True).start()
    try:
        yield
    finally:
        done.set()


def _files_beside_notebooks(folder: Path) -> dict[str, bytes]:
    """The regular files of a folder, at any depth, but its notebooks: what the sandbox shows the kernel."""
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file() and not path.is_symlink() and not sandbox.is_notebook(path.name)}
