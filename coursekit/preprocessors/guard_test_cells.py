"""Test cells that run on the real numpy and test helpers, whatever the student's code replaced.

A student's code runs in the same Python as the tests: it can replace `np.isclose` or `np.allclose`
by a function that always agrees, rebind `np`, redefine the notebook's test helpers (`caught_warnings`
swallowing every error), replace a builtin, or install a trace function. Run in `nbgrader autograde`
after OverwriteCells (nbgrader_config.py), this preprocessor adds a first cell, before any student
code, that records numpy's, the builtins' and math's functions; and, around each test and read-only
cell, hidden steps: before it, put back whatever was replaced (numpy's functions, `np`, the functions
and classes the read-only and test cells define, the trace function), saying so, and make the
student's functions return plain numbers and arrays (a float or array subclass overriding `__eq__`
loses its overrides); after it, fail the cell if anything was replaced while it ran. So a test
judges the student's code on its merits, and a cheat earns nothing. The guard is left out of the
feedback.

This stops the cheats a student can write without studying the grader; code that reads the notebook's
history to find the guard could still defeat it (see the README's security section).
"""
from __future__ import annotations

import ast
import secrets

from nbformat import NotebookNode
from nbformat.v4 import new_code_cell

from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor

BEGIN, END = "### BEGIN GUARD", "### END GUARD"
SIGNATURE = "def _make_guard():"  # how the added first cell starts (autograde clears cell metadata)

_SETUP = SIGNATURE + '''

    import builtins, functools, math, sys, numpy, numpy.linalg, numpy.random
    modules = [numpy, numpy.linalg, numpy.random, builtins, math]
    # IPython and ipykernel put get_ipython, exit, quit and input back in builtins around every cell, anew.
    recorded = [(module, name, value) for module in modules for name, value in list(vars(module).items())
                if not name.startswith("_") and not (module is builtins and name in ("get_ipython", "exit", "quit", "input"))]
    trusted, wrapped = {{}}, set()
    identity, gettrace, getprofile, settrace, setprofile = (lambda a, b: a is b), sys.gettrace, sys.getprofile, sys.settrace, sys.setprofile
    plain_types, ndarray, asarray, setattr_, print_ = (float, int, complex, bool), numpy.ndarray, numpy.asarray, setattr, print

    def plain(value):
        # A value of a class of the student's own, made from a number or an array, loses its overrides.
        kind = type(value)
        if kind.__module__ in ("builtins", "numpy"):
            return tuple(map(plain, value)) if kind is tuple else value
        if isinstance(value, ndarray):
            return asarray(value)
        base = next((base for base in plain_types if isinstance(value, base)), None)
        return base(value) if base is not None else value

    def with_plain_results(function):
        @functools.wraps(function)
        def call(*args, **kwargs):
            return plain(function(*args, **kwargs))
        wrapped.add(call)
        return call

    def tampering(namespace):
        replaced = [(f"{{module.__name__}}.{{name}}", lambda m=module, n=name, v=value: setattr_(m, n, v))
                    for module, name, value in recorded if not identity(vars(module).get(name, value), value)]
        replaced += [(name, lambda n=name, v=value: namespace.__setitem__(n, v))
                     for name, value in trusted.items() if not identity(namespace.get(name), value)]
        if "np" in namespace and not identity(namespace["np"], numpy):
            replaced.append(("np", lambda: namespace.__setitem__("np", numpy)))
        if gettrace() is not None or getprofile() is not None:
            replaced.append(("the trace function", lambda: (settrace(None), setprofile(None))))
        return replaced

    class Guard:
        def remember(self, namespace, defined):
            trusted.update({{name: namespace[name] for name in defined if name in namespace}})

        def before_test(self, namespace, students_functions):
            # Undo what the notebook's code replaced, so that the test runs on the real thing.
            replaced = tampering(namespace)
            for _, undo in replaced:
                undo()
            if replaced:
                print_("[the grader undid what the notebook's code had replaced: "
                       + ", ".join(sorted(name for name, _ in replaced)[:5]) + "]")
            for name in students_functions:
                function = namespace.get(name)
                if callable(function) and function not in wrapped and name not in trusted:
                    namespace[name] = with_plain_results(function)

        def after_test(self, namespace):
            replaced = tampering(namespace)
            if replaced:
                raise AssertionError(
                    "the tests cannot be trusted: the notebook's code replaced "
                    + ", ".join(sorted(name for name, _ in replaced)[:5])
                    + " while this test ran. Do not change numpy, Python's builtins or the test helpers.")
    return Guard()


{name} = _make_guard()
del _make_guard
'''


class GuardTestCells(NbGraderPreprocessor):
    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        guard = f"_{secrets.token_hex(8)}"  # a new name each time: student code cannot name it in advance
        students = sorted({name for cell in nb.cells if cell.cell_type == "code" and utils.is_solution(cell)
                           for name in _definitions(cell.source, functions_only=True)})
        for cell in nb.cells:
            if cell.cell_type == "code" and utils.is_locked(cell) and not utils.is_solution(cell):
                defined = _definitions(cell.source)
                cell.source = (f"{BEGIN}\n{guard}.before_test(globals(), {students!r})\n{END}\n{cell.source}\n"
                               f"{BEGIN}\n{guard}.remember(globals(), {defined!r})\n{guard}.after_test(globals())\n{END}")
        nb.cells.insert(0, new_code_cell(_SETUP.format(name=guard)))
        return nb, resources


def without_guard(nb: NotebookNode) -> set[str]:
    """Take the guard out of an autograded notebook (for the feedback): its cell and its hidden checks.
    Returns the execution count of the guard's cell, whose frames tracebacks may still show."""
    guard_cells = [cell for cell in nb.cells if cell.cell_type == "code" and cell.source.startswith(SIGNATURE)]
    runs = {str(cell.execution_count) for cell in guard_cells if cell.get("execution_count") is not None}
    nb.cells = [cell for cell in nb.cells if cell not in guard_cells]
    for cell in nb.cells:
        if BEGIN in cell.source:
            kept, inside = [], False
            for line in cell.source.split("\n"):
                if line == BEGIN or line == END:
                    inside = line == BEGIN
                elif not inside:
                    kept.append(line)
            cell.source = "\n".join(kept)
    return runs


def _definitions(source: str, functions_only: bool = False) -> list[str]:
    """The functions, classes and imports a cell defines at its top level (what later cells rely on)."""
    try:
        module = ast.parse(source)
    except SyntaxError:
        return []
    names = []
    for statement in module.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) or (
                isinstance(statement, ast.ClassDef) and not functions_only):
            names.append(statement.name)
        elif isinstance(statement, (ast.Import, ast.ImportFrom)) and not functions_only:
            names += [(alias.asname or alias.name).split(".")[0] for alias in statement.names]
    return names
