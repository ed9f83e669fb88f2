"""The similarity report's rule (DEFAULT_THRESHOLD and LEAST_MATCHED) measured on work written apart.

The class, 101 students: eight complete solutions written apart (the six of tests/independent/, each written by
someone who saw only the student version; the reference; tests/copied_class.py's original author, a whole notebook of
their own with helper functions); a copy of each for each way of disguising one (copied_class.DISGUISES: renamed and
reordered; 5, 15 and 40 lines of dead code after each cell; renamed, reordered and padded; a junk statement after
every statement); the corpus's correct alternatives (tests/corpus/correct), each holding only the few functions it
writes; and the release untouched. It prints the distribution (min, quartiles, max) of the score and of the
normalised characters matched (the smaller of the two) over the pairs of complete solutions written apart, and over
each solution's copies by disguise; the partial work that matches most at or above the threshold; for thresholds
from 0.5 to 0.9, how many pairs written apart are flagged and how many copies missed; which pairs the default rule
flags; its margins; and the time the comparison takes.

    python bench/similarity_threshold.py
"""
from __future__ import annotations

import itertools
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "tests"))

from coursekit import similarity  # noqa: E402
from coursekit.tp1 import ASSIGNMENT  # noqa: E402

import copied_class  # noqa: E402  (tests/copied_class.py: the class's work written apart and the disguises)
from repository import REPOSITORY  # noqa: E402

