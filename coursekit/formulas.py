"""Formulas typeset with no script and no network: TeX turned into MathML, which browsers render themselves.

nbconvert's pages typeset formulas with MathJax, loaded from a CDN: offline, a student reads raw TeX, and the page has
to run a script. Here each formula of a page's markdown is turned into MathML when the page is built (latex2mathml,
pure Python), so the page needs neither. The TeX is the student's as often as the course's (their written answers),
and latex2mathml copies some of it into its markup as it is (`\\text{<b>}`, `\\href{...}`): its MathML goes through
an allow-list of its own, presentation MathML only, no link and no event.
"""
from __future__ import annotations

import html
import re

import nh3
from latex2mathml.converter import convert

# Presentation MathML, as MathML Core (what Chromium and Firefox render) defines it: elements and attributes.
_TAGS = {"math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msub", "msup", "msubsup", "munder", "mover",
         "munderover", "mfrac", "msqrt", "mroot", "mstyle", "mpadded", "mphantom", "mtable", "mtr", "mtd",
         "mmultiscripts", "mprescripts", "none", "semantics", "annotation", "menclose"}
_ATTRIBUTES = {"display", "mathvariant", "stretchy", "fence", "form", "separator", "lspace", "rspace", "accent",
               "accentunder", "largeop", "movablelimits", "symmetric", "minsize", "maxsize", "displaystyle",
               "scriptlevel", "linethickness", "columnalign", "rowalign", "columnspacing", "rowspacing",
               "columnlines", "rowlines", "frame", "width", "height", "depth", "notation", "xmlns"}
_CLEANER = nh3.Cleaner(tags=_TAGS, attributes={tag: _ATTRIBUTES for tag in _TAGS}, url_schemes=set(),
                       link_rel=None, strip_comments=True)
# The commands of the course's notebooks that latex2mathml does not know, written with ones it does.
_SPELLED_OUT = {r"\arg": r"\operatorname{arg}"}
_COMMAND = re.compile(r"\\[A-Za-z]+")
LONGEST = 5_000  # characters of TeX typeset; a longer formula is shown as its TeX


def mathml(tex: str, display: bool = False) -> str:
    """A formula as clean MathML; its TeX, escaped, where latex2mathml cannot read it."""
    spelled = _COMMAND.sub(lambda command: _SPELLED_OUT.get(command[0], command[0]), tex)
    try:
        if len(tex) > LONGEST:
            raise ValueError("too long")
        markup = convert(spelled, display="block" if display else "inline")
    except Exception:  # latex2mathml raises many kinds on TeX it cannot parse, which students write too
        return f"<code>{as_tex(tex, display)}</code>"
    return _CLEANER.clean(markup)


def as_tex(tex: str, display: bool = False) -> str:
    """A formula shown as its TeX, between its delimiters, escaped (text in an element or in an attribute)."""
    delimiter = "$$" if display else "$"
    return html.escape(delimiter + tex + delimiter)
