"""The feedback's scrub of hidden-test lines, in-process: every form a printed secret can take is caught, and the
tests' own messages and the student's honest output are left whole."""
from __future__ import annotations

import base64
import codecs

import pytest

from coursekit.preprocessors import HideHiddenTests

SECRET = "assert np.allclose(G_one, HiddenReference.gradient(W_three, Phi_one, t_one))"
SECRETS = frozenset({SECRET.replace(" ", "")})
NOTE = HideHiddenTests().scrubbed_note


def scrub(*texts: str) -> list[str]:
    return HideHiddenTests().scrubbed_texts(list(texts), SECRETS)


@pytest.mark.parametrize("printed", [
    SECRET, repr([SECRET]), f"<b>{SECRET[:20]}</b>{SECRET[20:]}", SECRET.replace(" ", "\u200b "), SECRET[::-1],
    base64.b64encode(SECRET.encode()).decode(), SECRET.encode().hex(), codecs.encode(SECRET, "rot13"),
    base64.urlsafe_b64encode(SECRET.encode()).decode().rstrip("="),
], ids=["as is", "repr", "html", "invisible", "reversed", "base64", "hex", "rot13", "urlsafe base64"])
def test_a_hidden_line_printed_in_any_obvious_form_is_removed(printed):
    assert scrub(f"before\n{printed}\nafter") == [f"before\n{NOTE}\nafter"]


def test_a_hidden_line_cut_in_pieces_is_removed_across_lines_and_outputs():
    cut = [SECRET[i:i + 9] for i in range(0, len(SECRET), 9)]
    assert scrub("\n".join(["kept", *cut, "kept too"])) == ["\n".join(["kept", *[NOTE] * len(cut), "kept too"])]
    assert scrub("kept\n" + cut[0], "\n".join(cut[1:])) == ["kept\n" + NOTE, "\n".join([NOTE] * (len(cut) - 1))]
    backwards = [piece[::-1] for piece in reversed(cut)]
    assert NOTE in scrub("\n".join(backwards))[0]


def test_the_tests_messages_and_honest_output_are_left_whole():
    honest = ["for a single sample of class 0 among K = 3 classes the gradient is wrong (got [[0.1, 0.2]])",
              "relative error between gradient and numerical_gradient: 1.2e-10", "W = np.zeros((3, 3))"]
    assert scrub(*honest) == honest
