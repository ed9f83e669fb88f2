"""TP1's fairness report: which mistakes each test cell catches, and how often correct work is failed.

A test suite is a classifier over submissions. Its mutation score is the share of the corpus's
mistakes it catches, each in the test cell that concerns it and with feedback naming it; its
false-failure rate is the share of runs in which correct work (the reference and the correct
alternatives, at many seeds) lost a point. Each test cell judges its own function, so the report also
counts the collateral losses: the mistakes that cost points outside the test cells of the function
they are in (a case's own functions are those its file writes), and the cells of correct functions
(those a mistake leaves as the reference) that lose points, which should be none. Mistakes are graded
by nbgrader for real; the seed sweep of the correct work runs in-process (inprocess.py).
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from nbformat import NotebookNode

from . import grades, inprocess, notebooks, synthetic, tp1
from .course import Course
from .tp1 import ASSIGNMENT


@dataclass(frozen=True)
class Outcome:
    """What nbgrader gave one synthetic submission."""

    case: synthetic.Case
    cells_losing_points: frozenset[str]
    feedback: dict[str, str]  # test cell -> what the student reads in it: error message and printed lines

    @property
    def caught(self) -> bool:
        """Lost points in each cell that concerns the mistake, with feedback that names it."""
        return all(cell in self.cells_losing_points and mention in self.feedback.get(cell, "")
                   for cell, mention in self.case.feedback_mentions.items())


def own_test_cells(case: synthetic.Case, tested: dict[str, str]) -> frozenset[str]:
    """The test cells that judge the functions a case writes, from the function each test cell judges."""
    return frozenset(cell_id for cell_id, function in tested.items() if function in case.functions)


def collateral_losses(outcomes: list[Outcome], tested: dict[str, str]) -> dict[str, frozenset[str]]:
    """The test cells of correct functions that lost points, by case: for a mistake, those outside the test cells of
    the functions it writes (the others are the reference's); for correct work, every cell that lost points."""
    losses = {outcome.case.name: outcome.cells_losing_points
              - (own_test_cells(outcome.case, tested) if outcome.case.loses_points_in else frozenset())
              for outcome in outcomes}
    return {name: cells for name, cells in losses.items() if cells}


def feedback_by_test_cell(autograded: NotebookNode) -> dict[str, str]:
    """The text each test cell shows after autograding: printed lines and the error's message."""
    return {
        cell_id: "".join(output.get("text", "") + output.get("evalue", "") for output in cell.outputs)
        for cell_id, cell in notebooks.test_cells(autograded).items()
    }


def grade(course: Course, cases: list[synthetic.Case]) -> list[Outcome]:
    """Autograde every case with nbgrader in the course (where the release was generated) and read the outcomes."""
    synthetic.write_class(course, ASSIGNMENT, cases, with_untouched_release=False)
    course.nbgrader("autograde", ASSIGNMENT, "--force")
    return [
        Outcome(case, frozenset(grades.cells_losing_points(grades.notebook_grades(course, ASSIGNMENT, case.name))),
                feedback_by_test_cell(notebooks.read(course.notebook(ASSIGNMENT, "autograded", case.name))))
        for case in cases
    ]


def report(repository: Course, seeds: int) -> str:
    """Grade TP1's whole corpus with nbgrader, sweep the correct work over the seeds, and write the report."""
    cases = tp1.corpus_cases(repository)
    correct = [synthetic.Case.reference(), *(case for case in cases if not case.loses_points_in)]
    with tempfile.TemporaryDirectory() as scratch:
        course = repository.copy_to(Path(scratch))
        course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
        outcomes = grade(course, cases)
        master = notebooks.read(course.notebook(ASSIGNMENT, "source"))
    runs = {case.name: inprocess.sweep(master, case, inprocess.seed_offsets(seeds)) for case in correct}
    return format_report(master, outcomes, runs, seeds)


def format_report(master: NotebookNode, outcomes: list[Outcome], runs: dict[str, list[inprocess.Run]],
                  seeds: int) -> str:
    """The report, from nbgrader's outcomes for the corpus and the in-process runs of the correct work."""
    mistakes = [outcome for outcome in outcomes if outcome.case.loses_points_in]
    lines = ["Which mistakes each test cell catches (graded by nbgrader; * where the mistake belongs):", ""]
    for cell_id in notebooks.test_cells(master):
        caught = sorted(
            ("*" if cell_id in outcome.case.feedback_mentions else "") + outcome.case.name
            for outcome in mistakes if cell_id in outcome.cells_losing_points)
        lines.append(f"{cell_id} ({len(caught)}): {', '.join(caught) or '-'}")
    caught = [outcome for outcome in mistakes if outcome.caught]
    missed = [outcome.case.name for outcome in mistakes if not outcome.caught]
    points = notebooks.test_points(master)
    correct_outcomes = [outcome for outcome in outcomes if not outcome.case.loses_points_in]
    failed = [name for name, case_runs in runs.items() for run in case_runs
              if any(run.scores[cell_id] < maximum for cell_id, maximum in points.items())]
    failed += [outcome.case.name for outcome in correct_outcomes if outcome.cells_losing_points]
    total_runs = sum(len(case_runs) for case_runs in runs.values()) + len(correct_outcomes)
    collateral = collateral_losses(outcomes, notebooks.tested_functions(master))
    mistakes_outside = {outcome.case.name: collateral[outcome.case.name] for outcome in mistakes
                        if outcome.case.name in collateral}
    lines += [
        "",
        f"Mutation score: {len(caught)}/{len(mistakes)} mistakes caught in their own test cell with feedback "
        f"naming them ({100 * len(caught) / len(mistakes):.0f}%)" + (f"; missed: {', '.join(missed)}" if missed else ""),
        f"False-failure rate: {len(failed)}/{total_runs} runs of correct work lost points "
        f"({100 * len(failed) / total_runs:.1f}%): the reference and {len(runs) - 1} correct alternatives, "
        f"{seeds} seeds each in-process, and once each through nbgrader"
        + (f"; failed: {', '.join(sorted(set(failed)))}" if failed else ""),
        f"Collateral losses: {len(mistakes_outside)}/{len(mistakes)} mistakes lose points outside the test cells of "
        "their own function" + (f": {_cells_by_case(mistakes_outside)}" if mistakes_outside else ""),
        f"Cells of correct functions that lost points: {sum(len(cells) for cells in collateral.values())} (target 0)"
        + (f": {_cells_by_case(collateral)}" if collateral else ""),
    ]
    return "\n".join(lines)


def _cells_by_case(cells: dict[str, frozenset[str]]) -> str:
    return ", ".join(f"{name} ({', '.join(sorted(cells[name]))})" for name in sorted(cells))
