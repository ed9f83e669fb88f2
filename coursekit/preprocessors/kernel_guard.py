"""The guard that runs inside the kernel being graded, before any student code, and signs each test's result.

GuardTestCells sends this file's source in the notebook's first cell, with a key drawn for this execution and
the source of every test and read-only cell; the cell runs it in a namespace of its own, with its own copy of
the builtins, so that no name of the notebook's ever stands in for one of the guard's (the grader never imports
it: the sandboxed kernel cannot import the course's package). `_make_guard` keeps the key and the sources inside
a Python audit hook, the one object in the process that no Python code can reach or remove (PEP 578), and forgets
the cell's source. Then each test cell is sent as a statement that raises the audit event `coursekit.test` with
the cell's index and a nonce that SafeExecute drew for that execution; each test runs once. The hook, in the
kernel's main thread:

- parks the threads the student's code started, resets signal handlers and timers, and puts back what it
  replaced (numpy's, math's, warnings', functools' and contextlib's functions and the methods of their classes,
  the builtins, `sys.modules`, the trace and profile functions, numpy's error state, gc callbacks, the
  recursion limit), saying so in the cell;
- compiles the test's source with Python's own compile and runs it in a thread of its own, in a namespace of
  its own: the student's names, less those that shadow builtins, with the test helpers and numpy as recorded.
  No input or AST transformer, compiler, exception handler, display hook or `run_cell` of the student's ever
  sees a statement of a test;
- runs each student function the test calls in a thread of its own too (seeing the reference functions a
  test puts in place of the student's), and takes back only numbers, arrays, lists and tuples of numpy's and
  Python's own types: the student's code never runs in a thread whose frames hold the test, and cannot read the
  test's variables or code from its caller's frame;
- fails the test if anything above was replaced while it ran;
- and signs the outcome (HMAC with the key: the nonce, the cell's index and the value of a final expression,
  for partial credit). The signature is printed by the cell; SafeExecute gives no points without a valid one.
  The notebook's namespace then receives copies of the data the test's visible part defines, and its own
  definitions of what a read-only cell defines: never an object the tests use.

The same hook refuses what would let student code reach the hook's state or the tests: other audit hooks,
`gc.get_objects`/`get_referrers`/`get_referents`, `sys._current_frames`, ctypes, tracers and profilers, and
the code or frames of the tests and of the guard (`f_code`, `__code__`, `tb_frame`, `gi_frame`...), in every
thread, unless the guard's own functions ask. The hook never calls code of the student's: every object it
handles is checked with `type(...) is ...` first, and the notebook's namespace keeps only string keys.

Checked with CPython 3.11 (its audit events), IPython 9.18 and ipykernel 7.4.
"""


