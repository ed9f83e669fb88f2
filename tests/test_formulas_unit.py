"""Formulas typeset as MathML, in-process: the TeX a student writes is hostile input, and latex2mathml copies some of
it into its markup; what comes out is presentation MathML only. And the markdown of a page gets its formulas typeset
where its renderer found them, never where a student wrote something that looks like a marker."""
from __future__ import annotations

import re

import pytest
from nbformat.v4 import new_markdown_cell, new_notebook

from coursekit.formulas import LONGEST, mathml
from coursekit.preprocessors.make_inert import (LONGEST_MARKDOWN, MARKDOWN_PER_NOTEBOOK, MakeInert,
                                                 inert_markdown)

TAG = re.compile(r"<([a-z]+)")


@pytest.mark.parametrize("tex", [
    r"\text{<script>alert(1)</script>}",
    r"\text{<img src=x onerror=alert(1)>} x^2",
    r"\href{javascript:alert(1)}{click}",
    r"\text{</math><script>alert(1)</script>}",
    r"\text{<style>body{display:none}</style>}",
    r"\mathrm{<a href='https://example.org'>x</a>}",
])
def test_hostile_tex_gives_mathml_with_no_script_link_or_event(tex):
    markup = mathml(tex)
    assert markup.startswith("<math") or markup.startswith("<code>")
    assert set(TAG.findall(markup)) <= {"math", "mrow", "mi", "mn", "mo", "mtext", "msup", "msub", "code"}, markup
    assert not re.search(r"(href|src|on[a-z]+|style)=", markup), markup
    assert "<script" not in markup and "<style" not in markup


def test_a_formula_of_the_course_becomes_mathml_with_its_symbols():
    markup = mathml(r"\nabla_W L = \Phi^\top (Y - T)")
    assert markup.startswith('<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">')
    assert "<msup><mi>Φ</mi><mo>⊤</mo></msup>" in markup


def test_a_command_latex2mathml_lacks_is_spelled_out():
    assert "<mo>arg</mo>" in mathml(r"\arg\max_k y_k")


@pytest.mark.parametrize("tex", [r"\frac{1}{", "x" * (LONGEST + 1)])
def test_tex_that_cannot_be_typeset_is_shown_as_tex_escaped(tex):
    assert mathml(tex) == f"<code>${tex}$</code>"


def test_tex_shown_as_tex_is_escaped_with_its_delimiters():
    assert mathml(r"\frac{<b>}{", display=True) == r"<code>$$\frac{&lt;b&gt;}{$$</code>"


def test_markdown_gets_its_formulas_typeset_and_its_html_cleaned():
    rendered = inert_markdown("The loss $L(W)$ is a sum:\n\n$$\\sum_n \\ell_n$$\n\n<b onclick='x()'>bold</b>", {})
    assert rendered.count("<math") == 2 and 'display="block"' in rendered
    assert "<b>bold</b>" in rendered and "onclick" not in rendered


def test_a_marker_written_in_markdown_stays_text():
    """The renderer's markers are a random word, new for each rendering: one guessed from an earlier page stays
    text."""
    first = inert_markdown("$x$", {})
    assert "<math" in first
    guessed = "formula" + "0" * 16 + "n0"
    assert guessed in inert_markdown(f"{guessed} and $y$", {})


def test_every_formula_of_a_cell_is_its_own_however_many():
    rendered = inert_markdown(" ".join(f"$a_{{{index}}}$" for index in range(12)), {})
    subscripts = re.findall(r"<msub><mi>a</mi><mrow><mn>([0-9]+)</mn></mrow></msub>", rendered)
    assert subscripts == [str(index) for index in range(12)]


def test_a_formula_within_a_tag_stays_tex_inside_its_attribute():
    rendered = inert_markdown("![Figure: $x$ see](data:image/png;base64,AAAA)", {})
    assert 'alt="Figure: $x$ see"' in rendered and "<math" not in rendered


def test_markdown_past_its_bounds_is_shown_as_text_not_rendered():
    """The renderer and the cleaner take time in the square of some inputs' length: past a cell's bound, and past the
    notebook's budget, markdown is shown as escaped text, so that one student cannot hold up the class's feedback."""
    long = "<ul><li>" * (LONGEST_MARKDOWN // 8 + 1)
    assert inert_markdown(long, {}).startswith("<div><pre>&lt;ul&gt;")
    inert = MakeInert()
    cells = [new_markdown_cell("$x$ " * (LONGEST_MARKDOWN // 4 - 1)) for _ in range(MARKDOWN_PER_NOTEBOOK
                                                                                      // LONGEST_MARKDOWN + 2)]
    notebook, _ = inert.preprocess(new_notebook(cells=cells), {})
    rendered = [cell.source.startswith("<div><p>") for cell in notebook.cells]
    assert rendered[0] and not rendered[-1] and rendered == sorted(rendered, reverse=True)
