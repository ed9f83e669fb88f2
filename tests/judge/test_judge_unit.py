"""The judge's side of the boundary, in-process: the kernel's side (kernel_side.py, as the kernel runs it) serves
from a thread, so these check the judge's logic; test_judge.py checks it against real sandboxed kernels."""
from __future__ import annotations

import json
import os
import threading

import numpy as np
import pytest
from nbformat.v4 import new_code_cell

from coursekit.judge import process, wire
from coursekit.judge.cells import judge_names, shared_names
from coursekit.judge.judge import Judge, KernelLink

READ_ONLY = {"nbgrader": {"locked": True, "solution": False, "grade": False, "grade_id": "helpers", "schema_version": 3}}


class InProcessKernel:
    """A notebook namespace served by the kernel's side in a thread, one `serve()` per cell, as SafeExecute has
    the kernel do; `server` replaces kernel_side's serve() to play a hostile kernel."""

    def __init__(self, folder, server=None, own=frozenset()):
        self.user = {"np": np}
        kernel_side = {"__name__": "coursekit_judge"}
        exec(compile(process.KERNEL_SIDE, "<coursekit judge>", "exec"), kernel_side)
        address = f"{folder}/kernel-judge"
        self.side = kernel_side["KernelSide"](self.user, address)
        self.user["__coursekit_judge__"] = self.side
        self.server = server or (lambda side, cell: side.serve(cell))
        self.cells = 0
        read, self.control = os.pipe()
        self.judge = Judge(KernelLink(address, process._Lines(read)), own)

    def run(self, source: str, visible=()) -> dict:
        self.cells += 1

        def serve():
            try:
                self.server(self.side, self.cells)
            finally:
                os.write(self.control, json.dumps({"served": True}).encode() + b"\n")
        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        result = self.judge.run(self.cells, source, list(visible))
        thread.join(timeout=30)
        return result

    def define(self, source: str) -> None:
        exec(source, self.user)


@pytest.fixture
def kernel(tmp_path):
    return InProcessKernel(tmp_path)


def test_a_test_calls_the_students_function_and_gets_its_value_as_plain_data(kernel):
    kernel.define("def add_bias(X):\n    return np.column_stack([X, np.ones(len(X))])")
    result = kernel.run("Phi = add_bias(np.zeros((2, 1)))\nassert Phi.shape == (2, 2)\nprint(type(Phi).__name__)\n"
                        "float(Phi.sum())")
    assert result == {"error": None, "value": "2.0", "stdout": "ndarray\n", "stderr": "", "crossings": 2}


def test_a_failing_assertion_is_the_tests_error_without_its_hidden_lines(kernel):
    kernel.define("def accuracy(t, p):\n    return 3")
    source = ("### BEGIN HIDDEN TESTS\nsecret = 12345\nassert accuracy([1], [1]) == 1, 'accuracy is a fraction'\n"
              "### END HIDDEN TESTS\nprint('visible')")
    result = kernel.run(source)
    assert result["error"]["ename"] == "AssertionError" and result["error"]["evalue"] == "accuracy is a fraction"
    assert "secret" not in json.dumps(result) and "accuracy([1], [1])" not in json.dumps(result)


def test_the_students_exception_reaches_the_test_under_its_own_name_with_the_students_traceback(kernel):
    kernel.define("def softmax(A):\n    raise ValueError('not yet')")
    caught = kernel.run("try:\n    softmax(np.zeros((1, 2)))\nexcept ValueError as error:\n"
                        "    print(type(error).__name__, error)")
    assert caught["stdout"] == "ValueError not yet\n" and caught["error"] is None
    uncaught = kernel.run("softmax(np.zeros((1, 2)))")
    assert uncaught["error"]["ename"] == "ValueError"
    assert any("Raised by your code" in line and "softmax" in line for line in uncaught["error"]["traceback"])


