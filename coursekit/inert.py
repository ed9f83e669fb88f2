"""Pages built from a submission run nothing of it: the allow-list every piece of a submission's markup goes
through, and the Content-Security-Policy of the pages opened from disk.

A submission's markdown and its code's outputs are written by whoever handed it in, and its pages are opened by
the student (feedback) and by the instructor, in the class report and in the formgrader, where the page runs with
the instructor's Jupyter session: a student's script there can write into the course folder through Jupyter's
API. nbconvert copies HTML, JavaScript and the HTML of markdown into its pages as they are, and nbgrader's
templates render markdown cells without even nbconvert's `sanitize_html` option; so the course cleans them itself
(`coursekit.preprocessors.MakeInert`), with an allow-list: nh3, the Python binding of the Rust sanitizer ammonia,
which parses HTML as browsers do (html5ever), so that what it lets through is what the browser builds.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

import nh3
from nbconvert.exporters import HTMLExporter
from pygments.token import STANDARD_TYPES

# Only images embedded in the page: an image from elsewhere tells that host who reads the page, and when; one
# from the Jupyter server would be a request with the instructor's cookies. SVG too: shown as an <img>, it runs
# no script and loads nothing.
_EMBEDDED_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp|svg\+xml)[;,]", re.IGNORECASE)
_URL_NOISE = re.compile(r"[\t\n\r]")  # what browsers drop anywhere in a URL before reading its scheme
_URL_PADDING = "".join(map(chr, range(0x21)))  # and around it: control characters and spaces

# The classes the renderers of these pages write: code highlighted by pygments in markdown, the feedback's
# summary, pandas' tables. Any other class could dress student markup as the formgrader's own controls.
_CLASSES = {"span": set(STANDARD_TYPES.values()) - {""}, "div": {"highlight", "feedback-summary"},
            "table": {"dataframe", "tests"}}


def _only_embedded_images(tag: str, attribute: str, value: str) -> str | None:
    """nh3's attribute filter, called before its check of URL schemes (which must allow data: for images): image
    sources must be embedded images, and no link leads to a data: document."""
    if attribute not in ("src", "href", "cite"):
        return value
    url = _URL_NOISE.sub("", value).strip(_URL_PADDING)
    if attribute == "src":
        return value if _EMBEDDED_IMAGE.match(url) else None
    return None if url.lower().startswith("data:") else value


# ammonia's default tags (text, headings, lists, tables, images, links, details) hold no script, style, form,
# frame, object, embed, SVG, MathML, meta or base; its default attributes, no event handler, style, id or name
# (ids would collide with the formgrader's, which finds its score fields by id). Links go to the web, to a mail
# address or within the page; <script> and <style> go with their content.
_CLEANER = nh3.Cleaner(url_schemes={"http", "https", "mailto", "data"}, allowed_classes=_CLASSES,
                       url_relative=lambda url: url if url.startswith("#") else None,
                       attribute_filter=_only_embedded_images)


def clean(markup: str) -> str:
    """A submission's HTML with only what cannot run, load or submit anything."""
    return _CLEANER.clean(markup)


# For the pages opened from disk (feedback, class report), a second line of defence should markup get past the
# allow-list: no script at all (formulas are MathML, typeset by the browser: coursekit/formulas.py), no request, form,
# frame or plugin; images embedded or next to the page. Styles stay inline (the templates' own; a style loads nothing
# the policy does not allow).
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'", "script-src 'none'", "style-src 'unsafe-inline'", "img-src 'self' data:",
    "base-uri 'none'", "form-action 'none'"])
CONTENT_SECURITY_POLICY_META = (f'<meta http-equiv="Content-Security-Policy" '
                                f'content="{html.escape(CONTENT_SECURITY_POLICY)}">')
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)


def with_content_security_policy(page: str) -> str:
    """The page with the policy first in its <head>, before anything the policy must govern."""
    head = _HEAD.search(page)
    if head is None:
        raise ValueError("a page without <head>: nowhere to put its Content-Security-Policy")
    return page[:head.end()] + CONTENT_SECURITY_POLICY_META + page[head.end():]


TEMPLATES = Path(__file__).parent / "templates"


class InertHTMLExporter(HTMLExporter):
    """nbgrader's feedback exporter (GenerateFeedback.exporter_class in nbgrader_config.py): nbconvert's HTML
    exporter, with the course's feedback template (coursekit/templates/coursekit_feedback, which extends nbgrader's),
    its pages carrying the Content-Security-Policy."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # nbgrader's configuration gives HTMLExporter the folder of its own templates; the course's come first, and
        # nbgrader's folder is searched by name too, for `extends 'feedback/index.html.j2'`.
        nbgrader_templates = list(self.extra_template_basedirs)
        self.template_name = "coursekit_feedback"
        self.extra_template_basedirs = [str(TEMPLATES), *nbgrader_templates]
        self.extra_template_paths = [*self.extra_template_paths, *nbgrader_templates]
        self.template_paths = self._template_paths()  # computed by nbconvert's __init__, from nbgrader's template

    def from_notebook_node(self, nb, resources=None, **kw):
        page, resources = super().from_notebook_node(nb, resources, **kw)
        return with_content_security_policy(page), resources
