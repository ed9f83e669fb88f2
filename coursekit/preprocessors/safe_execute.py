"""nbgrader's Execute, made safe for hostile or broken code: a sandboxed kernel, capped outputs, and a
cell that kills or hangs its kernel costs that cell only.

- Kernels start in coursekit.sandbox's bubblewrap sandbox (no network, no course files, limits).
- A cell's outputs stop at `max_output_bytes`, with a note: a cell printing hundreds of megabytes
  would otherwise fill the grader's memory and the autograded notebook.
- nbgrader's Execute gives up on the whole notebook when the kernel dies (`os._exit`, a memory or CPU
  limit, a killed kernel) or garbles its messages (a fork bomb), and, when a cell ignores the interrupt
  nbgrader sends it at its timeout, lets every following cell time out in turn. Here such a cell gets an error output saying what
  happened, and the notebook runs again from the start in a fresh kernel, without that cell: the
  student keeps the points of everything else.
- Test cells and read-only cells are run by the judge (coursekit/judge/), in a process of the grader's beside the
  kernel, where the student's code never runs: a test cell's source never reaches the kernel, which only executes
  `__coursekit_judge__.serve()` meanwhile, to run the student's functions when the judge asks. The cell's verdict
  (error, messages, final value) is the judge's; what the student's code printed meanwhile is shown as theirs.
  A read-only cell (the test helpers) runs in the kernel too, for the student's own code.

Set in nbgrader_config.py in place of Execute among `Autograde.autograde_preprocessors`.
"""
from __future__ import annotations

import collections
import copy

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbformat.v4 import new_output
from traitlets import Bool, Integer

from nbgrader.preprocessors import Execute

from ..judge.execution import JudgedExecution, JudgeNotStarted
from ..sandbox import SandboxedKernelManager


class SafeExecute(JudgedExecution, Execute):
    max_output_bytes = Integer(2**20, help="Bytes of output kept per cell; the rest is dropped, with a note.").tag(
        config=True)
    interrupt_on_timeout = Bool(False, help="A cell past its timeout is stopped with its kernel, not interrupted "
                                            "(a student's code can ignore SIGINT).").tag(config=True)

    def __init__(self, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        kwargs.setdefault("extra_arguments", ["--HistoryManager.enabled=False"])
        super().__init__(**kwargs)
        self.abandoned = False

    def abandon(self) -> None:
        """Stop for good (the whole notebook ran out of time): kill the kernel, do not run again."""
        self.abandoned = True
        if self.km is not None and self.km.provisioner is not None:
            self.km.provisioner.process.kill()

    def preprocess(self, nb: NotebookNode, resources=None, km=None):
        self._stopped: dict[int, NotebookNode] = {}  # cell index -> the error output it gets instead of running
        while True:
            attempt = copy.deepcopy(nb)
            self._output_bytes = collections.Counter()
            self._running = None
            try:
                executed, resources = super().preprocess(attempt, resources, km)
            except JudgeNotStarted:
                raise
            except Exception as error:  # noqa: BLE001 (a dead, hung or garbled kernel: each cell stops once at most)
                if self.abandoned or self._running is None or self._running in self._stopped:
                    raise
                self._stopped[self._running] = _stopped_output(error)
                self.log.warning("Cell %d stopped its kernel (%s): running the notebook again without it",
                                 self._running, type(error).__name__)
                continue
            finally:
                self.close_judge()
            nb.cells[:] = executed.cells
            nb.metadata = executed.metadata
            return nb, resources

    def preprocess_cell(self, cell, resources, index):
        if index in self._stopped:
            cell.outputs = [self._stopped[index]]
            return cell, resources
        self._running = index
        return super().preprocess_cell(cell, resources, index)

    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        size = len(content.get("text", "")) + sum(len(str(value)) for value in content.get("data", {}).values())
        self._output_bytes[cell_index] += size
        if self._output_bytes[cell_index] > self.max_output_bytes:
            if self._output_bytes[cell_index] - size <= self.max_output_bytes:
                outs.append(new_output("stream", name="stdout", text=(
                    f"\n[output cut: this cell printed more than {self.max_output_bytes // 1024} KiB]\n")))
            return None
        return super().output(outs, msg, display_id, cell_index)


def _stopped_output(error: Exception) -> NotebookNode:
    if isinstance(error, CellTimeoutError):
        name, reason = "CellTimeoutError", "this cell ran past its time limit and did not stop when asked"
    elif isinstance(error, DeadKernelError):
        name, reason = "KernelDied", ("the kernel died while running this cell (it exited, went over its memory or "
                                      "CPU limit, or was killed)")
    else:
        name, reason = "KernelBroken", f"the kernel stopped answering properly while running this cell ({error})"
    return new_output("error", ename=name, evalue=f"{reason}; the notebook was run again without it",
                      traceback=[f"{name}: {reason}; the notebook was run again without it"])
