"""Which pairs of students' solution code are suspiciously similar, for the class report's "Similar code" section.

Each student's code is their notebooks' code solution cells, the cells left as released left out. Two students'
cells of the same grade id are compared with copydetect's winnowing (MOSS's algorithm), on code whose names are
normalised, so that renaming variables or reordering the functions of a cell does not hide a copy; the release's
own code (signatures, docstrings, stubs) is boilerplate and never matches; so are the ungraded exercises (plots,
experiments) left out. A pair's score is the larger of the two shares of one student's code found in the other's, so
that code added to a copy (dead code) does not lower it, and a pair is listed only when enough code matches that a few
lines written the textbook way never are. Comparing cell by cell, never one student's whole code as one text, keeps
two students who wrote different functions apart: in one text, the released stubs around each function would match.
"""
from __future__ import annotations

import hashlib
import io
import itertools
import json
import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from copydetect import CodeFingerprint, compare_files
from copydetect.utils import get_token_coverage

from . import grades, notebooks
from .course import CommandError, Course

# copydetect's default noise threshold: a match shorter than 25 characters of normalised code (names become V,
# whitespace and comments go) is an idiom, not a copy. Every k-gram is kept (a winnowing window of 1): a window
# keeps the smallest hash of each, and Python's string hashes change from one process to the next, so the scores
# would too.
NOISE = 25
WINDOW = 1
# Measured on work written apart (`python bench/similarity_threshold.py`): eight complete solutions of TP1 (the six
# of tests/independent/, each written by someone who saw only the student version; the reference; tests/copied_class's
# original author), their 28 pairs, and a copy of each disguised six ways. The pairs written apart score 0.03 to 0.66
# (quartiles 0.12, 0.27, 0.40; the highest, two compact numpy solutions, farid's and the reference, with 516 normalised
# characters matched): complete solutions written apart share hundreds of characters, so the score, not the least
# match, keeps them apart. Copies renamed and reordered, padded or not, score 0.91 to 0.98, padded with dead code
# 1.00 (767 to 3,330 characters matched). So the threshold is 0.8: 0.14 above the highest pair written apart, 0.11
# below the lowest copy (0.6, before, flagged farid and the reference). The least match keeps out partial work: a
# student who wrote only a few functions (tests/corpus/correct) may have all of it found in a complete solution written
# apart (1.00), but then matches at most 75 characters (108 at a score of 0.6 or more, 143 at any). A junk statement
# after every statement cuts the runs of 25 characters: 0.12 to 0.60, missed, as low as pairs written apart.
DEFAULT_THRESHOLD = 0.8
LEAST_MATCHED = 150  # normalised characters of each one's code found in the other's
# A cell longer than this is not compared: fingerprinting takes time and memory in proportion to the code (a cell of
# 5.8 million characters took 37 s and 1.4 GB), and TP1's longest reference solution cell has 1,562 characters.
LONGEST_CELL = 100_000
# The pairs whose code the comparison keeps, and the class report shows side by side; the others are listed by their
# ids and scores only: a class of a hundred students who share much would make a page of 90 MB, 88 s to open.
PAIRS_WITH_CODE = 20

Code = dict[str, str]  # a student's code by solution cell label, the cells left as released left out


@dataclass(frozen=True)
class CellMatch:
    """One solution cell in which two students' code matches: both codes, and the character ranges of each that
    are found in the other's."""

    cell: str
    codes: tuple[str, str]
    matched: tuple[list[tuple[int, int]], list[tuple[int, int]]]


@dataclass(frozen=True)
class Pair:
    students: tuple[str, str]
    score: float  # the larger of the two shares
    shares: tuple[float, float]  # the share of each one's code found in the other's
    matched_characters: tuple[int, int]  # how much of each one's code is found in the other's, normalised
    cells: list[CellMatch]

    def reaches(self, threshold: float, least_matched: int) -> bool:
        return self.score >= threshold and min(self.matched_characters) >= least_matched


