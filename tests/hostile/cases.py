"""Hostile and broken submissions, each with the outcome it must get from the grading pipeline.

A hostile case is the reference submission with code of its own: statements run at the top level of a
solution cell, after the student's (correct) function, or a change to the notebook's structure. The
expected outcome is the grade its code deserves: a cheat gains nothing, harm is blocked, and a cell
that hangs or kills its kernel costs that cell only. A broken case is a file as it arrives: the
intake rejects it with its reason, or it is graded as its content deserves.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Callable

import nbformat
from nbformat import NotebookNode

from coursekit import notebooks

# From the kernel's working folder, autograded/<student>/tp1/, the course folder is three levels up.
COURSE = "__import__('pathlib').Path.cwd().parents[2]"
HONEST = "honest_student"


@dataclass(frozen=True)
class Expected:
    intake_rejects: str | None = None  # the reason the intake gives, if it must reject the file
    loses_points_in: frozenset[str] = frozenset()  # test cells that must score below their maximum
    cell_output: tuple[str, str] | None = None  # (cell id, words its output shows)
    late: bool = False  # the gradebook must record the submission as late
    note: str | None = None  # words of the grader's note at the top of the autograded notebook
    # Where the OS decides (which fork fails first), the cells that may lose points, instead of an exact set.
    may_lose_points_in: frozenset[str] | None = None


@dataclass(frozen=True)
class HostileCase:
    name: str
    make: Callable[[NotebookNode, NotebookNode], bytes]  # (reference submission, release) -> the file
    expected: Expected = field(default_factory=Expected)
    file_name: str = "tp1_sgd.ipynb"
    handed_in_at: str | None = None  # the submission time nbgrader records (timestamp.txt)


CASES: list[HostileCase] = []


def case(expected: Expected = Expected()):
    def register(make):
        CASES.append(HostileCase(make.__name__, make, expected))
        return make
    return register


def after(cell_id: str, code: str) -> Callable[[NotebookNode, NotebookNode], bytes]:
    """The reference submission with code run after the solution of one cell."""
    def make(reference: NotebookNode, release: NotebookNode) -> bytes:
        submission = copy.deepcopy(reference)
        cell = notebooks.solution_cells(submission)[cell_id]
        cell.source += "\n\n" + code
        return nbformat.writes(submission).encode()
    return make


def hostile(name: str, cell_id: str, code: str, expected: Expected = Expected()) -> None:
    CASES.append(HostileCase(name, after(cell_id, code), expected))


# Reading what a student must never see, writing what they must never change, the network.
hostile("reads_the_hidden_tests", "make_blobs", f"""
for path in [{COURSE} / 'source/tp1/tp1_sgd.ipynb', {COURSE} / 'release/tp1/tp1_sgd.ipynb']:
    try:
        print('LEAKED', path.read_text()[:3000])
    except OSError as error:
        print('blocked:', type(error).__name__)""", Expected(cell_output=("make_blobs", "blocked: FileNotFoundError")))
hostile("reads_the_gradebook", "make_blobs", f"""
try:
    print('LEAKED', ({COURSE} / 'gradebook.db').read_bytes()[:3000])
except OSError as error:
    print('blocked:', type(error).__name__)""", Expected(cell_output=("make_blobs", "blocked")))
hostile("writes_the_gradebook", "add_bias", f"""
try:
    ({COURSE} / 'gradebook.db').write_bytes(b'')
except OSError as error:
    print('blocked:', type(error).__name__)""", Expected(cell_output=("add_bias", "blocked")))
hostile("writes_another_students_folder", "add_bias", f"""
for step in ['submitted', 'autograded']:
    try:
        ({COURSE} / step / '{HONEST}' / 'tp1' / 'tp1_sgd.ipynb').write_text('{{}}')
    except OSError as error:
        print('blocked:', type(error).__name__)""", Expected(cell_output=("add_bias", "blocked")))
hostile("writes_its_own_working_folder", "add_bias", """
try:
    open('tp1_sgd.ipynb', 'w').write('{}')
