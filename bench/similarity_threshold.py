"""The similarity report's default threshold and least matched size, measured on TP1's corpus: on the class of
tests/copied_class.py (the reference, the correct alternatives of tests/corpus/correct, written independently, a
student's own notebook, a copy of it with its variables renamed and its functions reordered, and one padded with dead
code), with copies of that notebook disguised further (5, 15 and 40 lines of dead code after each cell, a junk
statement after every statement): for each copy and for the independent pairs that match most, the pair's share of
both codes found in the other's (the score before padding was taken into account), each one's share, the score (the
larger share) and the normalised characters matched; then which pairs the default rule flags, and the time the
comparison takes.

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

from coursekit import similarity, synthetic  # noqa: E402
from coursekit.tp1 import ASSIGNMENT  # noqa: E402

import copied_class  # noqa: E402  (tests/copied_class.py: the class handed in)
from repository import REPOSITORY  # noqa: E402

SHOWN = 6
DISGUISED = {
    **{f"dead_code_{lines}_lines_copy": lambda code, lines=lines: copied_class.padded(code, lines)
       for lines in (5, 15)},  # and 40 lines: the class's padded copy
    "junk_after_every_statement": copied_class.junk_after_every_statement,
}


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        course = copied_class.submitted(REPOSITORY.copy_to(Path(scratch) / "course"))
        synthetic.write_class(course, ASSIGNMENT, [
            synthetic.Case(name, "", {cell: disguise(code) for cell, code in copied_class.original_code().items()},
                           frozenset()) for name, disguise in DISGUISED.items()],
            with_untouched_release=False, own_code_only=True)
        started = time.perf_counter()
        released = similarity.released_code(course, ASSIGNMENT)
        class_code = similarity.class_code(course, ASSIGNMENT, released, {})
        pairs = similarity.similar_pairs(class_code, {}, released, threshold=0.0, least_matched=0)
        seconds = time.perf_counter() - started
    independent = {case.name for case in copied_class.independent_work()} | {copied_class.ORIGINAL}
    copies = [pair for pair in pairs
              if copied_class.ORIGINAL in pair.students and not set(pair.students) <= independent]
    alike = sorted((pair for pair in pairs if set(pair.students) <= independent),
                   key=lambda pair: (-pair.score, -min(pair.matched_characters)))
    largest = sorted(alike, key=lambda pair: -min(pair.matched_characters))
    print(f"{len(class_code)} students compared in {seconds:.1f} s")
    print("both shares   shares        score  matched  pair")
    for heading, shown in [(f"the copies of {copied_class.ORIGINAL}'s notebook:", copies),
                           (f"the {SHOWN} independent pairs of highest score:", alike[:SHOWN]),
                           (f"the {SHOWN} independent pairs matching most code:", largest[:SHOWN])]:
        print(heading)
        for pair in shown:
            print(f"  {share_of_both(pair):.3f}  {pair.shares[0]:.3f} {pair.shares[1]:.3f}  {pair.score:.3f}  "
                  f"{min(pair.matched_characters):7d}  {' '.join(pair.students)}")
    flagged = [pair for pair in pairs if pair.reaches(similarity.DEFAULT_THRESHOLD, similarity.LEAST_MATCHED)]
    print(f"flagged at score >= {similarity.DEFAULT_THRESHOLD:g} and >= {similarity.LEAST_MATCHED} characters matched: "
          f"{len(flagged)} pairs, {sum(set(pair.students) <= independent for pair in flagged)} of independent work; "
          f"copies missed: {', '.join(' '.join(pair.students) for pair in copies if pair not in flagged) or 'none'}")


def share_of_both(pair: similarity.Pair) -> float:
    """The share of the two students' code, together, found in the other's: each one's size is what matched over
    their share."""
    sizes = [matched / share for matched, share in zip(pair.matched_characters, pair.shares) if share]
    return sum(pair.matched_characters) / sum(sizes) if sizes else 0.0


if __name__ == "__main__":
    main()
