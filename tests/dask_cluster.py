"""A Dask cluster on the loopback, as an instructor starts one: `dask scheduler` and `dask worker` processes, each
in a process group of its own so that a test can kill a worker as a lost machine would be lost."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from distributed import Client

from background_batch import PATIENCE

BIN = Path(sys.executable).parent


@dataclass
class Cluster:
    folder: Path  # the processes' working folder and outputs: never the course folder
    scheduler: subprocess.Popen | None = None
    workers: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def address(self) -> str:
        return json.loads((self.folder / "scheduler.json").read_text())["address"]

    def start(self, workers: int, threads: int = 1) -> Cluster:
        """Start the scheduler and `workers` worker processes of `threads` threads each."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.scheduler = self._start("scheduler", "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                     "--scheduler-file", str(self.folder / "scheduler.json"))
        deadline = time.monotonic() + PATIENCE
        while not (self.folder / "scheduler.json").exists():
            assert self.scheduler.poll() is None, f"dask scheduler exited: {self.output('scheduler')}"
            assert time.monotonic() < deadline, f"dask scheduler never started: {self.output('scheduler')}"
            time.sleep(0.1)
        for number in range(1, workers + 1):
            self.add_worker(f"worker-{number}", threads)
        return self

    def add_worker(self, name: str, threads: int = 1) -> None:
        self.workers[name] = self._start(name, "worker", self.address, "--name", name, "--nthreads", str(threads),
                                         "--no-dashboard", "--local-directory", str(self.folder / name))
        with self.client() as client:
            client.wait_for_workers(len(self.workers), timeout=PATIENCE)

    def client(self) -> Client:
        return Client(self.address, timeout=PATIENCE, set_as_default=False)

    def kill(self, name: str) -> None:
        """Kill a worker outright, with all it started (its nanny, its process, its kernels' sandboxes)."""
        process = self.workers.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop(self) -> None:
        for process in [*self.workers.values(), self.scheduler]:
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in [*self.workers.values(), self.scheduler]:
            if process is not None:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()

    def output(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")

    def _start(self, name: str, *arguments: str) -> subprocess.Popen:
        with (self.folder / f"{name}.log").open("w") as log:
            return subprocess.Popen([str(BIN / "dask"), *arguments], cwd=self.folder, stdout=log,
                                    stderr=subprocess.STDOUT, start_new_session=True,
                                    env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"})


def executed_per_worker(cluster: Cluster) -> dict[str, int]:
    """How many tasks each worker of the cluster has executed since it started, by worker name."""
    with cluster.client() as client:
        counts = client.run(lambda dask_worker: (dask_worker.name, dask_worker.state.executed_count))
    return dict(counts.values())