def test_a_students_warning_is_caught_by_the_tests_own_caught_warnings(kernel):
    kernel.define("def softmax(A):\n    E = np.exp(A)\n    return E / E.sum(axis=1, keepdims=True)")
    helpers = ("import warnings\nfrom contextlib import contextmanager\n@contextmanager\ndef caught_warnings():\n"
               "    with warnings.catch_warnings(record=True) as caught:\n        warnings.simplefilter('always')\n"
               "        yield caught\n")
    assert kernel.run(helpers)["error"] is None
    result = kernel.run("with caught_warnings() as caught:\n    softmax(np.array([[1000.0, 0.0]]))\n"
                        "print([w.category.__name__ for w in caught if 'overflow' in str(w.message)])")
    assert result["stdout"] == "['RuntimeWarning']\n" and result["stderr"] == ""


def test_a_function_the_test_lends_under_a_students_name_is_called_back_while_the_call_runs(kernel):
    kernel.define("def gradient(W):\n    return W * 0\n"
                  "def sgd(W):\n    global kept\n    kept = gradient\n    return W - gradient(W)")
    lent = kernel.run("def reference(W):\n    return W * 2\n"
                      "saved = globals()['gradient']\nglobals()['gradient'] = reference\n"
                      "print(sgd(np.ones(2)).tolist())\nglobals()['gradient'] = saved")
    assert lent["stdout"] == "[-1.0, -1.0]\n", lent
    assert kernel.user["gradient"] is not kernel.user["kept"]  # the student's own is back
    with pytest.raises(Exception, match="after its call ended"):
        kernel.user["kept"](np.ones(2))
    assert kernel.run("print(sgd(np.ones(2)).tolist())")["stdout"] == "[1.0, 1.0]\n"


def test_a_students_function_a_test_put_back_can_be_lent_over_again_in_the_next_cell(kernel):
    """A test that lends a reference and then binds the student's function back (as a notebook run in one namespace
    must) leaves nothing bound: the next cell looks the student's function up again, and can lend again."""
    kernel.define("def gradient(W):\n    return W * 0\ndef sgd(W):\n    return W - gradient(W)")
    lend_then_put_back = ("def reference(W):\n    return W * 2\n"
                          "saved = globals()['gradient']\nglobals()['gradient'] = reference\n"
                          "print(sgd(np.ones(2)).tolist())\nglobals()['gradient'] = saved")
    assert kernel.run(lend_then_put_back)["stdout"] == "[-1.0, -1.0]\n"
    assert kernel.run(lend_then_put_back)["stdout"] == "[-1.0, -1.0]\n"  # lent again, not the student's
    kernel.define("def gradient(W):\n    return W * 3")
    assert kernel.run("print(gradient(np.ones(2)).tolist())")["stdout"] == "[3.0, 3.0]\n"  # redefined: seen


def test_a_function_handed_to_the_student_stays_in_the_judge_and_may_call_the_student_back(kernel):
    kernel.define("def loss(W):\n    return float(np.sum(W ** 2))\n"
                  "def numerical_gradient(f, W, eps=1e-5):\n"
                  "    G = np.zeros(W.shape)\n"
                  "    for i in range(W.size):\n"
                  "        step = np.zeros(W.shape); step.flat[i] = eps\n"
                  "        G.flat[i] = (f(W + step) - f(W - step)) / (2 * eps)\n"
                  "    return G")
    result = kernel.run("G = numerical_gradient(lambda V: loss(V) + np.sum(V), np.arange(3.0))\n"
                        "print(np.round(G, 6).tolist())")
    assert result["stdout"] == "[1.0, 3.0, 5.0]\n", result


def test_names_resolve_to_the_tests_own_then_builtins_then_the_kernels(kernel):
    kernel.define("len = lambda x: 0\nK = 3\nX = np.eye(2)\nimport numpy as numpy_alias")
    result = kernel.run("print(len([1, 2]), K, X.sum(), numpy_alias is np, 'K' in globals(), 'Nope' in globals())")
    assert result["stdout"] == "2 3 2.0 True True False\n", result
    missing = kernel.run("print(undefined_name)")
    assert missing["error"]["ename"] == "NameError"


