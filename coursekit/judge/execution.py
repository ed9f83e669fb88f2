"""A notebook executed with its test cells judged: nbclient's NotebookClient, with test and read-only cells run by
the judge (judge.py) while the kernel serves it. The grader's SafeExecute and the students' self-check both use it,
so that a student's visible checks get the grader's verdict."""
from __future__ import annotations

from nbclient import NotebookClient
from nbclient.util import run_sync
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_output
from traitlets import Integer

from . import process
from .cells import is_read_only, is_test, judge_names, shared_names


class JudgeNotStarted(RuntimeError):
    """The kernel's side of the judge could not be installed: the notebook cannot be judged (a grader's bug)."""


class JudgedExecution(NotebookClient):
    max_student_output = Integer(8 * 2**10, help="Characters of what the student's code printed while a test ran "
                                                 "that the test cell shows.").tag(config=True)

    _judge: process.JudgeProcess | None = None  # started with the kernel of this execution, connected at its first cell
    _judged_cells = 0  # cells handed to this execution's judge so far, the handshake first
    crossings = 0  # round trips across the judge's boundary in this execution (requests and callbacks), for bench/

    def close_judge(self) -> None:
        """Stop the judge of this execution (call once the notebook ran, or its kernel stopped)."""
        if self._judge is not None:
            self._judge.close()
            self._judge = None
        self._judged_cells = 0

    async def async_start_new_kernel(self, **kwargs) -> None:
        """Start the judge too, which imports its modules meanwhile."""
        await super().async_start_new_kernel(**kwargs)
        self.close_judge()
        self._judge = process.JudgeProcess()

    async def async_execute_cell(self, cell: NotebookNode, cell_index: int, execution_count: int | None = None,
                                 store_history: bool = True) -> NotebookNode:
        if not self._judged_cells:
            await self._start_judge(cell_index)
        if is_test(cell):
            result, serving = await self._run_in_judge(cell, sorted(shared_names(cell.source)), cell_index)
            return self._judged(cell, result, serving)
        cell = await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        if is_read_only(cell):  # the test helpers: the student's copy above, the judge's own copy here
            await self._run_in_judge(cell, [], cell_index)
        return cell

    # nbclient binds its synchronous execute_cell to its own async_execute_cell: bound again here, so that
    # nbconvert's ExecutePreprocessor (nbgrader's Execute, SafeExecute) judges the test cells too.
    execute_cell = run_sync(async_execute_cell)

    async def _start_judge(self, cell_index: int) -> None:
        """Install the kernel's side of the judge and start the judge, connected, before any of the notebook's code
        runs: a first, empty cell judged is the handshake (the judge connects once, and never again)."""
        placed, installer = self.nb.cells[cell_index], new_code_cell(process.INSTALL)
        await super().async_execute_cell(installer, cell_index, store_history=False)
        self.nb.cells[cell_index] = placed  # nbclient put the installer in the first cell's place
        if installer.outputs:
            raise JudgeNotStarted(f"the judge's side could not start in the kernel: {installer.outputs[0]}")
        if self._judge is None:  # a kernel started by the caller
            self._judge = process.JudgeProcess()
        self._judge.connect(self.kc.get_connection_info()["ip"], judge_names(self.nb.cells))
        result, _ = await self._run_in_judge(new_code_cell(""), [], cell_index)
        if result["error"]:
            raise JudgeNotStarted(f"the judge could not reach the kernel: {result['error']['evalue']}")

    async def _run_in_judge(self, cell: NotebookNode, visible: list[str], cell_index: int
                            ) -> tuple[dict, NotebookNode]:
        """Have the judge run the cell while the kernel serves it. Returns the judge's result and the cell the
        kernel's serving ran as (its outputs are what the student's code printed meanwhile)."""
        self._judged_cells += 1
        serving = new_code_cell(process.serve_code(self._judged_cells))
        self._judge.start(self._judged_cells, cell.source, visible)
        placed = self.nb.cells[cell_index]
        try:
            await super().async_execute_cell(serving, cell_index)
        except BaseException:
            self.close_judge()
            raise
        finally:
            self.nb.cells[cell_index] = placed  # nbclient put the serving cell in its place
            if self._judge is not None:
                self._judge.served()
        try:
            result = self._judge.result(timeout=self.timeout or 60)
        except process.JudgeFailed:
            self.close_judge()
            raise
        self.crossings += result.get("crossings", 0)
        return result, serving

    def _judged(self, cell: NotebookNode, result: dict, serving: NotebookNode) -> NotebookNode:
        """The test cell as the student reads it: the test's messages, what the student's code printed meanwhile
        (shown as theirs), and the judge's verdict: its error, or its final value (partial credit)."""
        cell.execution_count = serving.get("execution_count")
        outputs = []
        if result["stdout"]:
            outputs.append(new_output("stream", name="stdout", text=result["stdout"]))
        printed, written_to_stderr = self._student_text(serving.outputs)
        if printed:
            outputs.append(new_output("stream", name="stdout", text="[printed by your code while this test ran]\n"
                                                                     + printed))
        if written_to_stderr:  # as written (the class report quotes it); a test cell that wrote there gets no points
            outputs.append(new_output("stream", name="stderr", text=written_to_stderr))
        if result["stderr"]:
            outputs.append(new_output("stream", name="stderr", text=result["stderr"]))
        if result["error"]:
            outputs.append(new_output("error", **result["error"]))
        elif result["value"] is not None:
            outputs.append(new_output("execute_result", data={"text/plain": result["value"]},
                                      execution_count=cell.execution_count))
        cell.outputs = outputs
        return cell

    def output(self, outs, msg, display_id, cell_index):
        """Outputs keep no display id: a later `update_display` of the student's could otherwise rewrite an output
        that was put in its place since (a test cell's outputs are the judge's, composed after the kernel served
        it), or multiply one update over thousands of outputs past every cap. Updated displays keep their first
        state."""
        return super().output(outs, msg, None, cell_index)

    def _student_text(self, outputs: list[NotebookNode]) -> tuple[str, str]:
        """What the student's code showed while a test ran, as text, capped: on stdout (displays and the error of a
        broken serve() included), and on stderr."""
        shown = {"stdout": [], "stderr": []}
        for output in outputs:
            if output.output_type == "stream":
                shown["stderr" if output.name == "stderr" else "stdout"].append(output.text)
            elif output.output_type == "error":
                shown["stdout"].append(f"{output.ename}: {output.evalue}\n")
            elif "text/plain" in output.get("data", {}):
                shown["stdout"].append(str(output.data["text/plain"]) + "\n")
        texts = ["".join(parts) for parts in shown.values()]
        return tuple(text[:self.max_student_output] + "\n[cut]\n" if len(text) > self.max_student_output else text
                     for text in texts)
