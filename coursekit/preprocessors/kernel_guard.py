"""The guard that runs inside the kernel being graded, before any student code.

GuardTestCells sends this file's source as the notebook's first cell (the grader never imports it: the
sandboxed kernel cannot import the course's package). `_make_guard` keeps everything in one closure and
leaves a single object, under a random name, in the student's namespace. SafeExecute then sends each test
or read-only cell as one call, `guard.run_test(source, nonce)`, which:

- parks the threads the student's code started, resets its signal handlers and timers, and puts back
  what it replaced (numpy's, math's, warnings' and the builtins' functions, `sys.modules` entries, `np`,
  the test helpers, the trace and profile functions, numpy's error state, gc callbacks, the recursion
  limit), saying so in the cell;
- sets aside IPython's machinery as the student's code left it (input and AST transformers, exception
  handlers, event callbacks, display hooks and formatters, run_cell and every method of the shell's
  classes, the compiler) and runs the test on the one recorded here; the student's hooks come back after
  the test, so that their own cells still show their plots;
- compiles and runs the test's source itself, with Python's own compile and exec: no transformer of the
  student's sees or changes the test's statements;
- makes the student's functions return plain numbers and arrays, and switches off any trace function
  they set while a test calls them (a tracer that jumps over the test's assertions);
- fails the test if anything above was replaced while it ran;
- forgets the cell's source (history, `In`, `_i*`, linecache) and drops the test's frames from its error;
- and, only when every statement ran without an exception, prints a proof line carrying the grader's
  nonce, a digest of the source and the value of a final expression (partial credit). SafeExecute
  gives no points to a test cell without its proof: a cell that the student's hooks turned into `pass`,
  wrapped in try/except or never ran fails, whatever its outputs say.

Checked with IPython 9.18 and ipykernel 7.4 (the shell's attributes named below).
"""


