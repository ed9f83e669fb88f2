"""The judge: runs the test cells of a notebook in a process of the grader's, where the student's code never runs.

A test cell runs here, hidden part and all, in a namespace of the judge's (`JudgeNamespace`): the test helpers of the
read-only cells are the judge's own copies, numpy is the judge's numpy, and every other name the test reads is looked
up in the student's kernel (`KernelLink`): a function becomes a `KernelFunction`, whose calls send their arguments to
the kernel as plain data (wire.py) and check what comes back; a variable comes back as plain data. A function of the
judge's that a call hands the kernel (a test's `f`, the reference `gradient` a test lends `sgd` by binding it under
the student's name) stays here: the kernel gets a stand-in that calls back, valid while that call runs. The verdict
(the test's error, its printed messages, its final value for partial credit) is decided here; what the student's
code prints meanwhile is the kernel's output, which the grader keeps apart (SafeExecute).
"""
from __future__ import annotations

import ast
import builtins
import contextlib
import io
import itertools
import select
import socket
import traceback
import warnings

import numpy

from . import wire
from .hidden import hidden_line_numbers

CELL = "<test cell>"  # the file name test cells are compiled under
MAX_TEST_OUTPUT = 64 * 2**10  # characters a test may print (its messages quote the student's values)
# Modules a test may find under a name the notebook imported them as: the judge's own copies.
MODULES = {"numpy": numpy}


class KernelStopped(BaseException):
    """The kernel stopped serving the test: it answered out of turn, broke the judge's stand-in, or ended. Not an
    Exception, so that a test's own `except Exception` cannot take it for the student's error and go on."""


# Built-in exceptions a student's error never derives from in the judge: raised from a call inside map() or an
# iterator of the test's, they would end its loop silently instead of failing it.
ITERATION_ENDS = (Exception, StopIteration, StopAsyncIteration)


class StudentError(Exception):
    """An exception the student's code raised in the kernel: its type's name, its message, its traceback as text."""

    student_traceback = ""


def student_error(name: str, message: str, student_traceback: str) -> StudentError:
    """An exception of a class named as the student's, so that a test's message names it; a subclass of Python's
    built-in exception of that name too, so that a test's `except ValueError` catches it."""
    name = name if name.isidentifier() and len(name) <= 60 else "Exception"
    builtin = getattr(builtins, name, None)
    bases = (StudentError,)
    if isinstance(builtin, type) and issubclass(builtin, Exception) and builtin not in ITERATION_ENDS:
        bases = (StudentError, builtin)
    try:
        error = type(name, bases, {})(message)
    except TypeError:  # a built-in exception whose layout does not mix
        error = type(name, (StudentError,), {})(message)
    error.student_traceback = student_traceback
    return error


