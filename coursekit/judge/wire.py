"""Plain data across the judge's boundary: what a test and a student's kernel may hand each other, as JSON.

Numbers, text, None, numpy arrays and scalars of numbers or booleans, and lists, tuples and dicts of these: nothing
that runs code when it is read (no pickle), nothing that a test could mistake for its own object (no class of the
student's, no `__eq__` of theirs). Arrays travel as their dtype, shape and raw bytes, so an array comes back with the
very dtype and values it had. Functions never travel: a function of the kernel's is named (`function`), a function of
the judge's lent to the kernel is a number (`callback`), and each side makes a stand-in that calls across.

Messages travel as frames on a stream socket: their length in 8 bytes, then their JSON. Both sides run this file: the
judge imports it, and the kernel is sent its source (it may not have coursekit), so it imports nothing but the
standard library and numpy. Decoding is the judge's defence: it refuses what is not plain data, or
larger than `MAX_BYTES`, or nested deeper than `MAX_DEPTH`, with a message that says what came instead.
"""
import base64
import functools
import json
import math
import struct

import numpy

MAX_BYTES = 16 * 2**20  # one message, encoded: the tests' largest arrays are about two megabytes
MAX_CONTAINERS = 100_000  # lists and dicts in one message: parsed, each costs memory many times its bytes
MAX_DEPTH = 20  # lists in lists...: the contract's values are two deep at most
LENGTH = struct.Struct(">Q")  # a frame's header: the length of the JSON that follows
ARRAY_KINDS = "biufc"  # booleans, signed and unsigned integers, floats, complex numbers: numpy's plain dtypes


class NotPlainData(TypeError):
    """A value that cannot cross the boundary: the message says what it was and what may cross instead."""


def encode(value, name_of_function=None, depth=0):
    """`value` as JSON-ready data. `name_of_function(f)` turns a function into its tagged stand-in (the sender's
    business: the kernel names its globals, the judge numbers its callbacks); None refuses functions."""
    if depth > MAX_DEPTH:
        raise NotPlainData(f"values nested more than {MAX_DEPTH} deep")
    if value is None or type(value) in (bool, int, str):
        return value
    if type(value) is float:
        return value if value == value and abs(value) != float("inf") else {"float": repr(value)}
    if type(value) in (list, tuple):
        return {type(value).__name__: [encode(item, name_of_function, depth + 1) for item in value]}
    if type(value) is dict:
        return {"dict": [[encode(key, None, depth + 1), encode(item, name_of_function, depth + 1)]
                         for key, item in value.items()]}
    if type(value) is numpy.ndarray and value.dtype.kind in ARRAY_KINDS and value.dtype.fields is None:
        return {"ndarray": [value.dtype.str, list(value.shape), base64.b64encode(value.tobytes()).decode("ascii")]}
    if isinstance(value, numpy.generic) and type(value) is numpy.dtype(type(value)).type and (
            value.dtype.kind in ARRAY_KINDS):
        return {"scalar": [value.dtype.str, base64.b64encode(value.tobytes()).decode("ascii")]}
    if name_of_function is not None and callable(value) and not isinstance(value, type):
        return name_of_function(value)
    raise NotPlainData(f"a {_type_name(value)}, which is not plain data: only numbers, booleans, text, None, numpy "
                       "arrays of numbers, and lists, tuples and dicts of these can be checked")


def decode(data, stand_in=None, depth=0):
    """The value `data` (from `encode`, through JSON) stands for, checked; `stand_in(tag, payload)` makes the
    stand-in for a `function` or `callback` tag (None refuses them)."""
    if depth > MAX_DEPTH:
        raise NotPlainData(f"values nested more than {MAX_DEPTH} deep")
    if data is None or type(data) in (bool, int, float, str):
        return data
    if type(data) is not dict or len(data) != 1:
        raise NotPlainData(f"unreadable data ({_type_name(data)})")
    (tag, payload), = data.items()
    if tag in ("list", "tuple") and type(payload) is list:
        items = [decode(item, stand_in, depth + 1) for item in payload]
        return items if tag == "list" else tuple(items)
    if tag == "dict" and type(payload) is list and all(type(pair) is list and len(pair) == 2 for pair in payload):
        result = {}
        for key, item in payload:
            key = decode(key, None, depth + 1)
            if not isinstance(key, (type(None), bool, int, float, str, tuple, numpy.generic)):
                raise NotPlainData(f"a dict key that is a {_type_name(key)}")
            result[key] = decode(item, stand_in, depth + 1)
        return result
    if tag == "float" and payload in ("nan", "inf", "-inf"):
        return float(payload)
    if tag == "ndarray" and type(payload) is list and len(payload) == 3:
        dtype, shape, raw = _dtype(payload[0]), payload[1], _bytes(payload[2])
        if type(shape) is not list or len(shape) > 32 or not all(type(n) is int and 0 <= n <= MAX_BYTES for n in shape):
            raise NotPlainData("an array with an unreadable shape")
        if math.prod(shape) * dtype.itemsize != len(raw):
            raise NotPlainData(f"an array of shape {tuple(shape)} and dtype {dtype} with {len(raw)} bytes of data")
        return numpy.frombuffer(raw, dtype=dtype).reshape(tuple(shape)).copy()
    if tag == "scalar" and type(payload) is list and len(payload) == 2:
        dtype, raw = _dtype(payload[0]), _bytes(payload[1])
        if len(raw) != dtype.itemsize:
            raise NotPlainData(f"a {dtype} number with {len(raw)} bytes of data")
        return numpy.frombuffer(raw, dtype=dtype)[0]
    if tag in ("function", "callback") and stand_in is not None:
        return stand_in(tag, payload)
    raise NotPlainData(f"unreadable data (tag {str(tag)[:40]!r})")


