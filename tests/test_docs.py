"""The README and the pages of docs/: every relative link leads to a file (and a heading) that exists, and the README
links every page."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from repository import REPO_ROOT

PAGES = sorted((REPO_ROOT / "docs").glob("*.md"))
DOCUMENTS = [REPO_ROOT / "README.md", *PAGES]
_FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
_CODE = re.compile(r"`[^`\n]*`")
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _prose(text: str) -> str:
    """The text without its code blocks and code spans, where brackets are code, not links."""
    return _CODE.sub("", _FENCE.sub("", text))


def _relative_links(document: Path) -> list[str]:
    return [target for target in _LINK.findall(_prose(document.read_text()))
            if not re.match(r"[a-z][a-z0-9+.-]*:", target)]  # https:, mailto: ...


def _anchors(document: Path) -> set[str]:
    """The anchors GitHub gives the document's headings."""
    headings = re.findall(r"^#{1,6} (.+)$", _FENCE.sub("", document.read_text()), re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-") for heading in headings}


def test_there_are_pages():
    assert len(PAGES) >= 5, PAGES


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(REPO_ROOT)))
def test_every_relative_link_leads_to_an_existing_file_and_heading(document):
    for target in _relative_links(document):
        path, _, anchor = target.partition("#")
        linked = (document.parent / path).resolve() if path else document
        assert linked.exists(), f"{document.name}: the link {target!r} leads to no file"
        if anchor:
            assert anchor in _anchors(linked), f"{document.name}: the link {target!r} leads to no heading"


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.name)
def test_every_page_has_a_title_and_is_linked_from_the_readme(page):
    assert page.read_text().startswith("# "), f"{page.name} does not start with its title"
    linked = {(REPO_ROOT / target.partition("#")[0]).resolve() for target in _relative_links(REPO_ROOT / "README.md")}
    assert page.resolve() in linked, f"the README does not link {page.relative_to(REPO_ROOT)}"
