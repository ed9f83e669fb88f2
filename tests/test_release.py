"""The committed student version: what nbgrader generates from today's master, with nothing to give away."""
from __future__ import annotations

import nbformat
from nbclient import NotebookClient

from coursekit import notebooks, synthetic
from coursekit.tp1 import ASSIGNMENT
from repository import REPOSITORY


def test_release_is_exactly_what_generate_assignment_makes_from_source(tmp_path):
    course = REPOSITORY.copy_to(tmp_path)
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    generated = course.notebook(ASSIGNMENT, "release").read_text()
    assert generated == REPOSITORY.notebook(ASSIGNMENT, "release").read_text(), (
        "release/ is stale: run `make release` and commit the result")


def test_release_holds_no_solution_and_no_hidden_test(master, release):
    text = REPOSITORY.notebook(ASSIGNMENT, "release").read_text()
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


def test_every_graded_stub_raises_every_ungraded_one_does_nothing_and_every_answer_awaits_the_student(release):
    ungraded = notebooks.ungraded_exercises(release)
    assert len(ungraded) >= 5
    for cell_id, cell in notebooks.solution_cells(release).items():
        if cell_id in ungraded:
            assert all(line.startswith("#") for line in cell.source.split("\n")), cell_id
        elif cell.cell_type == "code":
            assert "raise NotImplementedError()" in cell.source, cell_id
        else:
            assert cell.source == "YOUR ANSWER HERE", cell_id


def test_every_solution_code_cell_is_a_graded_function_or_an_ungraded_exercise(master):
    tests, ungraded = notebooks.test_cells(master), notebooks.ungraded_exercises(master)
    for cell_id, cell in notebooks.solution_cells(master).items():
        if cell.cell_type == "code":
            assert (f"test_{cell_id}" in tests) != (cell_id in ungraded), (
                f"{cell_id}: a solution code cell is either a graded function, tested by test_{cell_id}, or tagged "
                f"{notebooks.UNGRADED_EXERCISE!r}")


def test_release_with_the_graded_functions_written_and_the_rest_as_given_runs_to_its_last_cell(master, release):
    ungraded = notebooks.ungraded_exercises(release)
    code_cells = {cell_id for cell_id, cell in notebooks.solution_cells(master).items() if cell.cell_type == "code"}
    graded_functions = {cell_id: source for cell_id, source in notebooks.reference_solutions(master).items()
                        if cell_id in code_cells - set(ungraded)}
    student = nbformat.from_dict(synthetic.fill(release, graded_functions))
    # Hang guards, a cell's run and the kernel's start, far above what they take on a busy machine.
    NotebookClient(student, timeout=600, startup_timeout=600, kernel_name="python3", allow_errors=True).execute()
    for cell in student.cells:
        for output in cell.get("outputs", []):
            assert output.output_type != "error", f"{notebooks.grade_id(cell) or cell.id}: {output.evalue}"
    for cell_id, cell in notebooks.test_cells(student).items():
        assert "visible checks pass" in "".join(output.get("text", "") for output in cell.outputs), cell_id