def test_what_the_visible_part_defines_is_shared_with_the_kernel_and_the_hidden_parts_names_stay(kernel):
    result = kernel.run("### BEGIN HIDDEN TESTS\nhidden_value = 41\n### END HIDDEN TESTS\n"
                        "visible_value = hidden_value + 1", visible=["visible_value"])
    assert result["error"] is None
    assert kernel.user["visible_value"] == 42 and "hidden_value" not in kernel.user


def test_a_value_that_is_not_plain_data_fails_the_test_saying_so(kernel):
    kernel.define("class Liar(float):\n    def __eq__(self, other):\n        return True\n"
                  "def accuracy(t, p):\n    return Liar(0.1)\nW_obj = Liar(1.0)")
    result = kernel.run("assert accuracy([1], [1]) == 1.0")
    assert result["error"]["ename"] == "NotPlainData" and "Liar" in result["error"]["evalue"]
    result = kernel.run("print(W_obj)")
    assert "not plain data" in result["error"]["evalue"]


def first_request_answered_by(tmp_path, answer) -> dict:
    """`assert f() == 1` judged against a kernel that says it is ready, reads the judge's first request (the look-up
    of f), then does `answer(side)` instead of answering it."""
    def server(side, cell):
        side.accept()
        side.send({"op": "ready", "cell": cell})
        side.receive()
        answer(side)
    kernel = InProcessKernel(tmp_path, server)
    return kernel.run("assert f() == 1")


@pytest.mark.parametrize("reply", [
    {"op": "return", "seq": 99, "value": 1},  # another request's number
    {"op": "callback", "seq": 5, "id": 1},  # a callback with a request's number
    "not a dict",
])
def test_a_kernel_that_answers_out_of_turn_fails_the_test(tmp_path, reply):
    result = first_request_answered_by(tmp_path, lambda side: (side.send(reply), side.receive()))  # then the judge's end
    assert result["error"]["ename"] == "TestNotRun" and "out of turn" in result["error"]["evalue"]


def test_a_kernel_that_stops_answering_fails_the_test_when_its_serving_ends(tmp_path):
    result = first_request_answered_by(tmp_path, lambda side: None)  # the grader says the kernel's serve() ended
    assert result["error"]["ename"] == "TestNotRun" and "stopped answering" in result["error"]["evalue"]


def test_a_reply_too_large_is_refused_from_its_length_and_the_test_fails_at_once(tmp_path):
    result = first_request_answered_by(tmp_path, lambda side: (
        side.connection.sendall(wire.LENGTH.pack(wire.MAX_BYTES + 1) + b" " * 2**16), side.receive()))
    assert result["error"]["ename"] == "TestNotRun" and "more than the" in result["error"]["evalue"]


def test_arrays_the_students_function_changes_in_place_change_in_the_test_too(kernel):
    kernel.define("def shuffle(X, rows):\n    X[0, 0] = 99.0\n    rows[1][:] = -1\n    return None")
    result = kernel.run("X, rows, fixed = np.zeros((2, 2)), [np.arange(3), np.arange(2)], np.ones(1)\n"
                        "shuffle(X, rows)\nprint(X.tolist(), rows[1].tolist(), fixed.tolist())")
    assert result["stdout"] == "[[99.0, 0.0], [0.0, 0.0]] [-1, -1] [1.0]\n", result


def test_a_credit_that_is_not_a_number_fails_the_test(kernel):
    """nbgrader takes a nan credit for full marks (red team): the judge fails the test instead."""
    kernel.define("def sgd():\n    return np.zeros((0, 3))")
    result = kernel.run("with np.errstate(all='ignore'):\n    credit = np.sum(sgd()) / sgd().size\nround(credit, 3)")
    assert result["error"]["ename"] == "ValueError" and result["value"] is None


