"""The hidden regions of a test cell (`### BEGIN HIDDEN TESTS` ... `### END HIDDEN TESTS`), for the judge and the
grader alike: imports nothing heavy, so that the judge's process starts fast."""
import re

HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS.*?^[ \t]*### END HIDDEN TESTS[^\n]*$", re.M | re.S)


def hidden_line_numbers(source: str) -> set[int]:
    """The numbers (from 1) of the lines of the hidden regions of a cell's source, markers included."""
    return {number for match in HIDDEN.finditer(source)
            for number in range(source.count("\n", 0, match.start()) + 1, source.count("\n", 0, match.end()) + 2)}
