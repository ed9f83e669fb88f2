"""The committed student version: what nbgrader generates from today's master, with nothing to give away."""
from __future__ import annotations

from coursekit import notebooks
from coursekit.course import Course

from conftest import REPOSITORY


def test_release_is_exactly_what_generate_assignment_makes_from_source(tmp_path):
    course = Course.copy_of_repository(tmp_path)
    course.nbgrader("generate_assignment", "tp1", "--force")
    generated = course.notebook("release").read_text()
    assert generated == REPOSITORY.notebook("release").read_text(), (
        "release/ is stale: run `make release` and commit the result")


def test_release_holds_no_solution_and_no_hidden_test(master, release):
    text = REPOSITORY.notebook("release").read_text()
    for marker in ["BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "HiddenReference"]:
        assert marker not in text
    release_cells = notebooks.solution_cells(release)
    for cell_id, cell in notebooks.solution_cells(master).items():
        solution_lines = {line.strip() for line in _solution_region(cell.source) if line.strip()}
        leaked = solution_lines & {line.strip() for line in release_cells[cell_id].source.split("\n")}
        assert not leaked, f"{cell_id} gives away {leaked}"


def _solution_region(source: str) -> list[str]:
    """The lines of a master cell between its solution markers (the whole cell for a written answer)."""
    if "### BEGIN SOLUTION" not in source:
        return source.split("\n")
    return source.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0].split("\n")


def test_every_stub_raises_not_implemented_and_every_answer_awaits_the_student(release):
    for cell_id, cell in notebooks.solution_cells(release).items():
        if cell.cell_type == "code":
            assert "raise NotImplementedError()" in cell.source, cell_id
        else:
            assert cell.source == "YOUR ANSWER HERE", cell_id
