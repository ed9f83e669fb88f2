"""The repository's own course folder, which the tests copy into scratch course folders."""
from pathlib import Path

from coursekit.course import Course

REPO_ROOT = Path(__file__).resolve().parents[1]
REPOSITORY = Course(REPO_ROOT)