class KernelLink:
    """The judge's end of the Unix socket the kernel's side serves (kernel_side.py), one request at a time."""

    def __init__(self, path: str, control):
        # Connected once, before the notebook's code runs (JudgedExecution's handshake), never again: the path is
        # in the kernel's /tmp, where its code could put a symbolic link to a socket of the grader's machine.
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self.socket.connect(path)
            self.closed = False  # the kernel closed its end
        except OSError:  # nothing listens there: each cell is not run, the handshake first
            self.closed = True
        self.socket.setblocking(False)
        self.frames = wire.Frames()
        self.pollers: dict[int, select.poll] = {}  # for each event awaited on the socket, a poller of it and control
        self.control = control
        self.sequence = itertools.count(1)
        self.callbacks: dict[int, object] = {}  # live callbacks: number -> the judge's function
        self.active: list[list[numpy.ndarray]] = []  # for each call running now, outermost first: its arrays
        self.numbers = itertools.count(1)
        self.serving = False
        self.served = True  # the kernel's serve() for the last cell has ended
        self.crossings = 0  # requests sent and callbacks answered: the boundary's traffic, for bench/

    def receive(self):
        """The kernel's next message; KernelStopped if the grader says the kernel stopped serving first."""
        while True:
            try:
                message = self.frames.next()
            except wire.NotPlainData as error:  # not a message: the stream cannot be trusted any more
                raise KernelStopped(f"the kernel sent {error}") from None
            if message is not None:
                return message
            if not self.wait(select.POLLIN):
                self.stopped()
            try:
                data = self.socket.recv(2**20)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if not data:
                self.closed = True
                self.stopped()
            self.frames.feed(data)

    def send(self, message: dict) -> None:
        """Send a message whole, unless the grader says first that the kernel stopped serving (KernelStopped)."""
        data = memoryview(wire.frame(message))
        while data:
            try:
                data = data[self.socket.send(data):]
            except BlockingIOError:  # the kernel is not reading: wait until it does, or stops serving
                if not self.wait(select.POLLOUT):
                    self.stopped()
            except OSError:
                self.closed = True
                self.stopped()

    def wait(self, event: int) -> bool:
        """Wait until the socket is ready for `event`: True, or False if the grader says first that the kernel
        stopped serving (or had already said so)."""
        if self.closed or self.control.pending():
            return False
        if event not in self.pollers:
            self.pollers[event] = select.poll()
            self.pollers[event].register(self.socket, event)
            self.pollers[event].register(self.control, select.POLLIN)
        ready = dict(self.pollers[event].poll())
        # The grader's word first: a kernel that keeps the socket busy after its serve() ended cannot hold the judge.
        return self.control.fileno() not in ready and self.socket.fileno() in ready

    def stopped(self):
        self.await_served()
        raise KernelStopped("the kernel stopped answering the test (the notebook's code ended or replaced "
                            "the grader's __coursekit_judge__, or closed its socket)")

    def await_served(self) -> None:
        """Wait for the grader's word that the kernel's serve() for this cell has ended (once per cell)."""
        if not self.served:
            self.control.read()
            self.served, self.serving = True, False

    def begin(self, cell: int) -> None:
        """Wait for the kernel's serve() of this cell, dropping what the kernel sent before it (the late replies of a
        test that ended on a reply out of turn)."""
        self.served = False
        self.serving = True  # from now on, the kernel's serve() is told `end` (even if it never said it was ready)
        while self.receive() != {"op": "ready", "cell": cell}:
            pass

    def end(self) -> None:
        if self.serving:
            self.serving = False
            with contextlib.suppress(KernelStopped):
                self.send({"op": "end"})

    def request(self, message: dict):
        """Send a request, answer the kernel's callbacks meanwhile, and return the decoded value it replied with."""
        if not self.serving:
            raise KernelStopped("the kernel is not serving the test")
        seq = next(self.sequence)
        self.crossings += 1
        self.send({**message, "seq": seq})
        while True:
            reply = self.receive()
            if type(reply) is not dict:
                raise KernelStopped("the kernel answered out of turn")
            if reply.get("op") == "callback" and type(reply.get("seq")) is int and reply["seq"] < 0:
                self.crossings += 1
                self.change_in_place(reply.get("changed"))
                self.send(self.answer_callback(reply))
                continue
            if reply.get("seq") != seq or reply.get("op") not in ("return", "raise"):
                raise KernelStopped("the kernel answered out of turn")
            self.change_in_place(reply.get("changed"))
            return reply

    def change_in_place(self, levels) -> None:
        """Change the test's arrays as the student's function changed its copies of them in the kernel, for each call
        running now (the kernel says which changed since it last said)."""
        if type(levels) is not list:
            return
        for arrays, changed in zip(self.active, levels):
            _change_in_place(arrays, changed)

    def answer_callback(self, message: dict) -> dict:
        number = message.get("id")
        seq, function = message["seq"], self.callbacks.get(number) if type(number) is int else None
        if function is None:
            return {"op": "raise", "seq": seq, "message": "a function the test lent was called after its call ended"}
        try:
            args = wire.decode(message.get("args"), self.stand_in)
            kwargs = wire.decode(message.get("kwargs"), self.stand_in)
            if type(args) is not list or type(kwargs) is not dict or not all(type(key) is str for key in kwargs):
                raise wire.NotPlainData("unreadable arguments")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the tests' own function on the student's values: not the test's
                value = function(*args, **kwargs)
            return {"op": "return", "seq": seq, "value": wire.encode(value, self.name_of_function)}
        except Exception as error:  # noqa: BLE001 (the test's function failed on what the student's code sent)
            # Its type only: a message of the tests' may hold what they expect.
            return {"op": "raise", "seq": seq, "message": f"the test's function raised {type(error).__name__}"}

    def stand_in(self, tag: str, payload):
        """The judge's object for a function named in the kernel's data: set by the namespace (JudgeNamespace)."""
        raise wire.NotPlainData("a function the judge does not know")

    def name_of_function(self, function) -> dict:
        if isinstance(function, KernelFunction):
            return {"function": function.name}
        number = next(self.numbers)
        self.callbacks[number] = function
        return {"callback": number}


