"""coursekit's one adapter for nbgrader's internals: a piece gone from nbgrader is named at once, with the versions
the adapter was checked against; the errors that stop nbgrader's own loop stop coursekit's; and no other module of
coursekit touches nbgrader's private names."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy
from nbgrader.converters import Autograde
from nbgrader.nbgraderformat import SchemaTooNewError, SchemaTooOldError

from coursekit import nbgrader_internals


def test_a_private_name_gone_from_nbgrader_is_named_with_the_versions_checked(monkeypatch):
    monkeypatch.delattr(Autograde, "_init_preprocessors")

    with pytest.raises(nbgrader_internals.NbgraderChanged) as changed:
        nbgrader_internals.check()

    assert "nbgrader.converters.autograde.Autograde._init_preprocessors" in str(changed.value)
    assert "checked against nbgrader 0.9.6" in str(changed.value)


def test_the_errors_that_stop_nbgraders_loop_are_told_with_its_message():
    locked = sqlalchemy.exc.OperationalError("UPDATE student", {}, Exception("database is locked"))

    assert "run the command `nbgrader db upgrade`" in nbgrader_internals.fatal_for_the_batch(locked)
    assert "nbgrader update" in nbgrader_internals.fatal_for_the_batch(SchemaTooOldError("old", 1, 3))
    assert "update your version of nbgrader" in nbgrader_internals.fatal_for_the_batch(SchemaTooNewError("new", 4, 3))
    assert nbgrader_internals.fatal_for_the_batch(NameError("a student's notebook's own error")) is None


def test_no_other_module_of_coursekit_uses_a_private_name_of_nbgrader():
    names = sorted({name for names in nbgrader_internals.USED.values() for name in names})
    use = re.compile(rf"\.({'|'.join(names)})\b")
    adapter = Path(nbgrader_internals.__file__)
    package = adapter.parent

    users = {str(path.relative_to(package)) for path in package.rglob("*.py")
             if path != adapter and use.search(path.read_text(encoding="utf-8"))}

    assert not users, f"nbgrader's private names used outside coursekit/nbgrader_internals.py, in {sorted(users)}"