def smuggling(side, cell):
    """A kernel whose replies name a function of the tests' (red team): the judge must never lend it."""
    answer = side.answer

    def answer_naming_the_tests_function(request):
        if request.get("op") == "call" and request.get("name") == "make_blobs":
            return {"op": "return", "seq": request.get("seq"), "value": {"function": "check_secret"}}
        return answer(request)
    side.answer = answer_naming_the_tests_function
    side.serve(cell)


def test_only_names_the_tests_looked_up_in_the_kernel_are_lent(tmp_path):
    kernel = InProcessKernel(tmp_path, smuggling)
    kernel.define("def make_blobs():\n    return 0\n"
                  "def spy():\n    try:\n        return check_secret()\n"
                  "    except NameError:\n        return 'not lent'")
    result = kernel.run("def check_secret():\n    return 'the expected value'\n"
                        "returned = make_blobs()\nprint(spy())")
    assert result["stdout"] == "not lent\n", result


def test_a_kernel_that_denies_a_name_it_serves_cannot_keep_a_lent_function_in_place(kernel):
    """`name in globals()` asks what a lookup would fetch: a test that saves a name and puts it back does."""
    kernel.define("def gradient():\n    return 'student'")
    result = kernel.run("namespace = globals()\nsaved = {name: namespace[name] for name in ['gradient'] "
                        "if name in namespace}\nnamespace['gradient'] = lambda: 'reference'\n"
                        "namespace.update(saved)\nprint(gradient())")
    assert result["stdout"] == "student\n", result


def test_a_huge_exception_name_is_not_the_tests_error_name(tmp_path):
    def naming(side, cell):
        error_reply = side.error_reply
        side.error_reply = lambda seq, error: {**error_reply(seq, error), "type": "E" * 10_000}
        side.serve(cell)
    kernel = InProcessKernel(tmp_path, naming)
    kernel.define("def f():\n    raise ValueError('no')")
    result = kernel.run("f()")
    assert result["error"]["ename"] == "Exception" and len(json.dumps(result)) < 2000


def test_a_change_made_through_a_view_does_not_reach_the_tests_array(kernel):
    kernel.define("def zero(X):\n    X[...] = 0")
    result = kernel.run("Phi = np.ones((3, 2))\nzero(Phi[:2, 1:])\nprint(Phi.sum())")
    assert result["stdout"] == "6.0\n", result


def test_the_judge_never_imports_a_module_from_the_folder_it_is_started_from(tmp_path, monkeypatch):
    """A numpy.py handed in beside a notebook, in the grader's current folder, is not the judge's numpy."""
    (tmp_path / "numpy.py").write_text("open(__file__ + '.imported', 'w').close()\nraise SystemExit(1)\n")
    monkeypatch.chdir(tmp_path)
    judge = process.JudgeProcess()
    try:
        judge.connect(str(tmp_path / "no-kernel"), set())
        judge.start(1, "x = 1", [])
        judge.served()  # no kernel: the judge, past its imports, gives up on the cell and says so
        assert judge.result(timeout=60)["error"]["ename"] == "TestNotRun"
    finally:
        judge.close()
    assert not (tmp_path / "numpy.py.imported").exists()


def test_a_function_a_test_left_bound_over_a_students_name_is_lent_no_longer_than_its_cell(kernel):
    """The student's gradient gone from the kernel, a test that binds the reference in its place and does not
    unbind it (red team): the next cell neither lends it nor calls it as the student's."""
    kernel.define("def gradient():\n    return 'student'\n"
                  "def sgd():\n    return globals().get('gradient', lambda: 'none')()")
    first = kernel.run("saved = gradient\nglobals()['gradient'] = lambda: 'reference'\nprint(sgd())")
    assert first["stdout"] == "reference\n", first
    del kernel.user["gradient"]
    second = kernel.run("print(sgd())\ntry:\n    gradient()\nexcept NameError:\n    print('no gradient')")
    assert second["stdout"] == "none\nno gradient\n", second


