"""The judge's process and the grader's handle on it: one judge per run of a notebook, beside its kernel.

The grader (SafeExecute) starts `python -m coursekit.judge` with `JudgeProcess` while the kernel starts, has it
connect to the kernel's side (`connect`), then for each test or read-only cell sends the cell (`start`), has the
kernel execute `__coursekit_judge__.serve(n)`, says when that execution is over (`served`), and reads the judge's
result (`result`). The judge is a process of its own, not a
thread of the grader's: it runs the tests with Python's process-wide state (warnings, stdout) to itself, under a
memory limit, and dies without taking the grader with it. It speaks JSON lines on its stdin and stdout; the test's
own prints never reach that stdout (judge.py captures them).
"""
from __future__ import annotations

import json
import os
import resource
import select
import subprocess
import sys
from importlib import resources

JUDGE_MEMORY = 4 * 2**30  # bytes of address space the judge may map


def serve_code(cell: int) -> str:
    """What the kernel executes while the judge runs its `cell`-th cell."""
    return f"__coursekit_judge__.serve({cell})"

# The kernel's side, sent as source: the kernel may not have coursekit (it is installed in the sandbox as data).
KERNEL_SIDE = "".join(resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
                      for name in ("wire.py", "kernel_side.py"))


# What the kernel executes, before any of the notebook's code, to serve the judge beside its own sockets.
INSTALL = (f"(lambda namespace: (exec(compile({KERNEL_SIDE!r}, '<coursekit judge>', 'exec'), namespace), "
           "namespace['install'](get_ipython().user_ns)))({'__name__': 'coursekit_judge'}) and None")


class JudgeFailed(RuntimeError):
    """The judge died or did not answer: the cell it ran cannot be judged, and the judge's state is lost."""


class JudgeProcess:
    """The grader's end: start the judge, hand it cells, read its verdicts."""

    def __init__(self):
        environment = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
        # Isolated (-I) and started from /: no folder of the grader's current one, where a student's files may lie
        # (a numpy.py handed in beside the notebook), is on the judge's path.
        self.process = subprocess.Popen([sys.executable, "-I", "-m", "coursekit.judge"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        env=environment, cwd="/")

    def connect(self, ip: str, own_names: set[str]) -> None:
        """Have the judge connect to the kernel's side, which `INSTALL` made listen beside the kernel's sockets at
        `ip` (the judge starts before, to import its modules while the kernel starts). `own_names` are the judged
        cells' own (cells.judge_names), never looked up in the kernel."""
        self._send({"connect": f"{ip}-judge", "own": sorted(own_names)})

    def start(self, cell: int, source: str, visible: list[str]) -> None:
        """Hand the judge its `cell`-th cell to run, while the kernel executes serve_code(cell)."""
        self._send({"cell": cell, "source": source, "visible": visible})

    def served(self) -> None:
        """The kernel's serve() ended: a judge still waiting on the kernel gives up on the test."""
        self._send({"served": True})

    def result(self, timeout: float) -> dict:
        """The judge's verdict on the cell it was given; JudgeFailed if the judge died or took too long."""
        if select.select([self.process.stdout], [], [], timeout)[0]:
            line = self.process.stdout.readline()
            if line:
                return json.loads(line)
        self.close()
        raise JudgeFailed("the grader's judge stopped while it ran this cell (its memory limit, or a bug of the "
                          "grader's)")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            stream.close()

    def _send(self, message: dict) -> None:
        try:
            self.process.stdin.write(json.dumps(message).encode() + b"\n")
            self.process.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass  # a dead judge: result() says so


def serve_grader() -> None:
    """The judge's main loop: connect to the kernel, then run each cell the grader sends."""
    from .judge import Judge, KernelLink  # the judge's own imports, not the grader's

    resource.setrlimit(resource.RLIMIT_AS, (JUDGE_MEMORY, JUDGE_MEMORY))
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # nothing but the replies on the grader's pipe
    commands = _Lines(0)
    if (address := commands.read()) is None:
        return  # the kernel never started
    connection = json.loads(address)
    judge = Judge(KernelLink(connection["connect"], commands), frozenset(connection["own"]))
    while (line := commands.read()) is not None:
        command = json.loads(line)  # a cell; the word that the kernel's serving ended is read while it runs
        replies.write(json.dumps(judge.run(command["cell"], command["source"], command["visible"])) + "\n")
        replies.flush()


class _Lines:
    """Lines read from a file descriptor without a buffer of Python's, so that it can be polled meanwhile."""

    def __init__(self, fd: int):
        self.fd, self.buffer = fd, b""

    def fileno(self) -> int:
        return self.fd

    def pending(self) -> bool:
        """Whether a whole line was read already (the descriptor, polled, would not say so)."""
        return b"\n" in self.buffer

    def read(self) -> str | None:
        while b"\n" not in self.buffer:
            chunk = os.read(self.fd, 65536)
            if not chunk:
                return None
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode()