THRESHOLD, LEAST_MATCHED = similarity.DEFAULT_THRESHOLD, similarity.LEAST_MATCHED
SHOWN = 6


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        course = copied_class.hand_in_work_written_apart(REPOSITORY.copy_to(Path(scratch) / "course"))
        complete = copied_class.complete_work()
        copy_of = {}  # each copy's id: (whose code it copies, how it is disguised)
        for copier, (student, (name, disguise)) in enumerate(itertools.product(complete,
                                                                              copied_class.DISGUISES.items()), start=1):
            copied_class.hand_in(course, f"{student}~{name}", copied_class.copied(course, student, disguise, copier))
            copy_of[f"{student}~{name}"] = (student, name)
        started = time.perf_counter()
        released = similarity.released_code(course, ASSIGNMENT)
        class_code = similarity.class_code(course, ASSIGNMENT, released, {})
        pairs = similarity.similar_pairs(class_code, {}, released, threshold=0.0, least_matched=0)
        seconds = time.perf_counter() - started
    partial = copied_class.written_apart() - set(complete)
    by_students = {frozenset(pair.students): pair for pair in pairs}
    apart = [by_students.get(frozenset(students)) or unmatched(students)
             for students in itertools.combinations(complete, 2)]
    apart.sort(key=lambda pair: (-pair.score, -least(pair)))
    print(f"{len(class_code)} students, {len(class_code) * (len(class_code) - 1) // 2} pairs, compared in "
          f"{seconds:.1f} s: {len(complete)} complete solutions written apart ({', '.join(complete)}), a copy of each "
          f"for each of {len(copied_class.DISGUISES)} disguises, {len(partial)} partial works (a few functions each, "
          f"tests/corpus/correct; the untouched release too)")
    print(f"size of each complete solution, normalised characters: "
          f"{', '.join(f'{student} {size(class_code[student], released)}' for student in complete)}")

    print(f"\nthe {len(apart)} pairs of complete solutions written apart:")
    distribution("score", [pair.score for pair in apart])
    distribution("matched", [least(pair) for pair in apart])
    print("  score  shares        matched  pair")
    for pair in apart[:SHOWN]:
        print(f"  {pair.score:.3f}  {pair.shares[0]:.3f} {pair.shares[1]:.3f}  {least(pair):7d}  "
              f"{' '.join(pair.students)}")

    copies = {name: [] for name in copied_class.DISGUISES}  # by disguise: (whose code, the pair with its copy)
    for copy, (student, name) in copy_of.items():
        copies[name].append((student, by_students.get(frozenset((student, copy))) or unmatched((student, copy))))
    print(f"\neach complete solution with its copy, by disguise ({len(complete)} copies each):")
    for name, found in copies.items():
        student, lowest = min(found, key=lambda copy: copy[1].score)
        print(f"  {name}: score {summary([pair.score for _, pair in found])}; matched "
              f"{summary([least(pair) for _, pair in found], '.0f')}; lowest {lowest.score:.3f} ({student})")
    caught_by_design = [pair for name, found in copies.items() if name != "junk_after_every_statement"
                        for _, pair in found]
    print(f"  every copy but the junk ones: score {summary([pair.score for pair in caught_by_design])}; matched "
          f"{summary([least(pair) for pair in caught_by_design], '.0f')}")

    partial_pairs = [pair for pair in pairs if set(pair.students) & partial and set(pair.students) <= (
        partial | set(complete))]
    high = sorted((pair for pair in partial_pairs if pair.score >= THRESHOLD), key=lambda pair: -least(pair))
    print(f"\npartial work (a few functions) with any work written apart, {len(partial_pairs)} pairs matching: "
          f"{len(high)} score at least {THRESHOLD:g}, matching at most {least(high[0]) if high else 0} characters; "
          f"at most {max(least(pair) for pair in partial_pairs if pair.score >= 0.6)} at a score of 0.6 or more, "
          f"{max(map(least, partial_pairs))} at any")
    for pair in high[:3]:
        print(f"  {pair.score:.3f}  {least(pair):4d}  {' '.join(pair.students)}  "
              f"({', '.join(match.cell for match in pair.cells)})")

    origin = {student: student for student in class_code} | {copy: student for copy, (student, _) in copy_of.items()}
    print("\nthreshold  pairs written apart flagged  copies missed (of each disguise)")
    for threshold in (0.5, 0.6, 0.7, 0.8, 0.9):
        flags = [pair for pair in pairs if pair.reaches(threshold, LEAST_MATCHED)]
        missed = {name: sum(not pair.reaches(threshold, LEAST_MATCHED) for _, pair in found)
                  for name, found in copies.items()}
        print(f"  {threshold:.1f}  {sum(set(pair.students) <= copied_class.written_apart() for pair in flags):8d}"
              f"{'':21}{', '.join(f'{name} {count}' for name, count in missed.items() if count) or 'none'}")

    flagged = [pair for pair in pairs if pair.reaches(THRESHOLD, LEAST_MATCHED)]
    innocent = [pair for pair in flagged if set(pair.students) <= copied_class.written_apart()]
    stray = [pair for pair in flagged if set(pair.students) & set(copy_of)
             and len({origin[student] for student in pair.students}) > 1]
    own = [pair for pair in flagged if origin[pair.students[0]] == origin[pair.students[1]]]
    print(f"\nthe rule, score >= {THRESHOLD:g} and >= {LEAST_MATCHED} normalised characters of each one's code "
          f"matched, flags {len(flagged)} pairs: {len(own)} of a solution and its copies; {len(innocent)} of work "
          f"written apart"
          f"{': ' + ', '.join(' '.join(pair.students) for pair in innocent) if innocent else ''}; "
          f"{len(stray)} between a copy and work it does not copy")
    for name, found in copies.items():
        missed = [student for student, pair in found if not pair.reaches(THRESHOLD, LEAST_MATCHED)]
        if missed:
            print(f"  copies missed, {name}: {len(missed)} of {len(found)} ({', '.join(missed)})")
    caught = [pair for found in copies.values() for _, pair in found if pair.reaches(THRESHOLD, LEAST_MATCHED)]
    print(f"margins: the highest pair written apart {apart[0].score:.3f}, {THRESHOLD - apart[0].score:.3f} below the "
          f"threshold (the most matched {max(map(least, apart))} characters); the lowest copy flagged "
          f"{min(pair.score for pair in caught):.3f}, {min(pair.score for pair in caught) - THRESHOLD:.3f} above "
          f"({min(map(least, caught))} characters matched)")


def least(pair: similarity.Pair) -> int:
    """The normalised characters of each one's code found in the other's, the smaller of the two."""
    return min(pair.matched_characters)


def size(code: similarity.Code, released: similarity.Code) -> int:
    """A student's code in normalised characters, the release's own left out, as the comparison counts it."""
    boilerplate = set().union(*(similarity.fingerprint(source).hashes for source in released.values()))
    return round(sum(similarity.fingerprint(similarity._released_lines_blanked(source, released.get(cell, "")),
                                            boilerplate).token_coverage for cell, source in code.items()))


def unmatched(students: tuple[str, str]) -> similarity.Pair:
    return similarity.Pair(tuple(students), 0.0, (0.0, 0.0), (0, 0), [])


def summary(values: list[float], form: str = ".3f") -> str:
    return " ".join(f"{value:{form}}" for value in np.percentile(values, [0, 25, 50, 75, 100]))


def distribution(what: str, values: list[float]) -> None:
    print(f"  {what} (min, quartiles, max): {summary(values, '.3f' if what == 'score' else '.0f')}")


if __name__ == "__main__":
    main()
