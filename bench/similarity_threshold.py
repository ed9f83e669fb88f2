"""The similarity report's default threshold, measured on TP1's corpus: on the class of tests/copied_class.py (the
reference, the correct alternatives of tests/corpus/correct, written independently, a student's own notebook and a
copy of it with its variables renamed and its functions reordered), the copy's score, the highest scores of two
independent correct submissions, and the time the comparison takes.

    python bench/similarity_threshold.py
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "tests"))

from coursekit import similarity  # noqa: E402
from coursekit.tp1 import ASSIGNMENT  # noqa: E402

import copied_class  # noqa: E402  (tests/copied_class.py: the class handed in)
from repository import REPOSITORY  # noqa: E402

SHOWN = 5


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        course = copied_class.submitted(REPOSITORY.copy_to(Path(scratch) / "course"))
        started = time.perf_counter()
        comparison = similarity.compare_class(course, ASSIGNMENT, [], threshold=0.0)
        seconds = time.perf_counter() - started
    independent = {case.name for case in copied_class.independent_work()}
    scores = {pair.students: pair.score for pair in comparison.pairs}
    copy = scores[(copied_class.ORIGINAL, copied_class.COPY)]
    highest = sorted((pair for pair in comparison.pairs if set(pair.students) <= independent),
                     key=lambda pair: -pair.score)[:SHOWN]
    print(f"{comparison.students} students compared in {seconds:.1f} s "
          f"({comparison.students * (comparison.students - 1) // 2} pairs)")
    print(f"the copy ({copied_class.COPY} of {copied_class.ORIGINAL}): {copy:.3f}")
    print(f"the {SHOWN} highest pairs of independent correct work ({len(independent)} submissions):")
    for pair in highest:
        print(f"  {pair.score:.3f}  {pair.students[0]}  {pair.students[1]}")
    print(f"default threshold {similarity.DEFAULT_THRESHOLD:g}: {similarity.DEFAULT_THRESHOLD - highest[0].score:.3f} "
          f"above the highest independent pair, {copy - similarity.DEFAULT_THRESHOLD:.3f} below the copy")


if __name__ == "__main__":
    main()