def _make_guard(key, tests, event):  # noqa: C901 (one closure on purpose: nothing of it is reachable by name)
    import _hashlib
    import contextlib
    import _thread
    import ast
    import builtins
    import contextvars
    import ctypes
    import functools
    import gc
    import linecache
    import math
    import os
    import signal
    import sys
    import time
    import types
    import warnings

    import numpy
    import numpy.linalg
    import numpy.random
    import numpy.testing
    import zmq.utils.garbage

    shell = get_ipython()  # noqa: F821 (IPython's, in the kernel)
    kernel = getattr(shell, "kernel", None)
    signer = _hashlib.hmac_new(bytes.fromhex(key), digestmod="sha256")  # a C object: no method to patch
    pending = dict(enumerate(source for source, _, _ in tests))  # index -> the test's source, until it runs
    shown = dict(enumerate(set(names) for _, names, _ in tests))  # index -> the names its visible part defines
    redefined = dict(enumerate(notebook_source for _, _, notebook_source in tests))  # read-only cells: their source
    marker = key  # only this cell's source holds it
    del key, tests
    missing = object()
    guard_file = sys._getframe(0).f_code.co_filename
    test_file = "<hidden test {}>"
    main_thread = _thread.get_ident()
    set_async_exception = ctypes.pythonapi.PyThreadState_SetAsyncExc  # resolved now: ctypes is refused later
    builtin_compile, builtin_exec, builtin_eval = compile, exec, eval
    ndarray, array_view = numpy.ndarray, numpy.ndarray.view
    numpy_numbers = {kind for kind in numpy.sctypeDict.values() if kind is not numpy.bool_}
    frame_type, function_type, code_type, traceback_type = (types.FrameType, types.FunctionType, types.CodeType,
                                                            types.TracebackType)
    exception_traceback = BaseException.__dict__["__traceback__"]
    exception_context = BaseException.__dict__["__context__"]
    exception_cause = BaseException.__dict__["__cause__"]
    get_ident, allocate_lock, start_thread = _thread.get_ident, _thread.allocate_lock, _thread.start_new_thread
    if not zmq.utils.garbage.gc.is_alive():  # pyzmq's collector thread: started now, so it counts as the kernel's
        zmq.utils.garbage.gc.start()

    # --- What stays as recorded here: the functions the tests compute with, and the process's state.
    numpy_modules = [module for module_name, module in list(sys.modules.items())
                     if (module_name == "numpy" or module_name.startswith("numpy.")) and type(module) is types.ModuleType]
    renewed_builtins = {"get_ipython", "exit", "quit", "input", "display", "_", "__", "___"}  # IPython's, per cell
    recorded = [(vars(module), module.__name__, attribute, value)
                for module in [*numpy_modules, math, warnings, functools, contextlib]
                for attribute, value in list(vars(module).items())
                if callable(value) and not attribute.startswith("__")]
    recorded += [(vars(builtins), "builtins", attribute, value) for attribute, value in list(vars(builtins).items())
                 if attribute not in renewed_builtins
                 and (not attribute.startswith("_") or attribute in ("__import__", "__build_class__"))]
    builtin_names = {attribute for _, module_name, attribute, _ in recorded if module_name == "builtins"}
    method_kinds = (types.FunctionType, property, classmethod, staticmethod, types.MethodType)
    recorded_classes = {(cls, name): value
                        for module in [*numpy_modules, warnings, functools, contextlib]
                        for cls in list(vars(module).values())
                        if issubclass(type(cls), type) and cls.__module__ == module.__name__
                        for name, value in list(vars(cls).items()) if issubclass(type(value), method_kinds)}
    recorded_modules = dict(sys.modules)
    sys_attributes = ("stdout", "stderr", "breakpointhook", "unraisablehook")
    recorded_sys = {attribute: getattr(sys, attribute) for attribute in sys_attributes}
    recorded_signals = {}
    for number in signal.valid_signals():
        try:
            recorded_signals[number] = signal.getsignal(number)
        except (OSError, ValueError):
            pass
    recorded_numpy_errors, recorded_numpy_callback = numpy.geterr(), numpy.geterrcall()
    recorded_gc_callbacks = list(gc.callbacks)
    recorded_recursion, recorded_switch = sys.getrecursionlimit(), sys.getswitchinterval()
    user_ns = shell.user_ns
    initial_names = set(user_ns)
    kernel_threads = set(sys._current_frames())
    trusted, parked = {}, set()  # trusted: what the test and read-only cells defined
    inside = set()  # threads inside the hook: the hook's own attribute reads raise events too
    stashed = []  # keys of the notebook's namespace that are not plain strings: kept alive, so no finalizer runs

    def put_back():
        """Put back what the student's code replaced; return what was. Signal handlers and timers first: a
        handler of the student's could otherwise patch again what was just put back."""
        undone = set()
        for number, handler in recorded_signals.items():
            try:
                if handler is not None and signal.getsignal(number) is not handler:
                    signal.signal(number, handler)
                    undone.add("a signal handler")
            except (OSError, ValueError, TypeError):
                pass
        for timer in (signal.ITIMER_REAL, signal.ITIMER_VIRTUAL, signal.ITIMER_PROF):
            if signal.getitimer(timer) != (0.0, 0.0):
                signal.setitimer(timer, 0)
                undone.add("a timer")
        if signal.alarm(0):
            undone.add("a timer")
        for namespace, module_name, attribute, value in recorded:
            if namespace.get(attribute, missing) is not value:
                namespace[attribute] = value
                undone.add(f"{module_name}.{attribute}")
        for (cls, name), value in recorded_classes.items():
            if vars(cls).get(name, missing) is not value:
                type.__setattr__(cls, name, value)
                undone.add(f"{cls.__name__}.{name}")
        for module_name, module in recorded_modules.items():
            if sys.modules.get(module_name) is not module:
                sys.modules[module_name] = module
                undone.add("sys.modules")
        for attribute, value in recorded_sys.items():
            if getattr(sys, attribute) is not value:
                setattr(sys, attribute, value)
                undone.add(f"sys.{attribute}")
        if sys.gettrace() is not None or sys.getprofile() is not None:
            undone.add("the trace function")
        sys.settrace(None)  # also removes a tracer set from C (PyEval_SetTrace), which gettrace() may not show
        sys.setprofile(None)
        if numpy.geterr() != recorded_numpy_errors or numpy.geterrcall() is not recorded_numpy_callback:
            numpy.seterr(**recorded_numpy_errors)
            numpy.seterrcall(recorded_numpy_callback)
            undone.add("numpy's error handling")
        callbacks = list(gc.callbacks)
        if len(callbacks) != len(recorded_gc_callbacks) or any(
                mine is not theirs for mine, theirs in zip(callbacks, recorded_gc_callbacks)):
            gc.callbacks[:] = recorded_gc_callbacks
            undone.add("gc.callbacks")
        if sys.getrecursionlimit() != recorded_recursion or sys.getswitchinterval() != recorded_switch:
            sys.setrecursionlimit(recorded_recursion)
            sys.setswitchinterval(recorded_switch)
            undone.add("the recursion limit")
        return undone

    class Parked(BaseException):
        """Raised in a thread of the student's: made when the thread catches it (or dies of it), it parks the
        thread for good, so that even `except BaseException` cannot keep it patching during the tests."""

        def __init__(self, *args):
            parked.add(get_ident())
            lock = allocate_lock()
            lock.acquire()
            lock.acquire()  # never released

    def threads():
        return set(sys._current_frames())

    def purge_namespace():
        """Keep only plain-string keys in the notebook's namespace: a key of the student's class could run its
        code when a lookup compares keys."""
        items = list(user_ns.items())
        odd = [(name, value) for name, value in items if type(name) is not str]
        if odd:
            stashed.append(odd)
            user_ns.clear()
            user_ns.update((name, value) for name, value in items if type(name) is str)

    def park(idents):
        for ident in idents:
            set_async_exception(ctypes.c_ulong(ident), ctypes.py_object(Parked))
        if idents:
            time.sleep(0.05)  # each reaches its next instruction, and parks
        return {"a thread"} if idents else set()

    # --- The protections that hold at every moment, test or not. What they refuse ends the kernel (SafeExecute
    # then runs the notebook again without that cell): an exception would carry this hook's frame to the student.
    hook_functions = {"audit", "run", "run_test", "test_body"}  # the frames that hold the key or the tests

    def protected(code):
        return type(code) is code_type and (code.co_filename.startswith("<hidden test ") or (
            code.co_filename == guard_file and code.co_name in hook_functions))

    def refuse():
        os._exit(3)

    def frame_code(frame):
        return frame.f_code if type(frame) is frame_type else None

    revealing = {
        "f_code": frame_code,
        "tb_frame": lambda entry: frame_code(entry.tb_frame) if type(entry) is traceback_type else None,
        "__code__": lambda function: function.__code__ if type(function) is function_type else None,
        **{name: (lambda attribute: lambda obj: frame_code(getattr(obj, attribute, None)) if type(obj) in (
            types.GeneratorType, types.CoroutineType, types.AsyncGeneratorType) else None)(name)
           for name in ("gi_frame", "cr_frame", "ag_frame")},
        **{name: (lambda attribute: lambda obj: getattr(obj, attribute, None) if type(obj) in (
            types.GeneratorType, types.CoroutineType, types.AsyncGeneratorType) else None)(name)
           for name in ("gi_code", "cr_code", "ag_code")},
    }
    refused = {"sys.addaudithook", "gc.get_objects", "gc.get_referrers", "gc.get_referents", "sys._current_frames"}

    def audit(name, args):
        me = get_ident()
        if type(name) is not str or me in inside:
            return
        inside.add(me)
        try:
            if name == event:
                if me == main_thread:
                    run(args)
                return
            try:
                caller = sys._getframe(1).f_code
            except ValueError:  # raised from C with no Python caller
                caller = None
            if any(caller is own for own in own_calls):  # the guard's own frame and thread calls
                return
            if name in refused or name.startswith("ctypes.") or (
                    name in ("sys.settrace", "sys.setprofile") and args[0] is not None) or (
                    name == "sys._getframe" and protected(frame_code(args[0]))) or (
                    name == "object.__getattr__" and type(args[1]) is str and args[1] in revealing
                    and protected(revealing[args[1]](args[0]))):
                refuse()
        finally:
            inside.discard(me)

    # --- The student's functions, as the tests call them.
    test_threads, student_wrappers = set(), {}
    plain_kinds = {float: float.__float__, int: int.__index__, complex: complex.__complex__, str: str.__str__}
    exact_kinds = {bool, int, float, complex, str, bytes, type(None), *numpy_numbers, numpy.bool_}

    def plain(value):
        """What a student's function returned, as numbers, arrays, lists and tuples of its own classes only
        (never a subclass whose comparisons the student wrote), read without running any of the student's code."""
        kind = type(value)
        if kind in (tuple, list):
            return kind(plain(item) for item in value)
        if kind is dict:
            return {plain(key): plain(item) for key, item in value.items()}
        if issubclass(kind, ndarray):
            if value.dtype.hasobject:
                raise TypeError("your function returned an array of Python objects: return an array of numbers")
            return value if kind is ndarray else array_view(value, ndarray)
        if kind in exact_kinds:
            return value
        for base, convert in plain_kinds.items():
            if issubclass(kind, base):
                return convert(value)
        raise TypeError(f"your function returned a {kind.__name__} of its own: return numbers, numpy arrays, "
                        "lists or tuples")

    def wrapped_for_tests(function):
        """The student's function as the test sees it: run in a thread of its own, with plain results."""
        def call(*args, **kwargs):
            if get_ident() not in test_threads:  # the student's code calling it: no new thread
                return function(*args, **kwargs)
            context, box, done = contextvars.copy_context(), [], allocate_lock()
            done.acquire()
            before = threads()
            # What a test put in place of the student's functions (reference ones), the student's code sees too.
            purge_namespace()
            replaced = {name: tests_globals[name] for name, wrapper in student_wrappers.items()
                        if tests_globals.get(name, wrapper) is not wrapper}
            saved = {name: user_ns.get(name, missing) for name in replaced}
            user_ns.update(replaced)

            def student_call():
                try:
                    box.append((True, context.run(function, *args, **kwargs)))
                except BaseException as error:
                    box.append((False, error))
                finally:
                    done.release()
            try:
                ident = start_thread(student_call, ())
                done.acquire()
                while ident in threads():  # released early by the student's code: wait for the function's end
                    time.sleep(0.001)
                park(threads() - before - parked)  # a thread the function started must not run during the test
            finally:  # the student's own functions back, even when no thread could start (a fork bomb's doing)
                for name, value in saved.items():
                    if value is missing:
                        user_ns.pop(name, None)
                    else:
                        user_ns[name] = value
            if len(box) != 1:
                raise AssertionError("the tests cannot be trusted: your function reached into the grader")
            returned, outcome = box[0]
            if not returned:
                raise outcome
            return plain(outcome)
        return call

    tests_globals, tests_own = {}, set()  # one namespace for every test, and the names the tests themselves set

    def test_namespace():
        """The tests' globals, brought up to date: the student's names (exact strings only, none that shadows a
        builtin, functions wrapped), except the names the tests set, then the test helpers and numpy as recorded.
        Returns the names that shadow builtins."""
        shadowing = set()
        student_wrappers.clear()
        for name, value in list(user_ns.items()):
            if type(name) is not str or name in tests_own:
                continue
            if name in builtin_names:
                shadowing.add(name)
                tests_globals.pop(name, None)
                continue
            if name not in initial_names and not name.startswith("_") and callable(value) and not issubclass(
                    type(value), (type, types.ModuleType)):
                value = student_wrappers[name] = wrapped_for_tests(value)
            tests_globals[name] = value
        tests_globals.update(trusted)
        tests_globals["np"] = numpy
        return shadowing

    def without_protected_frames(error, depth=0):
        """The error without the traceback entries of the guard's and the tests' code: the student's frames only."""
        if depth > 3 or not issubclass(type(error), BaseException):
            return error
        kept, entry = [], exception_traceback.__get__(error)
        while type(entry) is traceback_type:
            code = entry.tb_frame.f_code
            if not (protected(code) or code.co_filename == guard_file):  # the student's own frames only
                kept.append(entry)
            entry = entry.tb_next
        for first, second in zip(kept, kept[1:] + [None]):
            first.tb_next = second
        exception_traceback.__set__(error, kept[0] if kept else None)
        for link in (exception_context, exception_cause):
            linked = link.__get__(error)
            if linked is not None:
                without_protected_frames(linked, depth + 1)
        return error

    def copy_of(value, depth=0):
        """A copy of a test's data for the notebook (numbers, strings, arrays, lists, tuples): the tests keep
        theirs. Anything else (functions, classes) is not handed over: `missing`."""
        kind = type(value)
        if kind in exact_kinds:
            return value
        if kind is ndarray and not value.dtype.hasobject:
            return ndarray.copy(value)
        if kind in (list, tuple) and depth < 8:
            items = [copy_of(item, depth + 1) for item in value]
            return missing if any(item is missing for item in items) else kind(items)
        return missing

    def definitions(tree):
        names = []
        for statement in tree.body:
            if type(statement) in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
                names.append(statement.name)
            elif type(statement) in (ast.Import, ast.ImportFrom):
                names += [(alias.asname or alias.name).split(".")[0] for alias in statement.names]
        return names

    def run(args):
        """The audit event `coursekit.test`: run test `index` for `nonce`, and hand the cell what it defined (its
        visible part), the grader's notes, and the signed proof of its run or its error."""
        if len(args) != 3 or type(args[0]) is not int or type(args[1]) is not str or type(args[2]) is not list:
            return
        index, nonce, outcome = args
        if index not in pending:  # each test runs once: the notebook's code cannot use it as an oracle
            return
        try:
            outcome[:] = run_test(index, pending.pop(index), nonce)
        except BaseException as failure:  # the guard's own: no traceback of its frames reaches the cell
            outcome[:] = ["", RuntimeError(f"the grader's guard failed: {type(failure).__name__}")]

    def run_test(index, source, nonce):
        """Returns what the cell prints (notes, then the proof) and the error it raises, if any."""
        gc_was_enabled = gc.isenabled()
        gc.disable()  # no finalizer of the student's runs in this frame
        try:
            purge_namespace()
            undone = put_back() | park(threads() - kernel_threads - parked - {main_thread})
            notes = ["[the grader undid what the notebook's code had replaced: " + ", ".join(sorted(undone)[:5]) + "]"
                     ] if undone else []
            filename = test_file.format(index)
            tree = builtin_compile(source, filename, "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
            final = tree.body.pop() if tree.body and type(tree.body[-1]) is ast.Expr else None
            code = builtin_compile(tree, filename, "exec", dont_inherit=True, optimize=0)
            final_code = final and builtin_compile(ast.Expression(final.value), filename, "eval", dont_inherit=True,
                                                   optimize=0)
            shadowing = test_namespace()
            namespace = tests_globals
            snapshot = dict(namespace)
            context, box, done = contextvars.copy_context(), [], allocate_lock()
            done.acquire()
            before = threads()

            def test_body():
                test_threads.add(get_ident())
                try:
                    context.run(builtin_exec, code, namespace)
                    box.append((True, final_code and context.run(builtin_eval, final_code, namespace)))
                except BaseException as error:
                    box.append((False, error))
                finally:
                    done.release()
            ident = start_thread(test_body, ())
            done.acquire()
            while ident in threads():
                time.sleep(0.001)
            test_threads.discard(ident)
            replaced = put_back() | park(threads() - before - parked)
            trusted.update({name: namespace[name] for name in definitions(tree) if name in namespace})
            tests_own.update(name for name, value in list(namespace.items())
                             if type(name) is str and snapshot.get(name, missing) is not value)
            user_ns.update({name: copied for name, value in list(namespace.items()) if type(name) is str
                            and name in shown[index] and snapshot.get(name, missing) is not value
                            for copied in [copy_of(value)] if copied is not missing})
            if redefined[index]:
                builtin_exec(builtin_compile(redefined[index], filename, "exec", dont_inherit=True), user_ns)
            if shadowing - initial_names:
                notes.append("[the test ignored your names that hide Python's builtins: "
                             + ", ".join(sorted(shadowing - initial_names)[:5]) + "]")
            text = "".join(note + "\n" for note in notes)
            if len(box) != 1:
                replaced.add("the grader's own state")
            passed, value = box[0] if box else (False, None)
            if not passed:
                return text, without_protected_frames(value)
            if replaced - {"a thread"}:
                return text, AssertionError(
                    "the tests cannot be trusted: the notebook's code replaced " + ", ".join(sorted(replaced)[:5])
                    + " while this test ran. Leave numpy, Python's builtins, IPython and the test helpers as they are.")
            credit = repr(float(value)) if type(value) in (int, float) or type(value) in numpy_numbers else "-"
            signature = signer.copy()
            signature.update(f"{nonce}|{index}|{credit}".encode())
            return text + f"[coursekit proof {nonce} {credit} {signature.hexdigest()}]\n", None
        finally:
            if gc_was_enabled:
                gc.enable()

    def forget(cell_source, result=None):
        """Drop every trace of this cell's source (it holds the key and the tests) from the interpreter."""
        placeholder = "# (the grader's guard ran here)"
        history = shell.history_manager
        for inputs in (history.input_hist_parsed, history.input_hist_raw):
            inputs[:] = [placeholder if cell_source in entry else entry for entry in inputs]
        history.db_input_cache[:] = [(line, placeholder, placeholder) for line, _, _ in history.db_input_cache]
        for attribute in ("_i00", "_i", "_ii", "_iii"):
            setattr(history, attribute, placeholder)
        for variable in [variable for variable in user_ns if variable.startswith("_i")]:
            if type(user_ns[variable]) is str and cell_source in user_ns[variable]:
                user_ns[variable] = placeholder
        for cached in [cached for cached, entry in linecache.cache.items() if cell_source in "".join(entry[2])]:
            del linecache.cache[cached]
        parent = kernel.get_parent("shell") if kernel is not None else {}
        if cell_source in str(parent.get("content", {}).get("code", "")):
            parent["content"]["code"] = placeholder

    def forget_after_this_cell(result):
        forget(marker)
        result.info.raw_cell = result.info.transformed_cell = ""
        shell.events.unregister("post_run_cell", forget_after_this_cell)

    own_calls = (threads.__code__, park.__code__, without_protected_frames.__code__)  # compared by identity
    forget(marker)
    shell.events.register("post_run_cell", forget_after_this_cell)
    sys.addaudithook(audit)  # the last step: from now on, the hook is the guard
