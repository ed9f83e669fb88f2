"""The kernel's side of the judge: runs the student's functions when the judge asks, and nothing else.

Not imported: the judge sends this file's source to the student's kernel, after wire.py's, in one namespace of their
own (`install`). It holds no test, no expected value and no secret, and trusts nothing: whatever the student's code
does to it can only change what the student's own functions are reported to return, and the judge checks that.

`install` listens on a Unix socket beside the kernel's own (in the sandbox's private /tmp, which only the grader
reaches) and puts `__coursekit_judge__` in the notebook's namespace. The judge connects once, and the first
`serve()`, which the grader runs before any of the notebook's code, takes that connection and stops listening: nobody
connects after it. For each test cell the grader executes `__coursekit_judge__.serve(n)`, n counting the judged
cells, which answers the judge's requests on that socket until
the judge says `end`: `call` a function of the notebook's namespace, `get` a variable, `set` one (what the visible
part of a test defines, for the student's later cells). During a call, the judge's functions may be lent in place of
some of the notebook's names; the arrays the call was given and changed in place are sent back, as the test's own
arrays would have changed (before each call back to the judge too, whose functions may read them), and so is numpy's
global generator if the call drew from it. A lent function is a stand-in that calls the judge back and answers the
judge's requests meanwhile; it works only while the call it was lent for runs. What the student's code prints while
serving is the cell's output.
"""
import itertools
import os
import socket
import sys
import traceback
import warnings

import numpy

SOURCE_NAME = "<coursekit judge>"  # the file name this source is compiled under in the kernel

class JudgeCallFailed(Exception):
    """A function lent by the judge failed, or was called after the call it was lent for had ended."""


