"""A notebook a student made, checked before anything of the course's parses it outside the sandbox: its size first,
unread, then its JSON, then nbformat's reading of it. The intake (every route) and the self-check use it."""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbformat import NotebookNode

MAX_NOTEBOOK_BYTES = 32 * 2**20  # a notebook larger is refused unread (TP1's, figures included, are under 2 MiB)
MAX_CONTAINERS = 500_000  # lists and objects in its JSON: parsed, each costs memory many times its bytes
MAX_VALUES = 2_000_000  # values in its JSON (commas and colons, an upper bound), for the same reason


def problem(path: Path, max_bytes: int = MAX_NOTEBOOK_BYTES) -> str | None:
    """Why the file cannot be a notebook to grade, or None if it can (nbformat 3 and 4 both can)."""
    return _checked(path, max_bytes)[1]


def read(path: Path, max_bytes: int = MAX_NOTEBOOK_BYTES) -> NotebookNode:
    """The notebook, read as version 4; ValueError naming the file and the problem if it cannot be one."""
    notebook, reason = _checked(path, max_bytes)
    if reason:
        raise ValueError(f"{path}: not a readable notebook ({reason})")
    return notebook


def _checked(path: Path, max_bytes: int) -> tuple[NotebookNode | None, str | None]:
    """The notebook as version 4, or why it cannot be one. A file larger than `max_bytes` is not read, and JSON
    whose parsing would cost the memory many times its size is refused before it is parsed."""
    if (size := path.stat().st_size) > max_bytes:
        return None, (f"a file of {size / 2**20:.0f} MiB, more than the {max_bytes / 2**20:g} MiB a notebook may "
                      "have: clear its outputs (Kernel > Restart and clear outputs) and hand it in again")
    data = path.read_bytes()
    if not data.strip():
        return None, "empty file"
    if data.count(b"[") + data.count(b"{") > MAX_CONTAINERS:
        return None, (f"more than {MAX_CONTAINERS} lists and objects in its JSON, far more than a notebook's: not a "
                      "notebook")
    if data.count(b",") + data.count(b":") > MAX_VALUES:
        return None, f"more than {MAX_VALUES} values in its JSON, far more than a notebook's: not a notebook"
    try:
        text = data.decode("utf-8")
        content = json.loads(text)
    except UnicodeDecodeError:
        return None, "not UTF-8 text, so not a notebook"
    except json.JSONDecodeError as error:
        return None, f"not valid JSON (line {error.lineno}): the file is damaged, ask the student for it again"
    except RecursionError:
        return None, "JSON nested deeper than any notebook: not a notebook"
    except ValueError as error:  # a number past Python's limit on digits, among others
        return None, f"JSON that Python cannot read ({str(error)[:100]}): not a notebook"
    except MemoryError:
        return None, "JSON too large to read in memory: not a notebook"
    if not isinstance(content, dict) or not isinstance(content.get("nbformat"), int) or content["nbformat"] < 3:
        return None, "JSON but not a Jupyter notebook (no nbformat version 3 or 4)"
    del content  # parsed again by nbformat: one copy in memory at a time
    try:
        notebook = nbformat.reads(text, as_version=4)
    except Exception as error:  # noqa: BLE001 (nbformat raises several types for malformed notebooks)
        return None, f"not a notebook nbformat can read ({type(error).__name__}: {error})"
    return notebook, None
