"""A class handed in for the similarity report (tests/test_similarity.py, bench/similarity_threshold.py).

Work written apart: the complete solutions of tests/independent/, each written by someone who saw only the student
version; the reference; a student who wrote the whole notebook their own way, with helper functions (ORIGINAL_CODE);
and the corpus's correct alternatives, each holding only the few functions it writes (the other cells as released:
the reference's code, in every case, would make them all alike). Copies: two of the original's code, one with its
variables renamed and its functions reordered, one padded with dead code; one of each complete solution, renamed,
reordered and padded. And the release handed in untouched, twice."""
from __future__ import annotations

import ast
import functools
import shutil
from typing import Callable

import nbformat
from nbformat import NotebookNode

from coursekit import notebooks, synthetic, tp1
from coursekit.course import Course
from coursekit.tp1 import ASSIGNMENT
from repository import REPOSITORY

ORIGINAL = "original_author"
COPY = "renamed_and_reordered_copy"
PADDING = 40  # lines of dead code after each cell of the padded copies (scored by the share of both codes, 0.16)
PADDED_COPY = f"dead_code_{PADDING}_lines_copy"
UNTOUCHED_TWIN = "untouched_release_twin"
# Complete notebooks written apart, each by someone who saw only the student version and the lecture (their README)
COMPLETE_SOLUTIONS = REPOSITORY.root / "tests" / "independent"
COPIED = "_copied"  # the id of each complete solution's copy is the solution's with this after it

# The original's code by solution cell: correct, written apart from the reference and the corpus, several cells
# holding helper functions next to the graded one.
ORIGINAL_CODE = {
    "make_blobs": '''
def class_centres(n_classes, radius):
    theta = np.linspace(0, 2 * np.pi, n_classes, endpoint=False)
    return radius * np.stack((np.cos(theta), np.sin(theta)), axis=1)


def make_blobs(n_per_class, n_classes=3, radius=2.0, std=1.0, seed=None):
    generator = np.random.default_rng(seed)
    labels = np.arange(n_classes).repeat(n_per_class)
    noise = generator.normal(0.0, std, size=(labels.shape[0], 2))  # one draw for the whole set
    points = class_centres(n_classes, radius)[labels] + noise
    return points, labels
''',
    "add_bias": '''
def add_bias(X):
    ones = np.ones((X.shape[0], 1))
    return np.concatenate((X, ones), axis=1)
''',
    "softmax": '''
def softmax(A):
    stable = A - np.max(A, axis=1, keepdims=True)  # exp never overflows
    exponentials = np.exp(stable)
    totals = np.sum(exponentials, axis=1, keepdims=True)
    return exponentials / totals
''',
    "one_hot": '''
def one_hot(t, n_classes):
    identity = np.eye(n_classes)
    return identity[np.asarray(t)]
''',
    "cross_entropy": '''
def log_softmax_rows(scores):
    biggest = np.max(scores, axis=1, keepdims=True)
    return scores - biggest - np.log(np.sum(np.exp(scores - biggest), axis=1, keepdims=True))


def cross_entropy(W, Phi, t):
    log_probabilities = log_softmax_rows(Phi @ W)
    picked = log_probabilities[np.arange(Phi.shape[0]), t]
    return float(-np.sum(picked))
''',
    "gradient": '''
def probabilities(W, Phi):
    return softmax(Phi @ W)


def gradient(W, Phi, t):
    errors = probabilities(W, Phi) - one_hot(t, W.shape[1])
    return Phi.T @ errors
''',
    "numerical_gradient": '''
def numerical_gradient(f, W, eps=1e-5):
    W = np.array(W, dtype=float)
    result = np.zeros_like(W)
    for i in range(W.shape[0]):
        for j in range(W.shape[1]):
            shifted_up = W.copy()
            shifted_up[i, j] += eps
            shifted_down = W.copy()
            shifted_down[i, j] -= eps
            result[i, j] = (f(shifted_up) - f(shifted_down)) / (2 * eps)
    return result
''',
    "sgd": '''
def step_size(learning_rate, decay, updates_done):
    return learning_rate / (1.0 + decay * updates_done)


def one_epoch(W, Phi, t, order, learning_rate, decay, updates_done):
    for sample in order:
        rate = step_size(learning_rate, decay, updates_done)
        W = W - rate * gradient(W, Phi[[sample]], t[[sample]])
        updates_done += 1
    return W, updates_done


def sgd(Phi, t, n_classes, learning_rate=0.1, n_epochs=20, decay=0.0, seed=None):
    generator = np.random.default_rng(seed)
    W = np.zeros((Phi.shape[1], n_classes))
    history = []
    updates_done = 0
    for _ in range(n_epochs):
        order = generator.permutation(Phi.shape[0])
        W, updates_done = one_epoch(W, Phi, t, order, learning_rate, decay, updates_done)
        history.append(cross_entropy(W, Phi, t))
    return W, np.asarray(history)
''',
    # Written apart from the corpus, this came out as tests/corpus/correct/gradient_descent_in_place.py with other
    # names, and confusion_matrix below as confusion_matrix_int32_loop.py: short functions have few ways to be written.
    "gradient_descent": '''
def gradient_descent(Phi, t, n_classes, learning_rate, n_iters):
    W = np.zeros((Phi.shape[1], n_classes))
    history = np.empty(n_iters)
    for iteration in range(n_iters):
        W -= learning_rate * gradient(W, Phi, t)
        history[iteration] = cross_entropy(W, Phi, t)
    return W, history
''',
    "predict": '''
def predict(W, Phi):
    scores = Phi @ W
    return scores.argmax(axis=1)
''',
    "accuracy": '''
def accuracy(t_true, t_pred):
    hits = np.asarray(t_true) == np.asarray(t_pred)
    return hits.sum() / hits.size
''',
    "confusion_matrix": '''
def confusion_matrix(t_true, t_pred, n_classes):
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    for actual, guessed in zip(t_true, t_pred):
        counts[actual, guessed] += 1
    return counts
''',
    "random_relu_features": '''
def relu(values):
    return np.maximum(values, 0.0)


def random_relu_features(X, n_hidden, seed=None):
    generator = np.random.default_rng(seed)
    weights = generator.normal(size=(X.shape[1], n_hidden))
    offsets = generator.normal(size=n_hidden)
    hidden = relu(X @ weights + offsets)
    return np.hstack((hidden, np.ones((X.shape[0], 1))))
''',
}


