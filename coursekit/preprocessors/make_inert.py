"""Pages built from a submission run nothing of it: the notebook made inert before nbconvert renders it.

Run last in `nbgrader generate_feedback`, and first in the formgrader's own exporter (both set in
nbgrader_config.py), this preprocessor leaves nothing a page could run, submit or load from elsewhere:

- markdown (cells, and text/markdown outputs) is rendered as the page would render it, cleaned with the
  course's allow-list (coursekit/inert.py), and handed back as markdown that renders as exactly that HTML:
  nbgrader's templates render markdown cells themselves, without nbconvert's `sanitize_html`;
- text/html outputs are cleaned; outputs of other kinds than text, LaTeX and images (JavaScript, widgets, ...)
  are dropped;
- output metadata keeps numeric image sizes only: nbconvert writes an image's width and height into an
  unquoted attribute, escaping quotes only, so `8 onload=...` would add an event handler; `isolated` HTML, put
  in an iframe that runs it, goes too;
- execution counts, which nbconvert writes unescaped, stay numbers.

Formulas become MathML (coursekit/formulas.py), which the browser typesets with no script and no network; images stay
images (an SVG in an <img> runs no script).
"""
from __future__ import annotations

import html
import re
import secrets

from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbformat import NotebookNode

from nbgrader.preprocessors import NbGraderPreprocessor

from .. import formulas, inert

# Beyond these, a cell's markdown is shown as text and its formulas as TeX: a page is built for each student in turn,
# so one student's markdown must not hold up the class (the course's longest markdown cell has 2,751 characters).
LONGEST_MARKDOWN = 32_000
MARKDOWN_PER_NOTEBOOK = 512_000  # at most about 20 s of rendering, for the worst markdown measured
MOST_FORMULAS = 1_000
SHOWN_AS_IS = {"text/plain", "image/png", "image/jpeg", "image/svg+xml"}  # escaped or as images
IMAGES = {"image/png", "image/jpeg", "image/svg+xml"}


class MakeInert(NbGraderPreprocessor):
    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        nb.metadata.pop("widgets", None)  # widget state, which a page's widget manager would run
        self._markdown_left = MARKDOWN_PER_NOTEBOOK
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int) -> tuple[NotebookNode, dict]:
        if cell.cell_type == "markdown":
            cell.source = self._markdown(cell.source, cell.get("attachments", {}))
        elif cell.cell_type == "raw":
            cell.source = inert.clean(cell.source)
        elif cell.cell_type == "code":
            cell.execution_count = _number(cell.get("execution_count"))
            cell.outputs = [self._inert_output(output) for output in cell.get("outputs", [])]
        return cell, resources

    def _markdown(self, source: str, attachments: dict) -> str:
        """inert_markdown, or the markdown as text once the notebook's markdown has used up its budget."""
        self._markdown_left -= len(source)
        return inert_markdown(source, attachments) if self._markdown_left >= 0 else _as_text(source)

    def _inert_output(self, output: NotebookNode) -> NotebookNode:
        if output.output_type not in ("display_data", "execute_result"):
            return output  # streams and errors: nbconvert escapes their text
        data = {}
        for kind, value in output.get("data", {}).items():
            if not isinstance(value, str):
                continue
            if kind in SHOWN_AS_IS:
                data[kind] = value
            elif kind == "text/html":
                data[kind] = inert.clean(value)
            elif kind == "text/markdown":
                data[kind] = self._markdown(value, {})
            elif kind == "text/latex":  # typeset here, as markdown's formulas are; an HTML output of its own first
                data.setdefault("text/html", self._markdown(value, {}))
        output.data = data
        output.metadata = _image_metadata(output.get("metadata", {}))
        if "execution_count" in output:
            output.execution_count = _number(output.execution_count)
        return output


def inert_markdown(source: str, attachments: dict) -> str:
    """Markdown that renders as the clean HTML of this markdown, its formulas typeset.

    Rendered with nbconvert's own renderer (attachments embedded as data: images), each formula left as a marker,
    cleaned, then each marker in the text replaced with the formula's MathML, cleaned by its own allow-list (the page's
    does not let MathML through), and each marker within a tag (an image's alt text) with the formula's TeX; put on one
    line in a <div>: a CommonMark HTML block, which ends at a blank line only and renders verbatim. Line breaks become
    character references, which the browser reads back as line breaks (in <pre> too). Markdown longer than
    LONGEST_MARKDOWN is shown as text: the renderer and the cleaner take time in the square of some inputs' length.
    """
    if len(source) > LONGEST_MARKDOWN:
        return _as_text(source)
    renderer = _FormulasAsMarkers(escape=False, attachments=attachments, exclude_anchor_links=True)
    return _html_block(renderer.typeset(inert.clean(MarkdownWithMath(renderer=renderer).render(source))))


def _as_text(source: str) -> str:
    return _html_block(f"<pre>{html.escape(source)}</pre>")


def _html_block(clean: str) -> str:
    return "<div>" + clean.replace("\r", "&#13;").replace("\n", "&#10;") + "</div>"


class _FormulasAsMarkers(IPythonRenderer):
    """nbconvert's renderer, each formula rendered as a marker no markdown can forge (a random word, new each time,
    ended by its number and an `x`) and kept aside; the first MOST_FORMULAS typeset, the others shown as TeX."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.formulas: list[tuple[str, bool]] = []  # (TeX, display)
        self._nonce = secrets.token_hex(8)
        self._marker = re.compile(f"formula{self._nonce}n([0-9]+)x")

    def _kept(self, tex: str, display: bool) -> str:
        self.formulas.append((tex, display))
        return f"formula{self._nonce}n{len(self.formulas) - 1}x"

    def inline_math(self, body: str) -> str:
        return self._kept(body, False)

    def block_math(self, body: str) -> str:
        return self._kept(body, True)

    def latex_environment(self, name: str, body: str) -> str:
        return self._kept(f"\\begin{{{name}}}{body}\\end{{{name}}}", True)

    def typeset(self, clean: str) -> str:
        """The clean HTML with its markers replaced, in one pass."""
        def formula(marker: re.Match) -> str:
            index = int(marker[1])
            tex, display = self.formulas[index]
            within_a_tag = clean.rfind("<", 0, marker.start()) > clean.rfind(">", 0, marker.start())
            if within_a_tag or index >= MOST_FORMULAS:
                return formulas.as_tex(tex, display)
            return formulas.mathml(tex, display)
        return self._marker.sub(formula, clean)


def _image_metadata(metadata: dict) -> dict:
    """Only what nbconvert reads of an image's metadata, and only of the right type."""
    kept = {}
    for kind in IMAGES & set(metadata):
        given = metadata[kind] if isinstance(metadata[kind], dict) else {}
        sizes = {key: _number(given.get(key)) for key in ("width", "height") if _number(given.get(key)) is not None}
        flags = {"unconfined": True} if given.get("unconfined") is True else {}
        alt = {"alt": given["alt"]} if isinstance(given.get("alt"), str) else {}  # written quoted and escaped
        kept[kind] = {**sizes, **flags, **alt}
    return kept


def _number(value) -> int | float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
