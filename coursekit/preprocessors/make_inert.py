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

import secrets

from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbformat import NotebookNode

from nbgrader.preprocessors import NbGraderPreprocessor

from .. import formulas, inert

SHOWN_AS_IS = {"text/plain", "image/png", "image/jpeg", "image/svg+xml"}  # escaped or as images
IMAGES = {"image/png", "image/jpeg", "image/svg+xml"}


class MakeInert(NbGraderPreprocessor):
    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        nb.metadata.pop("widgets", None)  # widget state, which a page's widget manager would run
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int) -> tuple[NotebookNode, dict]:
        if cell.cell_type == "markdown":
            cell.source = inert_markdown(cell.source, cell.get("attachments", {}))
        elif cell.cell_type == "raw":
            cell.source = inert.clean(cell.source)
        elif cell.cell_type == "code":
            cell.execution_count = _number(cell.get("execution_count"))
            cell.outputs = [_inert_output(output) for output in cell.get("outputs", [])]
        return cell, resources


def inert_markdown(source: str, attachments: dict) -> str:
    """Markdown that renders as the clean HTML of this markdown, its formulas typeset.

    Rendered with nbconvert's own renderer (attachments embedded as data: images), each formula left as a marker,
    cleaned, then each marker replaced with the formula's MathML, cleaned by its own allow-list (the page's does not
    let MathML through); put on one line in a <div>: a CommonMark HTML block, which ends at a blank line only and
    renders verbatim. Line breaks become character references, which the browser reads back as line breaks (in
    <pre> too).
    """
    renderer = _FormulasAsMarkers(escape=False, attachments=attachments, exclude_anchor_links=True)
    clean = inert.clean(MarkdownWithMath(renderer=renderer).render(source))
    for marker, formula in renderer.formulas.items():
        clean = clean.replace(marker, formula)
    return "<div>" + clean.replace("\r", "&#13;").replace("\n", "&#10;") + "</div>"


class _FormulasAsMarkers(IPythonRenderer):
    """nbconvert's renderer, each formula rendered as a marker no markdown can forge (a random word, new each time)
    and kept aside as MathML."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.formulas: dict[str, str] = {}
        self._nonce = secrets.token_hex(8)

    def _marker(self, formula: str) -> str:
        marker = f"formula{self._nonce}n{len(self.formulas)}"
        self.formulas[marker] = formula
        return marker

    def inline_math(self, body: str) -> str:
        return self._marker(formulas.mathml(body))

    def block_math(self, body: str) -> str:
        return self._marker(formulas.mathml(body, display=True))

    def latex_environment(self, name: str, body: str) -> str:
        return self._marker(formulas.mathml(f"\\begin{{{name}}}{body}\\end{{{name}}}", display=True))


def _inert_output(output: NotebookNode) -> NotebookNode:
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
            data[kind] = inert_markdown(value, {})
        elif kind == "text/latex":  # typeset here, as markdown's formulas are; an HTML output of its own comes first
            data.setdefault("text/html", inert_markdown(value, {}))
    output.data = data
    output.metadata = _image_metadata(output.get("metadata", {}))
    if "execution_count" in output:
        output.execution_count = _number(output.execution_count)
    return output


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