def renamed_and_reordered(source: str) -> str:
    """A cell's code as a copier disguises it, mechanically: every name it assigns and every helper function renamed
    (the graded function's name and parameters, the contract, kept), the cell's functions in reverse order, and the
    layout ast.unparse gives (comments and blank lines gone)."""
    module = ast.parse(source)
    functions = [statement for statement in module.body if isinstance(statement, ast.FunctionDef)]
    parameters = {argument.arg for function in functions for argument in function.args.args}
    assigned = {node.id for node in ast.walk(module) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}
    helpers = {function.name for function in functions[:-1]}  # a cell's graded function comes last
    new_names = {name: f"name_{index}" for index, name in enumerate(sorted((assigned - parameters) | helpers))}
    for node in ast.walk(module):
        if isinstance(node, ast.Name):
            node.id = new_names.get(node.id, node.id)
        elif isinstance(node, ast.FunctionDef):
            node.name = new_names.get(node.name, node.name)
    reversed_functions = iter(functions[::-1])
    module.body = [next(reversed_functions) if isinstance(statement, ast.FunctionDef) else statement
                   for statement in module.body]
    return ast.unparse(module)


# Dead code a copier adds to hide a copy: statements that run and change nothing, each unlike the one before, their
# numbers the copier's own (every run of 25 normalised characters holds one): two copiers who pad their copies do not
# write the same dead code, and it would match (names become V, numbers stay).
DEAD_CODE = [
    "unused_total = sum(range({n}))",
    "unused_shape = np.zeros(({n}, {n})).shape",
    "unused_label = str(len([{n}])) + 'x'",
    "unused_flag = any(value > {n} for value in range({n}))",
    "unused_pairs = {{index: index * index for index in range({n})}}",
]


def padded(source: str, lines: int, copier: int = 0) -> str:
    """A cell's code with `lines` lines of dead code after it, the dead code of the copier of that number."""
    return "\n".join([source, *(DEAD_CODE[index % len(DEAD_CODE)].format(n=1000 * copier + index + 2).replace(
        "unused_", f"unused_{index}_") for index in range(lines))])


def junk_after_every_statement(source: str) -> str:
    """A cell's code with a statement that does nothing after each of its statements, at every depth."""
    module = ast.parse(source)
    for node in ast.walk(module):
        for field in ("body", "orelse", "finalbody"):
            statements = getattr(node, field, None)
            if isinstance(statements, list) and statements and isinstance(statements[0], ast.stmt):
                setattr(node, field, [placed for statement in statements
                                      for placed in (statement, ast.parse("_ = None").body[0])])
    return ast.unparse(module)