def arrays_in(value, depth=0):
    """The numpy arrays in a value, through its lists, tuples and dicts, in one order both sides agree on: a call's
    arguments that the student's function may change in place, as it would change the test's own arrays."""
    if type(value) is numpy.ndarray:
        yield value
    elif depth <= MAX_DEPTH and type(value) in (list, tuple, dict):
        for item in (value.values() if type(value) is dict else value):
            yield from arrays_in(item, depth + 1)


def dumps(message) -> bytes:
    return json.dumps(message, allow_nan=False, separators=(",", ":")).encode("utf-8")


def frame(message) -> bytes:
    """A message as it goes on the socket: its length, then its JSON; NotPlainData if it is larger than MAX_BYTES,
    which the other side would refuse."""
    body = dumps(message)
    if refused := _length_refused(len(body)):
        raise NotPlainData(f"{refused}: return less data")
    return LENGTH.pack(len(body)) + body


class Frames:
    """The messages in the bytes read from a stream socket so far. A frame longer than MAX_BYTES is refused from its
    header, before its body is read, and the stream cannot be trusted after it (nor after a message that is not
    JSON): `next` raises NotPlainData from then on."""

    def __init__(self):
        self.buffer = bytearray()
        self.broken = None

    def feed(self, data: bytes) -> None:
        self.buffer += data

    def next(self):
        """The next whole message, or None until more bytes come."""
        if self.broken:
            raise NotPlainData(self.broken)
        if len(self.buffer) < LENGTH.size:
            return None
        (length,) = LENGTH.unpack_from(self.buffer)
        self.broken = _length_refused(length)
        if self.broken:
            raise NotPlainData(self.broken)
        if len(self.buffer) < LENGTH.size + length:
            return None
        body = bytes(self.buffer[LENGTH.size:LENGTH.size + length])
        del self.buffer[:LENGTH.size + length]
        try:
            return loads(body)
        except NotPlainData as error:
            self.broken = str(error)
            raise


def loads(raw: bytes):
    """A message, refused if larger than MAX_BYTES, holding more than MAX_CONTAINERS lists and dicts, or not JSON
    (Python's own limits bound integers and nesting)."""
    if refused := _length_refused(len(raw)):
        raise NotPlainData(refused)
    if raw.count(b"[") + raw.count(b"{") > MAX_CONTAINERS:
        raise NotPlainData(f"a message of more than {MAX_CONTAINERS} lists and dicts")
    try:
        return json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError) as error:
        raise NotPlainData(f"a message that is not JSON ({type(error).__name__})") from None


def _length_refused(length: int) -> str | None:
    """Why a message of `length` bytes cannot cross, or None if it can."""
    return f"a message of {length} bytes, more than the {MAX_BYTES} allowed" if length > MAX_BYTES else None


def _dtype(text):
    if type(text) is not str or len(text) > 8:
        raise NotPlainData("an array with an unreadable dtype")
    return _checked_dtype(text)


@functools.lru_cache(maxsize=64)  # a handful of dtypes, thousands of arrays
def _checked_dtype(text):
    try:
        dtype = numpy.dtype(text)
    except TypeError:
        raise NotPlainData(f"an array of unknown dtype {text!r}") from None
    if dtype.kind not in ARRAY_KINDS or dtype.fields is not None or dtype.subdtype is not None:
        raise NotPlainData(f"an array of dtype {dtype}, which is not a number or a boolean")
    return dtype


def _bytes(text):
    if type(text) is not str:
        raise NotPlainData("an array without its data")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise NotPlainData("an array whose data is not base64") from None


def _type_name(value) -> str:
    """A value's type, named without calling anything of the value's own (its class may be hostile)."""
    return type.__dict__["__name__"].__get__(type(value))[:60]
