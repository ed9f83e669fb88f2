"""TP1's own data, for the tooling written for it (demo, corpus, fairness report, benchmarks): its assignment and
notebook, and its corpus of synthetic submissions, which lives with the tests of the course folder."""
from __future__ import annotations

from pathlib import Path

from . import synthetic
from .course import Course

ASSIGNMENT = "tp1"
NOTEBOOK = "tp1_sgd"
NOTEBOOK_FILE = f"{NOTEBOOK}.ipynb"
CORPUS = Path("tests") / "corpus"  # in the course folder


def corpus_cases(course: Course) -> list[synthetic.Case]:
    """Every case of TP1's corpus, sorted by name (the student id it is graded under)."""
    return synthetic.corpus_cases(course.root / CORPUS)
