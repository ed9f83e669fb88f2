"""Ungraded exercises that do nothing, in the student version, until the student writes them.

ClearSolutions gives every solution cell the same stub, one that raises NotImplementedError: right for
a graded function (its test cell must fail until it is written), wrong for an ungraded exercise (a plot,
an experiment), where it stops *Restart and Run All* and so the pre-submission check the notebook asks
for. Run in `nbgrader generate_assignment` right after ClearSolutions (nbgrader_config.py), this
preprocessor gives the solution cells tagged `ungraded-exercise` in the master notebook a stub that is
only a comment.
"""
from __future__ import annotations

from nbformat import NotebookNode
from traitlets import Unicode

from nbgrader import utils
from nbgrader.preprocessors import ClearSolutions, NbGraderPreprocessor

from ..notebooks import UNGRADED_EXERCISE


class QuietUngradedExercises(NbGraderPreprocessor):
    tag = Unicode(UNGRADED_EXERCISE, help="The cell tag of the ungraded exercises' solution cells.").tag(config=True)
    stub = Unicode("# YOUR CODE HERE (not graded: until you write it, this cell does nothing)",
                   help="What the student version shows in place of an ungraded exercise's solution.").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        language = nb.metadata.get("kernelspec", {}).get("language", "python")
        self._raising_stub = ClearSolutions(config=self.config).code_stub[language]
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int) -> tuple[NotebookNode, dict]:
        if (cell.cell_type == "code" and utils.is_solution(cell) and not utils.is_grade(cell)
                and self.tag in cell.metadata.get("tags", [])):
            cell.source = cell.source.replace(self._raising_stub, self.stub)
        return cell, resources