def test_a_name_the_hidden_part_defines_too_is_not_shared_with_the_kernel(kernel):
    source = ("credit = 1.5\n### BEGIN HIDDEN TESTS\ncredit = 0.25\n### END HIDDEN TESTS\nexample = credit * 2")
    assert shared_names(source) == {"example"}
    kernel.run(source, visible=sorted(shared_names(source)))
    assert kernel.user["example"] == 0.5 and "credit" not in kernel.user


def test_a_lone_surrogate_in_the_students_message_is_written_escaped(kernel):
    kernel.define("def add_bias(X):\n    raise ValueError('bad \\ud800 value')")
    result = kernel.run("add_bias(1)")
    assert result["error"]["evalue"] == "bad \\ud800 value"
    json.dumps(result).encode("utf-8")
    str(result).encode("utf-8")


def test_a_kernel_that_sends_what_is_not_json_fails_the_test_without_harming_the_judge(tmp_path):
    result = first_request_answered_by(tmp_path, lambda side: (
        side.connection.sendall(wire.LENGTH.pack(10) + b"\x80 not json"), side.receive()))
    assert result["error"]["ename"] == "TestNotRun" and "not JSON" in result["error"]["evalue"]


def test_a_function_handed_over_sees_the_arrays_the_students_function_moves_while_it_runs(kernel):
    """f reads W0 itself while numerical_gradient(f, W0) shifts W0's entries in place: f sees them move, as in one
    interpreter, and W0 is back in place after the call."""
    kernel.define("def numerical_gradient(f, W, eps=0.5):\n    original = W[0]\n    W[0] = original + eps\n"
                  "    seen = f(W)\n    W[0] = original\n    return seen")
    result = kernel.run("W0 = np.zeros(2)\nseen = numerical_gradient(lambda V: float(W0[0]), W0)\nprint(seen, W0)")
    assert result["stdout"] == "0.5 [0. 0.]\n", result


def test_numpys_global_generator_is_shared_as_in_one_notebook(kernel):
    kernel.define("def draws():\n    np.random.seed(7)\n    return float(np.random.rand())")
    result = kernel.run("before = np.random.get_state()[1].copy()\nfirst = draws()\n"
                        "print(first == np.random.RandomState(7).rand(), "
                        "np.array_equal(before, np.random.get_state()[1]))")
    assert result["stdout"] == "True False\n", result


def test_a_value_too_large_to_cross_is_the_students_error_at_once(kernel):
    kernel.define("def accuracy(t, p):\n    return np.zeros(10**7)")
    result = kernel.run("accuracy([1], [1])")
    assert result["error"]["ename"] == "NotPlainData" and "return less data" in result["error"]["evalue"], result


def test_a_name_the_judged_cells_define_is_never_the_kernels_even_when_its_cell_did_not_run(tmp_path):
    """Red team: the helpers' judged run broken by the student's cell before it, a later test must not find the
    student's no-op under the helper's name in the kernel."""
    kernel = InProcessKernel(tmp_path, own=judge_names([new_code_cell("def check_answer(value):\n    assert value == 42",
                                                                     metadata=READ_ONLY)]))
    kernel.define("def check_answer(value):\n    pass\ndef answer():\n    return 41")
    result = kernel.run("check_answer(answer())")
    assert result["error"]["ename"] == "NameError" and "check_answer" in result["error"]["evalue"], result


@pytest.mark.parametrize("number", [[], {}, "1", None])
def test_a_callback_with_an_unreadable_number_is_refused_and_the_judge_goes_on(kernel, number):
    """Red team: an unhashable callback id used to escape as a TypeError and end the judge."""
    kernel.define("def forge():\n    side = __coursekit_judge__\n"
                  f"    side.send({{'op': 'callback', 'seq': -999, 'id': {number!r}, 'args': {{'list': []}}}})\n"
                  "    return side.receive()")
    result = kernel.run("print(forge())")
    assert "called after its call ended" in result["stdout"], result
    assert kernel.run("print('next cell')")["stdout"] == "next cell\n"