class KernelFunction:
    """A function of the student's notebook, called in the kernel; what it returns is checked plain data."""

    def __init__(self, namespace: JudgeNamespace, name: str):
        self.namespace, self.link, self.name = namespace, namespace.link, name

    def __repr__(self) -> str:
        return f"<your function {self.name}>"

    def __call__(self, *args, **kwargs):
        link = self.link
        live = dict(link.callbacks)
        link.active.append(list(wire.arrays_in([list(args), kwargs])))
        try:
            lend = {name: link.name_of_function(function)["callback"]
                    for name, function in self.namespace.lent().items()}
            reply = link.request({"op": "call", "name": self.name, "lend": lend,
                                  "args": wire.encode(list(args), link.name_of_function),
                                  "kwargs": wire.encode(kwargs, link.name_of_function)})
        finally:
            link.callbacks = live
            link.active.pop()
        if reply["op"] == "raise":
            raise student_error(str(reply.get("type")), str(reply.get("message"))[:2000],
                                str(reply.get("traceback"))[:4000])
        value = wire.decode(reply.get("value"), link.stand_in)
        if "random_state" in reply:
            _set_random_state(reply["random_state"])
        for category, message in (reply.get("warnings") or [])[:100]:
            warnings.warn_explicit(str(message)[:2000], _warning_class(category), "<your code>", 0)
        return value


def _change_in_place(arrays: list[numpy.ndarray], changed) -> None:
    """Change the test's arrays as the student's function changed its copies of them in the kernel."""
    if type(changed) is not list:
        return
    for item in changed[:len(arrays)]:
        if type(item) is not list or len(item) != 2 or type(item[0]) is not int or not 0 <= item[0] < len(arrays):
            raise wire.NotPlainData("unreadable changes to the arguments")
        array, new = arrays[item[0]], wire.decode(item[1])
        if type(new) is not numpy.ndarray or new.shape != array.shape or new.dtype != array.dtype:
            raise wire.NotPlainData("an argument changed into an array of another shape or dtype")
        if array.flags.writeable and array.base is None:  # never through a view, into an array the test keeps
            array[...] = new


def _set_random_state(data) -> None:
    """numpy's global generator as the student's function left it in the kernel: in a notebook they share it."""
    try:
        numpy.random.set_state(wire.decode(data))
    except (ValueError, TypeError, IndexError):
        raise wire.NotPlainData("an unreadable state of numpy's global generator") from None


def _warning_class(name) -> type[Warning]:
    for module in (builtins, numpy.exceptions):
        found = getattr(module, str(name), None)
        if isinstance(found, type) and issubclass(found, Warning):
            return found
    return UserWarning


class JudgeNamespace(dict):
    """The tests' globals: their own names, then Python's builtins, then the kernel's names (never the other way
    round, so a student's `len = ...` is not the tests' len). Functions of the kernel are KernelFunctions; its
    variables are fetched once per cell, as plain data."""

    def __init__(self, link: KernelLink, own: frozenset[str] = frozenset()):
        super().__init__(np=numpy, __name__="__main__")
        self.link = link
        self.own = own  # names the judged cells define: never the kernel's (cells.judge_names)
        link.stand_in = self.stand_in
        self.functions: dict[str, KernelFunction] = {}
        self.fetched: dict[str, object] = {}

    def __missing__(self, name: str):
        if name in self.fetched:
            return self.fetched[name]
        if hasattr(builtins, name) or name in self.own:
            raise KeyError(name)  # Python then looks in the builtins, or says the name is not defined
        reply = self.link.request({"op": "get", "name": name})
        if reply["op"] == "raise" and reply.get("type") == "KeyError":
            raise KeyError(name)  # not in the kernel either: a NameError
        if reply["op"] == "raise":
            raise student_error(str(reply.get("type")), f"{name}: {str(reply.get('message'))[:2000]}", "")
        self.fetched[name] = value = self.kernel_value(name, reply.get("value"))
        if isinstance(value, KernelFunction) and value.name == name:
            self.functions[name] = value
        return value

    def __contains__(self, name) -> bool:
        """Whether the tests would find the name: what the kernel is asked is what a lookup would fetch, so that a
        kernel cannot say a name is absent and then serve it (a test that saves and puts back a name relies on
        this)."""
        try:
            self[name]
        except KeyError:
            return False
        return True

    def kernel_value(self, name: str, data):
        if type(data) is dict and set(data) == {"module"}:
            if data["module"] in MODULES:
                return MODULES[data["module"]]
            raise wire.NotPlainData(f"{name} is the module {str(data['module'])[:60]}, which the tests do not use")
        return wire.decode(data, self.stand_in)

    def stand_in(self, tag: str, payload):
        if tag == "function" and type(payload) is str:
            return self.functions.get(payload) or KernelFunction(self, payload)
        if tag == "callback" and payload in self.link.callbacks:
            return self.link.callbacks[payload]
        raise wire.NotPlainData("a function the judge does not know")

    def forget_lending(self) -> None:
        """After each cell: the names a test bound over the kernel's functions are the kernel's again, and only names
        looked up in the next cell can be lent (a test that lent a function and left it bound, the student's having
        gone from the kernel meanwhile, must not lend it to every later call, nor call it in place of the
        student's). A kernel's function a test put back goes too: bound, it would be found in the judge by the next
        cell, which could then not lend a function in its place, nor see the kernel's function redefined."""
        for name in self.functions:
            if dict.__contains__(self, name):
                del self[name]
        self.functions.clear()

    def lent(self) -> dict:
        """The judge's functions bound under the names of the kernel's: the kernel's code calls them instead while a
        call runs (a test's `with HiddenReference.in_place_of_students(judged=...):`). Only names the tests looked up in the
        kernel themselves count (`functions`), never a name the kernel's replies mention."""
        return {name: function for name in self.functions if (function := dict.get(self, name)) is not None
                and function is not self.functions[name] and callable(function)
                and not isinstance(function, KernelFunction)}