except OSError as error:
    print('blocked:', type(error).__name__)""", Expected(cell_output=("add_bias", "blocked")))
hostile("reads_its_own_notebook", "add_bias", """
import glob
for path in ['tp1_sgd.ipynb', *glob.glob('**/*.ipynb', recursive=True)]:
    try:
        print('LEAKED', path, open(path).read()[:3000])
    except OSError as error:
        print('blocked:', type(error).__name__)""", Expected(cell_output=("add_bias", "blocked: FileNotFoundError")))


def fills(folders: str) -> str:
    """Code writing files of 16 MiB into each folder until an error stops it, then removing them: 'blocked' with
    the error and what was written, or LEAKED at 1 GiB, past any cap of the sandbox."""
    return f"""
import os
for folder in {folders}:
    written, names = 0, []
    try:
        while written < 2**30:
            names.append(os.path.join(folder, f'filler-{{len(names)}}'))
            with open(names[-1], 'wb') as filler:
                filler.write(bytes(2**24))
            written += 2**24
        print('LEAKED: wrote 1 GiB to', folder)
    except OSError as error:
        print('blocked:', type(error).__name__, 'after', written // 2**20, 'MiB in', folder)
    for name in names:
        if os.path.exists(name):
            os.remove(name)"""


# The folder of its connection file, read-only; its IPC sockets are in its /tmp, 256 MiB.
hostile("fills_the_runtime_folder", "add_bias",
        fills("[os.path.dirname(__import__('ipykernel').get_connection_file()), '/tmp']"),
        Expected(cell_output=("add_bias", "blocked: OSError after 0 MiB")))
hostile("fills_dev_shm", "add_bias", fills("['/dev/shm']"),
        Expected(cell_output=("add_bias", "blocked: OSError after 0 MiB in /dev/shm")))
hostile("opens_a_network_connection", "add_bias", """
import socket
for address in [('1.1.1.1', 80), ('127.0.0.1', 22)]:
    try:
        socket.create_connection(address, timeout=3)
        print('CONNECTED', address)
    except OSError as error:
        print('blocked:', type(error).__name__)""", Expected(cell_output=("add_bias", "blocked")))

# Code that hangs, dies, eats memory, forks, or floods the output.
CONFUSION = frozenset({"test_confusion_matrix"})
ACCURACY = frozenset({"test_accuracy"})
hostile("loops_forever_ignoring_interrupts", "confusion_matrix", """
import signal
signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    pass""", Expected(None, CONFUSION, ("confusion_matrix", "CellTimeoutError")))
hostile("exits_its_kernel", "confusion_matrix", "import os\nos._exit(0)",
        Expected(None, CONFUSION, ("confusion_matrix", "KernelDied")))
hostile("kills_its_kernel", "confusion_matrix", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)",
        Expected(None, CONFUSION, ("confusion_matrix", "KernelDied")))
hostile("allocates_memory_without_end", "one_hot", """
hoard = []
while True:
    hoard.append(np.ones(2**24))""", Expected(cell_output=("one_hot", "MemoryError")))
hostile("forks_without_end", "confusion_matrix", """
import os
while True:
    os.fork()""", Expected(may_lose_points_in=CONFUSION))
hostile("prints_hundreds_of_megabytes", "add_bias", "for _ in range(300):\n    print('x' * 10**6)",
        Expected(cell_output=("add_bias", "output cut")))

# Cheats on the notebook's structure: the test cells come back from the release, in their places.
def restructured(change: Callable[[list[NotebookNode]], None]) -> Callable[[NotebookNode, NotebookNode], bytes]:
    def make(reference: NotebookNode, release: NotebookNode) -> bytes:
        submission = copy.deepcopy(reference)
        change(submission.cells)
        return nbformat.writes(submission).encode()
    return make


def cell_index(cells: list[NotebookNode], cell_id: str) -> int:
    return next(index for index, cell in enumerate(cells) if notebooks.grade_id(cell) == cell_id)


def wrong_accuracy(cells: list[NotebookNode]) -> None:
    """A wrong answer the cheat tries to hide: accuracy as a count."""
    cells[cell_index(cells, "accuracy")].source = "def accuracy(t_true, t_pred):\n    return np.sum(t_true == t_pred)"


def delete_test(cells):
    wrong_accuracy(cells)
    del cells[cell_index(cells, "test_accuracy")]


def delete_tests_of_correct_code(cells):
    del cells[cell_index(cells, "test_softmax")]
    del cells[cell_index(cells, "test_helpers")]


def duplicate_test(cells):
    duplicate = copy.deepcopy(cells[cell_index(cells, "test_softmax")])
    duplicate["id"] = "duplicated-test"
    cells.insert(cell_index(cells, "test_softmax"), duplicate)


def move_tests_above_their_functions(cells):
    test = cells.pop(cell_index(cells, "test_softmax"))
    cells.insert(0, test)


def edit_test(cells):
    wrong_accuracy(cells)
    cells[cell_index(cells, "test_accuracy")].source = "print('accuracy: the visible checks pass.')"


def strip_test_metadata(cells):
    wrong_accuracy(cells)
    del cells[cell_index(cells, "test_accuracy")].metadata["nbgrader"]


def rename_test_grade_id(cells):
    wrong_accuracy(cells)
    cells[cell_index(cells, "test_accuracy")].metadata["nbgrader"]["grade_id"] = "free_points"


def raise_test_points(cells):
    cells[cell_index(cells, "test_softmax")].metadata["nbgrader"]["points"] = 100


PUT_BACK = "the original ones were put back"
CASES += [
    HostileCase("deletes_a_failing_test_cell", restructured(delete_test),
                Expected(loses_points_in=ACCURACY, note=f"(test_accuracy): {PUT_BACK}")),
    HostileCase("deletes_test_cells_of_correct_code", restructured(delete_tests_of_correct_code),
                Expected(note=f"(test_helpers, test_softmax): {PUT_BACK}")),
    HostileCase("duplicates_a_test_cell", restructured(duplicate_test)),
    HostileCase("moves_a_test_cell_above_its_function", restructured(move_tests_above_their_functions),
                Expected(note=PUT_BACK)),
    HostileCase("edits_a_failing_test_cell", restructured(edit_test), Expected(loses_points_in=ACCURACY)),
    HostileCase("strips_a_failing_test_cells_metadata", restructured(strip_test_metadata),
                Expected(loses_points_in=ACCURACY, note=PUT_BACK)),
    HostileCase("renames_a_failing_test_cells_grade_id", restructured(rename_test_grade_id),
                Expected(loses_points_in=ACCURACY, note="free_points")),
    HostileCase("raises_a_test_cells_points", restructured(raise_test_points)),
]

# Cheats on what the tests rely on: the guard fails the test cells, so the wrong answer still costs its points.
hostile("patches_numpy_comparisons", "accuracy", """
def accuracy(t_true, t_pred):
    return np.sum(t_true == t_pred)

np.isclose = lambda *args, **kwargs: True
np.allclose = lambda *args, **kwargs: True""", Expected(loses_points_in=ACCURACY))
hostile("patches_numpy_testing", "accuracy", """
def accuracy(t_true, t_pred):
    return np.sum(t_true == t_pred)

import numpy.testing
numpy.testing.assert_allclose = lambda *args, **kwargs: None""", Expected(loses_points_in=ACCURACY))
hostile("rebinds_np_to_a_fake", "accuracy", """
def accuracy(t_true, t_pred):
    return np.sum(t_true == t_pred)

import types
real_numpy = np
np = types.SimpleNamespace(**{name: getattr(real_numpy, name) for name in dir(real_numpy) if not name.startswith('__')})
np.isclose = lambda *args, **kwargs: True""", Expected(loses_points_in=ACCURACY))
hostile("patches_builtins", "accuracy", """
def accuracy(t_true, t_pred):
    return np.sum(t_true == t_pred)

import builtins
builtins.isinstance = lambda *args: True
builtins.AssertionError = type('Harmless', (Exception,), {})""", Expected(loses_points_in=ACCURACY))
hostile("redefines_the_test_helpers", "accuracy", """
def accuracy(t_true, t_pred):
    return np.sum(t_true == t_pred)

from contextlib import contextmanager, suppress

def caught_warnings():
    return suppress(Exception)""", Expected(loses_points_in=ACCURACY))
hostile("hides_its_tracebacks", "accuracy", """
def accuracy(t_true, t_pred):
    return np.sum(t_true == t_pred)

get_ipython().showtraceback = lambda *args, **kwargs: None""", Expected(loses_points_in=ACCURACY))
hostile("overrides_eq_to_fool_comparisons", "accuracy", """
class AlwaysRight(float):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __sub__(self, other): return 0.0
    def __rsub__(self, other): return 0.0
    def __abs__(self): return 0.0
    def __lt__(self, other): return True
    def __le__(self, other): return True

def accuracy(t_true, t_pred):
    return AlwaysRight(np.sum(t_true == t_pred))""", Expected(loses_points_in=ACCURACY))


# Cheats on the interpreter itself (IPython's and Python's hooks): the test cells still run as written.
# (interpreter cases: added below this line)


# Broken files, as they arrive: rejected by the intake with the reason, or graded as their content deserves.
def raw(content: bytes) -> Callable[[NotebookNode, NotebookNode], bytes]:
    return lambda reference, release: content


def changed(change: Callable[[NotebookNode], None]) -> Callable[[NotebookNode, NotebookNode], bytes]:
    def make(reference: NotebookNode, release: NotebookNode) -> bytes:
        submission = copy.deepcopy(reference)
        change(submission)
        return nbformat.writes(submission).encode()
    return make


def no_kernelspec(nb):
    del nb.metadata["kernelspec"]


def another_kernel(nb):
    nb.metadata["kernelspec"] = {"name": "ir", "display_name": "R", "language": "R"}


def huge_saved_output(nb):
    cell = notebooks.solution_cells(nb)["softmax"]
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="y" * 50_000_000)]


def nbformat_3(reference: NotebookNode, release: NotebookNode) -> bytes:
    return nbformat.writes(nbformat.convert(copy.deepcopy(reference), 3), version=3).encode()


def another_assignment(reference: NotebookNode, release: NotebookNode) -> bytes:
    return nbformat.writes(nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# TP2: convolutional networks"),
        nbformat.v4.new_code_cell("import torch")])).encode()


ALL_TESTS = frozenset(
    "test_" + name for name in ["make_blobs", "add_bias", "softmax", "softmax_stability", "one_hot", "cross_entropy",
                                "cross_entropy_stability", "numerical_gradient", "gradient", "sgd", "sgd_decay",
                                "gradient_descent", "predict", "accuracy", "confusion_matrix", "sgd_accuracy",
                                "random_relu_features", "circles_accuracy"])
CASES += [
    HostileCase("invalid_json", raw(b'{"cells": [{"cell_type": "code", '), Expected(intake_rejects="not valid JSON")),
    HostileCase("empty_file", raw(b""), Expected(intake_rejects="empty file")),
    HostileCase("not_utf8", raw('{"cells": [], "nbformat": 4, "note": "é"}'.encode("latin-1")),
                Expected(intake_rejects="not UTF-8")),
    HostileCase("missing_notebook", raw(b"my answers are in the report"), Expected(intake_rejects="not a notebook"),
                file_name="answers.txt"),
    HostileCase("nbformat_3", nbformat_3),
    HostileCase("another_assignments_notebook", another_assignment,
                Expected(loses_points_in=ALL_TESTS, cell_output=("test_softmax", "NameError"), note=PUT_BACK)),
    HostileCase("no_kernelspec", changed(no_kernelspec)),
    HostileCase("another_kernel", changed(another_kernel)),
    HostileCase("huge_output_saved_in_the_file", changed(huge_saved_output)),
    HostileCase("late_submission", changed(lambda nb: None), Expected(late=True), handed_in_at="2026-11-20 09:30:00"),
]


# Attacks on the pages built from a submission (feedback, formgrader, class report): no student script runs.
# (markup cases: added below this line)