@dataclass(frozen=True)
class Comparison:
    """A comparison of a class: its pairs at or above the threshold, most similar first."""

    assignment: str
    threshold: float
    students: int
    earlier: list[str]  # the folders of earlier years' submissions compared with this year's
    earlier_students: int
    not_compared: dict[str, str]  # notebooks that could not be read and cells too long, and why
    digest: str  # of the code compared: the class's code changed since if it differs
    pairs: list[Pair]  # the first PAIRS_WITH_CODE with their cells, the others without

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(self), indent=1))

    @classmethod
    def load(cls, path: Path) -> Comparison:
        saved = json.loads(path.read_text())
        pairs = [Pair(tuple(pair["students"]), pair["score"], tuple(pair["shares"]),
                      tuple(pair["matched_characters"]),
                      [CellMatch(cell["cell"], tuple(cell["codes"]),
                                 tuple([tuple(span) for span in spans] for spans in cell["matched"]))
                       for cell in pair["cells"]])
                 for pair in saved["pairs"]]
        return cls(**{**saved, "pairs": pairs})

    def summary(self) -> str:
        earlier = f" and {self.earlier_students} of earlier years" if self.earlier else ""
        lines = [f"{self.students} students compared{earlier}; {len(self.pairs)} pairs at or above {self.threshold:g}:"]
        lines += [f"  {pair.score:.2f}  {pair.students[0]}  {pair.students[1]}" for pair in self.pairs]
        lines += [f"not compared: {notebook} ({why})" for notebook, why in self.not_compared.items()]
        return "\n".join(lines)


def results_path(course: Course, assignment: str) -> Path:
    return course.root / "reports" / assignment / "similarity.json"


def compare_class(course: Course, assignment: str, earlier: list[Path], threshold: float) -> Comparison:
    """Compare the code of the students who handed the assignment in with each other's, and with earlier years'
    (each folder holding <student>/<notebook>.ipynb), and save the comparison where the class report reads it."""
    released = released_code(course, assignment)
    not_compared: dict[str, str] = {}
    this_year = class_code(course, assignment, released, not_compared)
    earlier_years = {}
    for folder, name in zip(earlier, earlier_names(earlier)):
        earlier_years.update(earlier_code(course, assignment, folder, name, released, not_compared))
    pairs = similar_pairs(this_year, earlier_years, released, threshold, LEAST_MATCHED)
    comparison = Comparison(assignment, threshold, len(this_year), [str(folder) for folder in earlier],
                            len(earlier_years), not_compared, digest(released, this_year),
                            pairs[:PAIRS_WITH_CODE] + [replace(pair, cells=[]) for pair in pairs[PAIRS_WITH_CODE:]])
    comparison.save(results_path(course, assignment))
    return comparison


def current_comparison(course: Course, assignment: str) -> tuple[Comparison | None, bool]:
    """The assignment's saved comparison, if any, and whether it is still that of the class's code."""
    path = results_path(course, assignment)
    if not path.is_file():
        return None, False
    comparison = Comparison.load(path)
    released = released_code(course, assignment)
    return comparison, comparison.digest == digest(released, class_code(course, assignment, released, {}))


def released_code(course: Course, assignment: str) -> Code:
    """The code solution cells of the assignment's student version: the boilerplate every student starts from."""
    names = course.notebook_names(assignment)
    paths = [course.notebook(assignment, "release", None, name) for name in names]
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        raise CommandError(f"no student version {', '.join(missing)}: run `coursekit release {assignment}` first")
    return {label: code for name, path in zip(names, paths)
            for label, code in _code_cells(notebooks.read(path), name, len(names)).items()}


def class_code(course: Course, assignment: str, released: Code, not_compared: dict[str, str]) -> dict[str, Code]:
    """The code of each student who handed the assignment in (submitted/)."""
    names = course.notebook_names(assignment)
    return {student: student_code(course.folder(assignment, "submitted", student), names, released, not_compared)
            for student in course.students(assignment, "submitted")}