def _make_guard(name):  # noqa: C901 (one closure on purpose: nothing of it is reachable by name)
    import ast
    import builtins
    import ctypes
    import functools
    import gc
    import hashlib
    import linecache
    import math
    import signal
    import sys
    import threading
    import types
    import warnings

    import numpy
    import numpy.linalg
    import numpy.random
    import numpy.testing

    shell = get_ipython()  # noqa: F821 (IPython's, in the kernel)
    kernel = getattr(shell, "kernel", None)
    missing = object()
    proof_mark = "[coursekit proof"
    settrace, setprofile, gettrace, getprofile = sys.settrace, sys.setprofile, sys.gettrace, sys.getprofile
    builtin_compile, builtin_exec, builtin_eval, print_ = compile, exec, eval, print
    ndarray, asarray, plain_types = numpy.ndarray, numpy.asarray, (bool, int, float, complex)

    # No audit hook of the student's: one that refuses the others is the first and cannot be removed (PEP 578).
    def refuse_audit_hooks(event, args):
        if event == "sys.addaudithook":
            raise RuntimeError("the grader allows no audit hook")
    sys.addaudithook(refuse_audit_hooks)

    # --- What stays as recorded here: the functions the tests compute with, and the process's state.
    numpy_modules = [module for module_name, module in list(sys.modules.items())
                     if (module_name == "numpy" or module_name.startswith("numpy.")) and module is not None]
    # IPython and ipykernel put these in builtins around every cell; `_` is the displayhook's.
    renewed_builtins = {"get_ipython", "exit", "quit", "input", "display", "_", "__", "___"}
    recorded = [(module, attribute, value)
                for module in [*numpy_modules, math, warnings, functools]
                for attribute, value in list(vars(module).items())
                if callable(value) and not attribute.startswith("__")]
    recorded += [(builtins, attribute, value) for attribute, value in list(vars(builtins).items())
                 if attribute not in renewed_builtins
                 and (not attribute.startswith("_") or attribute in ("__import__", "__build_class__"))]
    recorded_modules = dict(sys.modules)
    recorded_sys = {attribute: getattr(sys, attribute) for attribute in
                    ("stdout", "stderr", "breakpointhook", "unraisablehook", "modules")}
    recorded_signals = {}
    for number in signal.valid_signals():
        try:
            recorded_signals[number] = signal.getsignal(number)
        except (OSError, ValueError):
            pass
    recorded_numpy_errors, recorded_numpy_callback = numpy.geterr(), numpy.geterrcall()
    recorded_gc_callbacks = list(gc.callbacks)
    recorded_recursion, recorded_switch = sys.getrecursionlimit(), sys.getswitchinterval()
    kernel_threads = set(sys._current_frames()) | {thread.ident for thread in threading.enumerate()}
    initial_names = set(shell.user_ns)
    trusted, wrapped, replaced_during_test = {}, {}, set()  # wrapped: id -> the wrapper (kept alive)

    def put_back(namespace):
        """Put back what the student's code replaced; return what was."""
        undone = set()
        for module, attribute, value in recorded:
            if vars(module).get(attribute, missing) is not value:
                setattr(module, attribute, value)
                undone.add(f"{getattr(module, '__name__', '?')}.{attribute}")
        for module_name, module in recorded_modules.items():
            if sys.modules.get(module_name) is not module:
                sys.modules[module_name] = module
                undone.add("sys.modules")
        for attribute, value in recorded_sys.items():
            if getattr(sys, attribute) is not value:
                setattr(sys, attribute, value)
                undone.add(f"sys.{attribute}")
        for trusted_name, value in trusted.items():
            if namespace.get(trusted_name, missing) is not value:
                namespace[trusted_name] = value
                undone.add(trusted_name)
        if "np" in namespace and namespace["np"] is not numpy:
            namespace["np"] = numpy
            undone.add("np")
        if gettrace() is not None or getprofile() is not None or threading.gettrace() or threading.getprofile():
            undone.add("the trace function")
        settrace(None)  # also removes a tracer set from C (PyEval_SetTrace), which gettrace() may not show
        setprofile(None)
        threading.settrace(None)
        threading.setprofile(None)
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
        if numpy.geterr() != recorded_numpy_errors or numpy.geterrcall() is not recorded_numpy_callback:
            numpy.seterr(**recorded_numpy_errors)
            numpy.seterrcall(recorded_numpy_callback)
            undone.add("numpy's error handling")
        if gc.callbacks != recorded_gc_callbacks:
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
            parked.add(threading.get_ident())
            threading.Event().wait()

    parked = set()

    def stop_threads():
        """Park every thread the student's code started (a thread could patch numpy while a test runs)."""
        started = set(sys._current_frames()) - kernel_threads - parked - {threading.get_ident()}
        for ident in started:
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(Parked))
        for thread in threading.enumerate():  # give each a moment to reach its next instruction
            if thread.ident in started:
                thread.join(0.05)
        return {"a thread"} if started else set()

    # --- IPython's machinery: set aside during each test, and given back to the student after it.
    hook_holders = {
        shell: ["input_transformers_cleanup", "input_transformers_post", "input_transformer_manager",
                "ast_transformers", "custom_exceptions", "CustomTB", "events", "displayhook", "display_pub",
                "display_formatter", "compile", "InteractiveTB", "SyntaxTB", "history_manager", "user_ns",
                "user_global_ns", "kernel"],
        sys: ["displayhook", "excepthook"],
    }
    hook_objects = [shell, shell.events, shell.displayhook, shell.display_pub, shell.display_formatter,
                    *shell.display_formatter.formatters.values(), shell.compile, shell.history_manager,
                    shell.input_transformer_manager, shell.InteractiveTB, shell.SyntaxTB, sys.stdout, sys.stderr,
                    *([kernel] if kernel is not None else [])]
    hook_containers = [shell.input_transformers_cleanup, shell.input_transformers_post, shell.ast_transformers,
                       shell.input_transformer_manager.cleanup_transforms,
                       shell.input_transformer_manager.line_transforms,
                       shell.input_transformer_manager.token_transformers,
                       shell.events.callbacks, *shell.events.callbacks.values(), shell.display_formatter.formatters,
                       *(printers for formatter in shell.display_formatter.formatters.values()
                         for printers in (formatter.singleton_printers, formatter.type_printers,
                                          formatter.deferred_printers)),
                       *([kernel.shell_handlers] if kernel is not None else [])]
    plain_bases = (object, type)
    hook_classes = {cls for holder in hook_objects for cls in type(holder).__mro__
                    if cls not in plain_bases and not cls.__module__.startswith("traitlets")}
    hook_classes |= {cls for cls in vars(sys.modules["IPython.core.interactiveshell"]).values()
                     if isinstance(cls, type) and cls.__module__ == "IPython.core.interactiveshell"}

    def methods(cls):
        return {attribute for attribute, value in list(vars(cls).items())
                if callable(value) or isinstance(value, (property, staticmethod, classmethod, types.MemberDescriptorType))}

    def overriding(holder):
        """Instance attributes that hide a method of the object's class (`shell.run_cell = ...`)."""
        kind = type(holder)
        return {attribute for attribute in list(vars(holder)) if callable(getattr(kind, attribute, None))}

    recorded_methods = {cls: methods(cls) for cls in hook_classes}
    recorded_overrides = {holder: overriding(holder) for holder in hook_objects}

    def hooks():
        """The machinery's state now: the identity of each hook and the contents of each hook list."""
        state = {}
        for holder, attributes in hook_holders.items():
            for attribute in attributes:
                state["attribute", id(holder), attribute] = (holder, attribute, getattr(holder, attribute, missing))
        for holder in hook_objects:
            for attribute in recorded_overrides[holder] | overriding(holder):
                state["instance", id(holder), attribute] = (holder, attribute, vars(holder).get(attribute, missing))
        for container in hook_containers:
            state["contents", id(container), ""] = (container, "", list(container.items()) if isinstance(
                container, dict) else list(container))
        for cls in hook_classes:
            for attribute in recorded_methods[cls] | methods(cls):
                state["class", id(cls), attribute] = (cls, attribute, vars(cls).get(attribute, missing))
        return state

    def changed(before, after):
        """The hooks that differ between two states, by name."""
        names = set()
        for key in before.keys() | after.keys():
            old, new = before.get(key, (None, None, missing))[2], after.get(key, (None, None, missing))[2]
            if key[0] == "contents":
                same = len(old) == len(new) and all(a is b or (type(a) is tuple and a[0] is b[0] and a[1] is b[1])
                                                     for a, b in zip(old, new))
            else:
                same = old is new
            if not same:
                holder = (before.get(key) or after.get(key))[0]
                label = getattr(holder, "__name__", type(holder).__name__)
                names.add(f"{label}.{key[2]}" if key[2] else f"a hook list of {label}")
        return names

    def restore(state):
        """Put the machinery back in a state `hooks()` returned."""
        current = hooks()
        for key in current.keys() - state.keys():  # an override or class attribute added since
            holder, attribute, _ = current[key]
            delattr(holder, attribute)
        for key, (holder, attribute, value) in state.items():
            if key[0] == "contents":
                if isinstance(holder, dict):
                    holder.clear()
                    holder.update(value)
                else:
                    holder[:] = value
            elif current.get(key, (None, None, missing))[2] is not value:
                if value is missing:
                    delattr(holder, attribute)
                else:
                    setattr(holder, attribute, value)

    recorded_hooks = hooks()

    # --- The student's functions, as the tests call them.
    def plain(value):
        """A value of a class of the student's own, made from numbers or arrays, loses its overrides."""
        kind = type(value)
        if kind in (tuple, list):
            return kind(map(plain, value))
        if kind.__module__ in ("builtins", "numpy"):
            return value
        if isinstance(value, ndarray):
            return asarray(value)
        base = next((base for base in plain_types if isinstance(value, base)), None)
        return base(value) if base is not None else value

    def with_plain_results(function):
        @functools.wraps(function)
        def call(*args, **kwargs):
            try:
                return plain(function(*args, **kwargs))
            finally:
                if gettrace() is not None or getprofile() is not None:
                    replaced_during_test.add("the trace function")
                settrace(None)  # a tracer set by the student's function would rewrite the test's frame
                setprofile(None)
        wrapped[id(call)] = call
        return call

    def wrap_students_functions(namespace):
        for function_name, value in list(namespace.items()):
            if (callable(value) and not function_name.startswith("_") and function_name not in trusted
                    and function_name not in initial_names and id(value) not in wrapped
                    and not isinstance(value, (type, types.ModuleType))):
                namespace[function_name] = with_plain_results(value)

    # --- What a test leaves behind: nothing of its source.
    def forget(mark, filename=None):
        """Drop from the interpreter's memory every input that holds `mark` (history, In, _i*, linecache)."""
        placeholder = "# (a cell of the grader's ran here)"
        history = shell.history_manager
        for inputs in (history.input_hist_parsed, history.input_hist_raw):
            inputs[:] = [placeholder if mark in entry else entry for entry in inputs]
        history.db_input_cache[:] = [(line, placeholder, placeholder) if mark in source + raw else (line, source, raw)
                                     for line, source, raw in history.db_input_cache]
        for attribute in ("_i00", "_i", "_ii", "_iii"):
            if mark in getattr(history, attribute, ""):
                setattr(history, attribute, placeholder)
        for variable, value in list(shell.user_ns.items()):
            if variable.startswith("_i") and isinstance(value, str) and mark in value:
                shell.user_ns[variable] = placeholder
        for cached, entry in list(linecache.cache.items()):
            if cached == filename or any(mark in line for line in entry[2]):
                del linecache.cache[cached]
        parent = kernel.get_parent("shell") if kernel is not None and hasattr(kernel, "get_parent") else {}
        if mark in str(parent.get("content", {}).get("code", "")):
            parent["content"]["code"] = placeholder

    def without_frames_of(error, filename):
        """The error without the traceback entries of the test's and the guard's code (their locals hold the
        test's data), so that `sys.last_traceback` shows the student nothing of the test."""
        for exception in (error, error.__context__, error.__cause__):
            if exception is None:
                continue
            kept = []
            entry = exception.__traceback__
            while entry is not None:
                if entry.tb_frame.f_code.co_filename in (filename, guard_file):
                    try:
                        entry.tb_frame.clear()
                    except RuntimeError:  # the frame still runs (ours)
                        pass
                else:
                    kept.append(entry)
                entry = entry.tb_next
            for first, second in zip(kept, kept[1:] + [None]):
                first.tb_next = second
            exception.__traceback__ = kept[0] if kept else None
        return error

    def definitions(tree):
        names = []
        for statement in tree.body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.append(statement.name)
            elif isinstance(statement, (ast.Import, ast.ImportFrom)):
                names += [(alias.asname or alias.name).split(".")[0] for alias in statement.names]
        return names

    def run(source, nonce, filename):
        namespace = shell.user_ns
        students_hooks = hooks()
        undone = put_back(namespace) | stop_threads()
        restore(recorded_hooks)
        if undone:
            print_("[the grader undid what the notebook's code had replaced: " + ", ".join(sorted(undone)[:5]) + "]")
        wrap_students_functions(namespace)
        replaced_during_test.clear()
        tree = builtin_compile(source, filename, "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
        final = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        value = None
        try:
            builtin_exec(builtin_compile(tree, filename, "exec", dont_inherit=True, optimize=0), namespace)
            if final is not None:
                value = builtin_eval(builtin_compile(ast.Expression(final.value), filename, "eval",
                                                     dont_inherit=True, optimize=0), namespace)
        except BaseException as error:
            raise without_frames_of(error, filename) from None
        finally:
            replaced_during_test.update(put_back(namespace) | changed(recorded_hooks, hooks()))
            restore(recorded_hooks)
            trusted.update({defined: namespace[defined] for defined in definitions(tree) if defined in namespace})
            restore(students_hooks)
        if replaced_during_test:
            raise AssertionError(
                "the tests cannot be trusted: the notebook's code replaced "
                + ", ".join(sorted(replaced_during_test)[:5])
                + " while this test ran. Do not change numpy, Python's builtins, IPython or the test helpers.")
        credit = repr(float(value)) if isinstance(value, (int, float, numpy.number)) and not isinstance(
            value, bool) else "-"
        digest = hashlib.sha256(source.encode()).hexdigest()[:16]
        recorded_sys["stdout"].write(f"\n{proof_mark} {nonce} {digest} {credit}]\n")
        recorded_sys["stdout"].flush()

    class Guard:
        __slots__ = ()

        def run_test(self, source, nonce):
            filename = sys._getframe(1).f_code.co_filename  # the cell's: tracebacks say "Cell In[n]"
            try:
                run(source, nonce, filename)
            finally:
                forget(nonce, filename)

    guard_file = sys._getframe(0).f_code.co_filename
    forget(name, guard_file)
    return Guard()