class KernelSide:
    def __init__(self, namespace, path, code_name=lambda filename: None):
        self.namespace = namespace
        self.code_name = code_name  # IPython's (label, name) of a cell's file name, `Cell In[5]`, or None
        self.path = path
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(path)
        self.listener.listen(1)
        self.connection = None
        self.frames = Frames()
        self.sequence = itertools.count(1)
        self.live = set()  # the judge's functions lent for the calls running now
        self.active = []  # for each call running now, outermost first: the arrays it was given, and their bytes

    def serve(self, cell):
        """Answer the judge's requests for the `cell`-th judged cell until it says `end`. A tracer the notebook's
        code set (from Python or C) would slow every test down: each test starts without it."""
        sys.settrace(None)
        if self.connection is None:
            self.accept()
        self.random_state = numpy.random.get_state()  # as the judge was last told: only calls change it meanwhile
        self.send({"op": "ready", "cell": cell})
        while True:
            request = self.receive()
            if request.get("op") == "end":
                return
            self.send(self.answer(request))

    def accept(self):
        """The judge's connection, the only one: the socket's path goes with the listener."""
        self.listener.settimeout(60)
        self.connection, _ = self.listener.accept()
        self.listener.close()
        os.unlink(self.path)

    def send(self, message):
        try:
            data = frame(message)
        except NotPlainData as error:  # a value too large to cross: the student's error, in reply
            data = frame(self.error_reply(message.get("seq"), error))
        self.connection.sendall(data)

    def receive(self):
        while (message := self.frames.next()) is None:
            data = self.connection.recv(2**16)
            if not data:
                raise EOFError("the judge closed its connection")
            self.frames.feed(data)
        return message

    def answer(self, request):
        seq = request.get("seq")
        try:
            op, name = request.get("op"), str(request.get("name"))
            if op == "get":
                return {"op": "return", "seq": seq, "value": self.describe(name, self.namespace[name])}
            if op == "set":
                self.namespace[name] = decode(request["value"], self.stand_in)
                return {"op": "return", "seq": seq, "value": None}
            if op == "call":
                return self.call(seq, name, request)
            return {"op": "raise", "seq": seq, "type": "ProtocolError", "message": f"unknown request {op!r}"}
        except BaseException as error:  # noqa: BLE001 (whatever the student's code raised goes back as data)
            return self.error_reply(seq, error)

    def call(self, seq, name, request):
        live_before = set(self.live)
        try:
            return self.call_lending(seq, name, request)
        finally:
            self.live = live_before

    def call_lending(self, seq, name, request):
        function = self.namespace[name]
        args = decode(request.get("args", {"list": []}), self.stand_in)
        kwargs = decode(request.get("kwargs", {"dict": []}), self.stand_in)
        lent = {lent_name: self.stand_in("callback", number) for lent_name, number in request.get("lend", {}).items()}
        missing = object()
        saved = {lent_name: self.namespace.get(lent_name, missing) for lent_name in lent}
        arrays = list(arrays_in([args, kwargs]))
        self.active.append((arrays, [array.tobytes() for array in arrays]))
        self.namespace.update(lent)
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                value = function(*args, **kwargs)
            reply = {"op": "return", "seq": seq, "value": encode(value, self.name_of), "changed": self.changes(),
                     "warnings": [[w.category.__name__, str(w.message)[:2000]] for w in caught[:100]]}
        finally:
            sys.settrace(None)  # nor does a tracer the call set outlive it
            self.active.pop()
            for lent_name, before_name in saved.items():
                if before_name is missing:
                    self.namespace.pop(lent_name, None)
                else:
                    self.namespace[lent_name] = before_name
        random_state = numpy.random.get_state()
        if not _same_state(random_state, self.random_state):  # numpy's global generator, shared in a notebook
            reply["random_state"], self.random_state = encode(random_state), random_state
        return reply

    def changes(self):
        """For each call running now, outermost first, the arrays it was given that changed since the judge was last
        told: a function of the test's called back meanwhile sees them as they are (it may read them)."""
        levels = []
        for arrays, told in self.active:
            level = []
            for number, array in enumerate(arrays):
                if array.tobytes() != told[number]:
                    told[number] = array.tobytes()
                    level.append([number, encode(array)])
            levels.append(level)
        return levels

    def describe(self, name, value):
        if type(value) is type(sys):
            return {"module": value.__name__}
        if callable(value) and not isinstance(value, type):
            return {"function": name}
        return encode(value, self.name_of)

    def name_of(self, function):
        for name, value in self.namespace.items():
            if value is function and not name.startswith("_"):
                return {"function": name}
        raise NotPlainData("a function that is not one of the notebook's: return numbers or arrays")

    def stand_in(self, tag, payload):
        if tag == "function":
            return self.namespace[str(payload)]
        return self.lent_function(payload)

    def lent_function(self, number):
        self.live.add(number)

        def lent(*args, **kwargs):
            if number not in self.live:
                raise JudgeCallFailed("a function the test lent was called after its call ended")
            seq = -next(self.sequence)
            self.send({"op": "callback", "seq": seq, "id": number, "changed": self.changes(),
                       "args": encode(list(args), self.name_of), "kwargs": encode(kwargs, self.name_of)})
            while True:
                message = self.receive()
                if message.get("seq") == seq and message.get("op") == "return":
                    return decode(message.get("value"), self.stand_in)
                if message.get("seq") == seq and message.get("op") == "raise":
                    raise JudgeCallFailed(str(message.get("message")))
                if message.get("op") == "end":
                    raise JudgeCallFailed("the test ended")
                self.send(self.answer(message))
        return lent

    def error_reply(self, seq, error):
        """What the student's code raised, as text: its type's name, its message, the frames of the notebook's code."""
        try:
            frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename != SOURCE_NAME]
            for frame in frames:
                frame.filename = " ".join(self.code_name(frame.filename) or [frame.filename])
            text = "".join(traceback.format_list(frames[-8:]) + traceback.format_exception_only(type(error), error))
            message = str(error)
        except BaseException:  # noqa: BLE001 (an exception whose message itself fails)
            text = message = "(an exception whose message could not be read)"
        return {"op": "raise", "seq": seq, "type": _type_name(error), "message": message[:2000],
                "traceback": text[-4000:]}


def _same_state(state, other):
    return state[0] == other[0] and state[2:] == other[2:] and state[1].tobytes() == other[1].tobytes()


def install(namespace):
    """Listen for the judge beside the kernel's own IPC sockets and name the server in the notebook's namespace."""
    from ipykernel.kernelapp import IPKernelApp

    shell = namespace["get_ipython"]()
    namespace["__coursekit_judge__"] = KernelSide(namespace, f"{IPKernelApp.instance().ip}-judge",
                                                  shell.compile.format_code_name)
