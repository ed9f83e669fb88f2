"""The plain data that crosses the judge's boundary: what comes back is what was sent, and nothing else is read."""
from __future__ import annotations

import json

import numpy as np
import pytest

from coursekit.judge import wire


def round_trip(value, name_of_function=None, stand_in=None):
    return wire.decode(wire.loads(wire.dumps(wire.encode(value, name_of_function))), stand_in)


@pytest.mark.parametrize("value", [
    None, True, 0, -7, 2**80, 1.5, float("nan"), float("inf"), "text", [1, 2.0], (1, (2, 3)), {"a": [1], 2: None},
    np.float64(0.25), np.int32(-3), np.bool_(True), np.complex128(1 + 2j),
    np.arange(12, dtype=np.int16).reshape(3, 4), np.eye(3, dtype=np.float32)[:, ::-1], np.zeros((0, 5)),
    np.array([True, False]), np.array(3.0),
], ids=repr)
def test_plain_data_comes_back_with_its_type_dtype_shape_and_values(value):
    back = round_trip(value)
    assert type(back) is type(value)
    if isinstance(value, np.ndarray):
        assert back.dtype == value.dtype and back.shape == value.shape and np.array_equal(back, value)
        assert back.flags.writeable
    elif isinstance(value, float) and value != value:
        assert back != back
    else:
        assert back == value


class Liar(float):
    def __eq__(self, other):
        return True


@pytest.mark.parametrize("value", [
    Liar(0.5), np.array([object()], dtype=object), np.zeros(2, dtype=[("a", "f8")]), {1, 2}, b"bytes", object(),
    type("Sneaky", (np.float64,), {})(1.0), np.array(["text"]),
], ids=lambda value: type(value).__name__)
def test_what_is_not_plain_data_does_not_cross(value):
    with pytest.raises(wire.NotPlainData):
        wire.encode(value)


def test_functions_cross_only_as_the_senders_stand_ins():
    def f(x):
        return x

    with pytest.raises(wire.NotPlainData):
        wire.encode([f])
    encoded = wire.encode([f], lambda function: {"callback": 7})
    assert encoded == {"list": [{"callback": 7}]}
    assert wire.decode(encoded, lambda tag, payload: (tag, payload)) == [("callback", 7)]
    with pytest.raises(wire.NotPlainData):
        wire.decode(encoded)


@pytest.mark.parametrize("data, complaint", [
    ({"ndarray": ["|O", [1], "AAAAAAAAAAA="]}, "not a number"),
    ({"ndarray": ["<f8", [2], "AAAAAAAAAAA="]}, "8 bytes of data"),
    ({"ndarray": ["<f8", [-1], ""]}, "unreadable shape"),
    ({"ndarray": ["<f8", [1], "not base64!"]}, "not base64"),
    ({"ndarray": ["V8", [1], "AAAAAAAAAAA="]}, "not a number"),
    ({"ndarray": ["(2,)f8", [1], ""]}, "dtype"),
    ({"ndarray": ["f8", [2**40], ""]}, "unreadable shape"),
    ({"ndarray": ["f8", [2**20, 2**20], ""]}, "bytes of data"),
    ({"scalar": ["<f8", "AAAA"]}, "bytes of data"),
    ({"pickle": "gASVAAAAAAAAAAA="}, "unreadable data"),
    ({"list": [1], "tuple": [2]}, "unreadable data"),
    ([1, 2], "unreadable data"),
    ({"dict": [[{"list": []}, 1]]}, "dict key"),
    ({"function": "sgd"}, "unreadable data"),
], ids=lambda item: str(item)[:40])
def test_hostile_data_is_refused_with_a_message_saying_what_came(data, complaint):
    with pytest.raises(wire.NotPlainData, match=complaint):
        wire.decode(data)


def test_nesting_and_size_are_bounded():
    deep = 1
    for _ in range(wire.MAX_DEPTH + 5):
        deep = {"list": [deep]}
    with pytest.raises(wire.NotPlainData, match="nested"):
        wire.decode(deep)
    with pytest.raises(wire.NotPlainData, match="more than"):
        wire.loads(b" " * (wire.MAX_BYTES + 1))
    with pytest.raises(wire.NotPlainData, match="not JSON"):
        wire.loads(b"[" * 100_000)
    with pytest.raises(wire.NotPlainData, match="not JSON"):
        wire.loads(b"1" * 5000)  # Python refuses integers of more than 4300 digits
    assert wire.loads(json.dumps({"ok": 1}).encode()) == {"ok": 1}