def earlier_names(folders: list[Path]) -> list[str]:
    """A name for each folder of earlier submissions: its last part, or as many of its last parts as tell it from the
    others (../2023/tp1 and ../2024/tp1 are 2023/tp1 and 2024/tp1): two students of the same id in folders of the
    same name would otherwise be one, and the copies of one of them lost."""
    paths = [folder.resolve() for folder in folders]
    if len(set(paths)) < len(paths):
        raise CommandError(f"a folder of earlier submissions is given twice: {', '.join(map(str, folders))}")
    return [_shortest_distinct_ending(path, [other for other in paths if other != path]) for path in paths]


def _shortest_distinct_ending(path: Path, others: list[Path]) -> str:
    parts = 1
    while any(path.parts[-parts:] == other.parts[-parts:] for other in others):
        parts += 1
    return "/".join(path.parts[-parts:])


def earlier_code(course: Course, assignment: str, folder: Path, folder_name: str, released: Code,
                 not_compared: dict[str, str]) -> dict[str, Code]:
    """The code of each student of an earlier year, from a folder of <student>/<notebook>.ipynb, by
    `<folder_name>/<student>` (no student id of this year has a slash)."""
    names = course.notebook_names(assignment)
    students = sorted(path.name for path in folder.iterdir()
                      if any((path / f"{name}.ipynb").is_file() for name in names)) if folder.is_dir() else []
    if not students:
        raise CommandError(f"no earlier submissions in {folder}: it should hold <student>/<notebook>.ipynb, the "
                           f"notebooks of {assignment} ({', '.join(f'{name}.ipynb' for name in names)})")
    return {f"{folder_name}/{student}": student_code(folder / student, names, released, not_compared)
            for student in students}


def student_code(folder: Path, names: list[str], released: Code, not_compared: dict[str, str]) -> Code:
    """A student's code, from the assignment's notebooks in their folder, the cells left as released left out;
    notebooks that cannot be read, and cells longer than LONGEST_CELL, are added to `not_compared`."""
    code: Code = {}
    for name in names:
        path = folder / f"{name}.ipynb"
        if not path.is_file():  # a notebook the student did not hand in
            continue
        try:
            cells = _code_cells(notebooks.read(path), name, len(names))
        # Broad on purpose: a student's notebook is hostile input (and an earlier year's never went through intake):
        # not JSON, not UTF-8, not a notebook, a cell without source or a grade id that is a number, it may break
        # any assumption of the code that reads it, and one such notebook must not stop the comparison of the class.
        except Exception as error:
            first_line = str(error).strip().split("\n")[0]
            not_compared[str(path)] = f"{type(error).__name__}: {first_line}" if first_line else type(error).__name__
            continue
        for label, source in cells.items():
            if len(source) > LONGEST_CELL:
                not_compared[f"{path}, cell {label}"] = f"{len(source):,} characters, above {LONGEST_CELL:,}"
            elif source != released.get(label):
                code[label] = source
    return code


def _code_cells(notebook, name: str, notebooks_in_assignment: int) -> Code:
    """The code solution cells of a notebook, the ungraded exercises left out: no grade rests on them, and their
    code, plots and experiment loops the notebook spells out, is alike once names become V (two plots of the losses
    written apart, one with `ax.` and one with `plt.`, matched 0.93 and 1.00)."""
    code: Code = {}
    ungraded = notebooks.ungraded_exercises(notebook)
    for cell_id, cell in notebooks.solution_cells(notebook).items():
        if cell.cell_type != "code" or cell_id in ungraded:
            continue
        if not isinstance(cell_id, str):
            raise ValueError(f"a solution cell's grade id is {cell_id!r}, not text")
        if not isinstance(cell.source, str):
            raise ValueError(f"the source of solution cell {cell_id} is {type(cell.source).__name__}, not text")
        code[grades.cell_label(name, cell_id, notebooks_in_assignment)] = cell.source
    return code


