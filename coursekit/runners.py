"""Notebooks executed in kernels started by this process, each under a whole-notebook time limit, and stopped
all at once when asked: on the instructor's machine for the thread pool, and on each worker of a cluster
(coursekit/cluster.py). The executing step is nbgrader's Execute as the course configures it (SafeExecute:
sandboxed kernels)."""
from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
import time
from pathlib import Path

from nbconvert.exporters.exporter import ResourcesDict
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets.config import Config


class NotebookTimeout(RuntimeError):
    """A notebook ran longer than the whole-notebook time limit; its kernel was killed."""


class LocalRunner:
    """Execute notebooks in this process, one per calling thread, and stop them all on request."""

    sent_per_worker = 1  # a notebook is sent to this runner when a thread is free to execute it

    def __init__(self, step: type[Execute], config: Config, notebook_timeout: int, log: logging.Logger):
        self.step = step
        self.config = config
        self.notebook_timeout = notebook_timeout
        self.log = log
        self._running: set[Execute] = set()
        self._lock = threading.Lock()

    def execute(self, notebook: NotebookNode, folder: Path) -> tuple[NotebookNode, float]:
        """Execute a notebook as nbgrader's Execute does, with `folder` as the kernel's working folder; return it
        executed, and the seconds that took, kernel start included."""
        executor = self.step(config=self.config, log=self.log)
        resources = ResourcesDict(metadata={"path": str(folder)})
        deadline = threading.Timer(self.notebook_timeout, abandon, args=(executor,))
        with self._lock:
            self._running.add(executor)
        deadline.start()
        start = time.perf_counter()
        try:
            executed, _ = executor.preprocess(notebook, resources)
            return executed, time.perf_counter() - start
        except Exception as error:
            if not deadline.is_alive():
                raise NotebookTimeout(f"the notebook ran more than {self.notebook_timeout} s: "
                                      "its kernel was stopped") from error
            raise
        finally:
            deadline.cancel()
            with self._lock:
                self._running.discard(executor)

    def close(self) -> None:
        """Nothing to let go of: the kernels end with their executions."""

    def stop(self) -> None:
        """Kill the kernels of the notebooks executing now (the call may come before a kernel has started: the
        caller repeats it until every execution has ended)."""
        with self._lock:
            running = list(self._running)
        for executor in running:
            abandon(executor)


def abandon(executor: Execute) -> None:
    """Stop a notebook for good: SafeExecute knows how; for nbgrader's Execute, kill the kernel's process group
    (the kernel and whatever it started), which nbclient then sees dead. A kernel may end while it is being
    killed: its provisioner then no longer has a process, or the process group is gone."""
    with contextlib.suppress(AttributeError, ProcessLookupError):
        if hasattr(executor, "abandon"):
            executor.abandon()
            return
        provisioner = getattr(getattr(executor, "km", None), "provisioner", None)
        process_group = getattr(provisioner, "pgid", None)
        if process_group:
            os.killpg(process_group, signal.SIGKILL)
