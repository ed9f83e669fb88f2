"""The judge against a real sandboxed kernel: after a whole notebook is graded, the kernel holds nothing of the tests,
and the student's self-check gets the grader's verdict."""
from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from coursekit import notebooks, synthetic
from coursekit.preprocessors import SafeExecute

from feedback_pages import secret_lines


def descendants(pid: int) -> list[int]:
    """The processes started, directly or not, by `pid` (the sandbox's bwrap: the kernel is among them)."""
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def memory_of(pid: int) -> bytes:
    """Every readable, writable region of a process's memory (its heap, its stacks, its Python objects)."""
    chunks = []
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", buffering=0) as memory:
        for region in maps:
            addresses, permissions = region.split()[:2]
            if not permissions.startswith("rw"):
                continue
            start, end = (int(address, 16) for address in addresses.split("-"))
            try:
                memory.seek(start)
                chunks.append(memory.read(end - start))
            except (OSError, ValueError, OverflowError):
                continue
    return b"\n".join(chunks)


class InspectingExecute(SafeExecute):
    """SafeExecute that reads its kernel's memory once the last cell ran, before the kernel stops; then runs one
    more cell, a control, that puts `plant` in the kernel, and reads its memory again."""

    plant = ""

    def preprocess_cell(self, cell, resources, index):
        cell, resources = super().preprocess_cell(cell, resources, index)
        if index == len(self.nb.cells) - 1:
            kernels = [pid for pid in descendants(self.km.provisioner.process.pid)
                       if Path(f"/proc/{pid}/comm").read_text().startswith("python")]
            if len(kernels) != 1:  # not an assertion: SafeExecute would take it for the cell's failure
                raise SystemExit(f"expected one kernel process in the sandbox, found {kernels}")
            self.after_grading = memory_of(kernels[0])
            self.execute_cell(new_code_cell(f"planted = {self.plant!r}.upper().lower()"), index, store_history=False)
            self.after_control = memory_of(kernels[0])
        return cell, resources


@pytest.mark.skipif(os.geteuid() != 0, reason="reading another user's process memory takes root, as in CI")
def test_after_grading_the_kernel_holds_no_line_of_the_hidden_tests(master, release, tmp_path):
    secrets = sorted(secret_lines(master, release))
    assert len(secrets) > 100
    reference = synthetic.fill(release, synthetic.Case.reference().solutions(master))
    submission = nbformat.from_dict(master)  # the tests as the grader runs them, hidden parts included
    for cell_id, cell in notebooks.solution_cells(submission).items():
        cell.source = notebooks.solution_cells(reference)[cell_id].source
    executor = InspectingExecute(timeout=60)
    executor.plant = secrets[0]
    graded, _ = executor.preprocess(submission, {"metadata": {"path": str(tmp_path)}})
    assert all(notebooks.nbgrader_metadata(cell).get("points") is None or not cell.outputs
               or all(output.output_type != "error" for output in cell.outputs)
               for cell in notebooks.test_cells(graded).values()), "the reference failed a test"
    found = [line for line in secrets if line.encode() in executor.after_grading]
    assert not found, f"the kernel holds {len(found)} hidden-test lines, such as {found[:2]}"
    # The control: a line put in the kernel is found by the same search, so the search can see one.
    assert secrets[0].encode() in executor.after_control


def test_the_self_check_and_the_grader_agree_on_the_visible_checks_of_a_submission(master, release, tmp_path):
    """A function that returns what the grader cannot read (an object of the student's) fails the visible check
    in the self-check as it does for the grader; a correct one passes in both."""
    from coursekit import selfcheck

    solutions = synthetic.Case.reference().solutions(master)
    solutions["accuracy"] = ("class Fraction(float):\n    pass\n\n\ndef accuracy(t_true, t_pred):\n"
                             "    return Fraction(np.mean(np.asarray(t_true) == np.asarray(t_pred)))")
    path = tmp_path / "tp1_sgd.ipynb"
    nbformat.write(synthetic.fill(release, solutions), path)
    check = selfcheck.run_tests(path)
    failed = {outcome.cell: outcome.message for outcome in check.tests if not outcome.passed}
    assert set(failed) == {"test_accuracy"} and "not plain data" in failed["test_accuracy"], failed
