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
- Where GuardTestCells set up its guard, each test and read-only cell is sent as one call to the guard,
  with a nonce drawn for that execution; the guard's signed proof of a complete run is taken out of the
  outputs, and a test cell without a valid one fails (guard_test_cells.py says why).
- Kernels keep no history database: the interpreter's memory of a test's source is what the guard forgets.

Set in nbgrader_config.py in place of Execute among `Autograde.autograde_preprocessors`.
"""
from __future__ import annotations

import collections
import copy
import secrets

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbformat.v4 import new_output
from traitlets import Bool, Integer

from nbgrader.preprocessors import Execute

from ..sandbox import SandboxedKernelManager
from . import guard_test_cells


class GuardFailed(RuntimeError):
    """The guard's first cell failed in the kernel: this submission cannot be graded safely (a grader's bug)."""


class SafeExecute(Execute):
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
        self._key = nb.metadata.get(guard_test_cells.METADATA_KEY)
        self._guarded = [index for index, cell in enumerate(nb.cells) if guard_test_cells.is_guarded(cell)]
        while True:
            attempt = copy.deepcopy(nb)
            self._output_bytes = collections.Counter()
            self._running = None
            self._sent: dict[int, tuple[int, str]] = {}  # cell index -> (its rank among guarded cells, the nonce)
            self._tails: dict[int, str] = {}  # guarded cell index -> the end of its stdout, where the proof is
            try:
                executed, resources = super().preprocess(attempt, resources, km)
            except GuardFailed:
                raise
            except Exception as error:  # noqa: BLE001 (a dead, hung or garbled kernel: each cell stops once at most)
                if self.abandoned or self._running is None or self._running in self._stopped:
                    raise
                self._stopped[self._running] = _stopped_output(error)
                self.log.warning("Cell %d stopped its kernel (%s): running the notebook again without it",
                                 self._running, type(error).__name__)
                continue
            nb.cells[:] = executed.cells
            nb.metadata = executed.metadata
            return nb, resources

    def preprocess_cell(self, cell, resources, index):
        if index in self._stopped:
            cell.outputs = [self._stopped[index]]
            return cell, resources
        self._running = index
        if not (self._key and index in self._guarded):
            cell, resources = super().preprocess_cell(cell, resources, index)
            if self._key and cell.source.startswith(guard_test_cells.SIGNATURE) and cell.outputs:
                raise GuardFailed(f"the grader's guard did not start: {cell.outputs[0]}")
            return cell, resources
        source, nonce = cell.source, secrets.token_hex(16)
        self._sent[index] = (self._guarded.index(index), nonce)
        cell.source = guard_test_cells.call(*self._sent[index])
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        finally:
            cell.source = source
        self._judge(cell, index)
        return cell, resources

    def _judge(self, cell: NotebookNode, index: int) -> None:
        """A guarded cell counts only with its proof; its final value is the one the proof carried. The proof is
        read from the end of the cell's stdout, whatever messages it came in, and taken out of its outputs."""
        rank, nonce = self._sent[index]
        _, proven, value = guard_test_cells.take_proof(self._tails.get(index, ""), self._key, rank, nonce)
        outputs = []
        for output in cell.outputs:
            if output.output_type == "execute_result":
                continue
            if output.output_type == "stream" and outputs and outputs[-1].output_type == "stream" and (
                    outputs[-1].name == output.name):
                outputs[-1].text += output.text
            else:
                outputs.append(output)
        for output in outputs:
            if output.output_type == "stream":
                output.text = guard_test_cells.take_proof(output.text, self._key, rank, nonce)[0]
        cell.outputs = [output for output in outputs if output.output_type != "stream" or output.text]
        if not proven:
            if not any(output.output_type == "error" for output in cell.outputs):
                cell.outputs.append(guard_test_cells.unproven_output())
        elif value is not None:
            cell.outputs.append(guard_test_cells.credit_output(value, cell.get("execution_count")))

    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        if cell_index in self._sent and msg.get("msg_type") == "stream" and content.get("name") == "stdout":
            self._tails[cell_index] = (self._tails.get(cell_index, "") + content.get("text", ""))[-2048:]
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
                                      "CPU limit, or did what the grader forbids while it grades: reading the "
                                      "tests' code or frames, the garbage collector's lists of objects, ctypes, "
                                      "a tracer)")
    else:
        name, reason = "KernelBroken", f"the kernel stopped answering properly while running this cell ({error})"
    return new_output("error", ename=name, evalue=f"{reason}; the notebook was run again without it",
                      traceback=[f"{name}: {reason}; the notebook was run again without it"])