def digest(released: Code, this_year: dict[str, Code]) -> str:
    return hashlib.sha256(json.dumps([released, this_year], sort_keys=True).encode()).hexdigest()


def similar_pairs(this_year: dict[str, Code], earlier_years: dict[str, Code], released: Code, threshold: float,
                  least_matched: int) -> list[Pair]:
    """The pairs of students whose code matches with a score at or above the threshold, at least `least_matched`
    normalised characters of each one's code found in the other's, most similar first: this year's students with each
    other and with earlier years' (never earlier years' with each other)."""
    boilerplate = set().union(*(fingerprint(code).hashes for code in released.values()))
    codes = {**this_year, **earlier_years}
    fingerprints = {student: {cell: fingerprint(_released_lines_blanked(source, released.get(cell, "")), boilerplate)
                              for cell, source in code.items()}
                    for student, code in codes.items()}
    pairs = (_pair(first, second, codes, fingerprints)
             for first, second in [*itertools.combinations(this_year, 2), *itertools.product(this_year, earlier_years)])
    return sorted((pair for pair in pairs if pair.cells and pair.reaches(threshold, least_matched)),
                  key=lambda pair: (-pair.score, -min(pair.matched_characters), pair.students))


def _released_lines_blanked(code: str, released: str) -> str:
    """A cell's code with the lines it kept from the release (the signature, the docstring) as spaces. The release's
    k-grams are boilerplate, but those that run from a signature into the student's first statement are not, and
    would match any two students who start alike (as the exercise often tells them to). Spaces keep every character
    where it was, for the ranges that mark the matches in the code as written."""
    kept = {line.strip() for line in released.splitlines()} - {""}
    return "".join(re.sub(r"[^\r\n]", " ", line) if line.strip() in kept else line
                   for line in code.splitlines(keepends=True))


def fingerprint(code: str, boilerplate: set[int] | frozenset[int] = frozenset()) -> CodeFingerprint:
    """copydetect's fingerprint of one cell's code, the boilerplate's k-grams taken out. Taken out here rather than
    by copydetect's `boilerplate` argument: copydetect 0.5.0 intersects the k-grams with numpy's `assume_unique`
    although a student's code may repeat one, and so leaves a repeated boilerplate k-gram in once."""
    found = CodeFingerprint("cell.py", NOISE, WINDOW, language="python", fp=io.StringIO(code))
    found.hash_idx = {kgram: where for kgram, where in found.hash_idx.items() if kgram not in boilerplate}
    found.hashes = set(found.hash_idx)
    found.token_coverage = get_token_coverage(found.hash_idx, NOISE, len(found.filtered_code))
    return found


def _pair(first: str, second: str, codes: dict[str, Code], fingerprints: dict[str, dict[str, CodeFingerprint]]) -> Pair:
    """How much of two students' code matches, cell by cell (cells of the same grade id)."""
    matched = [0.0, 0.0]
    cells = []
    for cell, one in fingerprints[first].items():
        other = fingerprints[second].get(cell)
        if other is None:
            continue
        overlap, similarities, slices = compare_files(one, other)
        if not overlap:
            continue
        matched[0] += similarities[0] * one.token_coverage
        matched[1] += similarities[1] * other.token_coverage
        cells.append(CellMatch(cell, (codes[first][cell], codes[second][cell]),
                               tuple([(int(start), int(end)) for start, end in zip(*spans)] for spans in slices)))
    sizes = [sum(found.token_coverage for found in fingerprints[student].values()) for student in (first, second)]
    shares = tuple(float(part / size) if size else 0.0 for part, size in zip(matched, sizes))
    return Pair((first, second), max(shares), shares, tuple(round(float(part)) for part in matched), cells)