def renamed_reordered_and_padded(source: str, copier: int = 0) -> str:
    """A cell's code renamed and reordered, then padded with PADDING lines of dead code: the copy of each complete
    solution in the class."""
    return padded(renamed_and_reordered(source), PADDING, copier)


# Each way of disguising a copy the bench measures, by name: a copy of each complete solution for each. A disguise
# takes a cell's code and the copier's number (whose dead code it is).
DISGUISES: dict[str, Callable[[str, int], str]] = {
    "renamed_and_reordered": lambda source, copier: renamed_and_reordered(source),
    **{f"dead_code_{lines}_lines": functools.partial(lambda source, copier, lines: padded(source, lines, copier),
                                                    lines=lines) for lines in (5, 15, PADDING)},
    "renamed_reordered_and_padded": renamed_reordered_and_padded,
    "junk_after_every_statement": lambda source, copier: junk_after_every_statement(source),
}


def original_code() -> dict[str, str]:
    return {cell: code.strip() for cell, code in ORIGINAL_CODE.items()}


def independent_work() -> list[synthetic.Case]:
    """The reference and the corpus's correct alternatives: each written without seeing the others."""
    return [synthetic.Case.reference(), *(case for case in tp1.corpus_cases(REPOSITORY) if not case.loses_points_in)]


def complete_solutions() -> list[str]:
    """The ids of the complete solutions written apart (tests/independent/<id>.ipynb)."""
    return sorted(path.stem for path in COMPLETE_SOLUTIONS.glob("*.ipynb"))


def complete_work() -> list[str]:
    """The students of the class who wrote the whole notebook, each apart from the others."""
    return ["reference", ORIGINAL, *complete_solutions()]


def written_apart() -> set[str]:
    """Every student of the class whose code is their own: no pair of them should be flagged."""
    return {case.name for case in independent_work()} | set(complete_work())


def hand_in_work_written_apart(course: Course) -> Course:
    """Hand in the work written apart, in submitted/ (nothing graded): the reference (and the release untouched),
    the corpus's correct alternatives, the original and the complete solutions."""
    shutil.copytree(REPOSITORY.folder(ASSIGNMENT, "release"), course.folder(ASSIGNMENT, "release"))
    reference, *alternatives = independent_work()
    synthetic.write_class(course, ASSIGNMENT, [reference])  # and the untouched release
    synthetic.write_class(course, ASSIGNMENT, [*alternatives, _case(ORIGINAL, original_code())],
                          with_untouched_release=False, own_code_only=True)
    for student in complete_solutions():
        hand_in(course, student, notebooks.read(COMPLETE_SOLUTIONS / f"{student}.ipynb"))
    return course


def submitted(course: Course) -> Course:
    """Hand the class in: the work written apart, the original's two copies and each complete solution's copy, the
    untouched release twice, in submitted/ (nothing graded)."""
    hand_in_work_written_apart(course)
    original = original_code()
    synthetic.write_class(course, ASSIGNMENT, [
        _case(COPY, {cell: renamed_and_reordered(code) for cell, code in original.items()}),
        _case(PADDED_COPY, {cell: padded(code, PADDING) for cell, code in original.items()}),
        _case(UNTOUCHED_TWIN, {})], with_untouched_release=False, own_code_only=True)
    for copier, student in enumerate(complete_solutions(), start=1):
        hand_in(course, f"{student}{COPIED}", copied(course, student, renamed_reordered_and_padded, copier))
    return course


def copies() -> dict[str, str]:
    """The copies in the class of `submitted`, and whose code each copies."""
    return {COPY: ORIGINAL, PADDED_COPY: ORIGINAL,
            **{f"{student}{COPIED}": student for student in complete_solutions()}}


def copied(course: Course, student: str, disguise: Callable[[str, int], str], copier: int) -> NotebookNode:
    """A student's notebook as handed in, each code cell they wrote (the graded ones, not as released) disguised by
    the copier of that number."""
    notebook = notebooks.read(course.notebook(ASSIGNMENT, "submitted", student))
    released = notebooks.solution_cells(notebooks.read(course.notebook(ASSIGNMENT, "release")))
    ungraded = notebooks.ungraded_exercises(notebook)
    for cell_id, cell in notebooks.solution_cells(notebook).items():
        if cell.cell_type == "code" and cell_id not in ungraded and cell.source != released[cell_id].source:
            cell.source = disguise(cell.source, copier)
    return notebook


def hand_in(course: Course, student: str, notebook: NotebookNode) -> None:
    path = course.notebook(ASSIGNMENT, "submitted", student)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)


def _case(name: str, functions: dict[str, str]) -> synthetic.Case:
    return synthetic.Case(name, "", functions, frozenset())
