"""Every synthetic submission of the corpus gets the outcome written next to it, autograded by nbgrader."""
from __future__ import annotations

import pytest

from coursekit import grades, synthetic

CASES = synthetic.corpus_cases()


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case_loses_points_exactly_where_expected(demo_course, case):
    cell_grades = grades.notebook_grades(demo_course, case.name)
    assert grades.cells_losing_points(cell_grades) == case.loses_points_in