class Judge:
    def __init__(self, link: KernelLink, own: frozenset[str] = frozenset()):
        self.link = link
        self.namespace = JudgeNamespace(link, own)

    def run(self, cell: int, source: str, visible: list[str]) -> dict:
        """Run the `cell`-th judged cell while the kernel serves it; return what the test printed (stdout, stderr),
        its error or its final value, and how often it crossed the boundary. The `visible` names it defines are
        then sent to the kernel, for the student's later cells."""
        stdout, stderr = _Capped(), _Capped()
        result = {"error": None, "value": None}
        self.namespace.fetched.clear()
        self.link.crossings = 0
        try:
            self.link.begin(cell)
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                try:
                    result["value"] = _credit(_execute(source, self.namespace))
                except Exception as error:  # noqa: BLE001 (a failing test: the verdict)
                    result["error"] = _error_output(error, source)
            self._share(visible)
        except (KernelStopped, wire.NotPlainData, LookupError, TypeError, ValueError) as error:
            # Raised outside the test's code (waiting for the kernel, sharing names): what the kernel sent
            reason = f"{error}: the test could not run"
            result["error"] = {"ename": "TestNotRun", "evalue": reason, "traceback": [f"TestNotRun: {reason}"]}
        finally:
            self.link.end()
            self.link.await_served()
            self.namespace.forget_lending()
        return _writable({**result, "stdout": stdout.getvalue(), "stderr": stderr.getvalue(),
                          "crossings": self.link.crossings})

    def _share(self, visible: list[str]) -> None:
        """Put what the visible part defined into the kernel, as in the student's own notebook, and look it up
        there from now on (a later cell of the student's may change it); functions stay the judge's."""
        for name in visible:
            if not dict.__contains__(self.namespace, name):
                continue
            try:
                encoded = wire.encode(dict.__getitem__(self.namespace, name))
            except wire.NotPlainData:
                continue
            self.link.request({"op": "set", "name": name, "value": encoded})
            del self.namespace[name]


def _execute(source: str, namespace: dict):
    """Run a cell's source as IPython would, returning the value of its last line if that is an expression."""
    tree = ast.parse(source, CELL)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, CELL, "exec"), namespace)  # noqa: S102 (the master's test cell, the instructor's code)
    return eval(compile(ast.Expression(last.value), CELL, "eval"), namespace) if last else None  # noqa: S307


def _writable(value):
    """The result with every string encodable as UTF-8: a lone surrogate of the student's (in a message the test
    quotes) written as its escape, so that the autograded notebook can be saved."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {key: _writable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_writable(item) for item in value]
    return value


def _credit(value) -> str | None:
    """The final value as IPython shows it; a number as a Python float, which nbgrader reads as partial credit. A
    credit that is not a finite number (nan, which nbgrader would take for full marks) fails the test."""
    if value is None:
        return None
    if isinstance(value, (int, float, numpy.number)) and not isinstance(value, bool):
        if not numpy.isfinite(float(value)):
            raise ValueError(f"the test's credit came out as {float(value)}: the values your code returned "
                             "make it impossible to compute")
        return repr(float(value))
    return repr(value)[:1000]


def _error_output(error: BaseException, source: str) -> dict:
    """The error as the cell shows it: the lines of the visible part it went through, never a hidden one, then
    the traceback of the student's code if the error came from there."""
    hidden = hidden_line_numbers(source)
    lines = source.splitlines()
    shown = [f"  test cell, line {frame.lineno}: {lines[frame.lineno - 1].strip()}\n"
             for frame in traceback.extract_tb(error.__traceback__)
             if frame.filename == CELL and frame.lineno not in hidden and 0 < frame.lineno <= len(lines)]
    if isinstance(error, StudentError) and error.student_traceback:
        shown.append("Raised by your code:\n" + error.student_traceback)
    name = type(error).__name__
    return {"ename": name, "evalue": str(error)[:4000], "traceback": [*shown, f"{name}: {str(error)[:4000]}"]}


class _Capped(io.StringIO):
    def write(self, text: str) -> int:
        room = MAX_TEST_OUTPUT - self.tell()
        if room > 0:
            super().write(text[:room] if len(text) <= room else text[:room] + "\n[output cut]\n")
        return len(text)
