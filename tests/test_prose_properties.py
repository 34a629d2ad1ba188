"""After any fix the prose still reads: no joined words, no stray capital, no doubled space or
punctuation, numbers, negations, placeholders and quoted lines kept, and a second run changes
nothing. Judged by ``bench/prose_damage.py`` (it compares the texts only) on generated replies
built from every rule's own bad examples, and on every file in ``fixtures/``.

``MACROLINT_PROPERTY_EXAMPLES=10000`` runs the generated cases at full size."""
from __future__ import annotations

import importlib.util
import os
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from macrolint.fixing.apply import fix_text
from macrolint.model import Applicability
from tests.conftest import FIXTURES, ROOT, shared_linter

LINTER = shared_linter()


def _bench(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


DAMAGE = _bench("prose_damage")
BAD = sorted({e.text.strip() for r in LINTER.rules for e in r.examples
              if e.kind == "bad" and e.format == "text" and "\n" not in e.text.strip()})
NEUTRAL = ["Your refund of $40 was sent on 3 May.", "I've checked the order.", "It isn't ready yet, sorry.",
           "Thanks for the photos!", "The courier has it now.", "I'll email you by Friday."]
PLACEHOLDERS = ["{{ticket.requester.first_name}}", "%{ticket.number}", "{customer_name}", "[AMOUNT]"]
SETTINGS = settings(max_examples=int(os.environ.get("MACROLINT_PROPERTY_EXAMPLES", "150")), deadline=None,
                    derandomize=True, database=None, suppress_health_check=list(HealthCheck))


@st.composite
def sentence(draw):
    text = draw(st.sampled_from(BAD + NEUTRAL))
    if draw(st.integers(0, 3)) == 0:
        text = text[0].lower() + text[1:]  # the same words mid-sentence
    if draw(st.integers(0, 4)) == 0:
        spaces = [i for i, c in enumerate(text) if c == " "]
        if spaces:
            i = draw(st.sampled_from(spaces))
            text = text[:i] + "\n" + text[i + 1:]  # wrapped
    if draw(st.integers(0, 5)) == 0:
        text = f"Hi {draw(st.sampled_from(PLACEHOLDERS))}, {text[0].lower()}{text[1:]}"
    return text


@st.composite
def reply(draw):
    fmt = draw(st.sampled_from(["text", "markdown", "html"]))
    parts = []
    for _ in range(draw(st.integers(1, 5))):
        s = draw(sentence())
        joiner = draw(st.sampled_from([" ", "\n", "\n\n", ", "]))
        parts.append(s + joiner)
    text = "".join(parts).rstrip(" ,") + "\n"
    if fmt == "markdown" and draw(st.booleans()):
        text = "> " + draw(sentence()).replace("\n", " ") + "\n\n" + text
    if fmt == "html":
        text = "<p>" + text.replace("\n\n", "</p>\n<p>") + "</p>\n"
    return fmt, text


@SETTINGS
@given(reply())
def test_fixed_replies_still_read(case):
    fmt, text = case
    path = {"text": "r.txt", "markdown": "r.md", "html": "r.html"}[fmt]
    result = fix_text(LINTER, path, text, fmt, Applicability.UNSAFE)
    assert result.error is None, result.error
    assert DAMAGE.file_damage(LINTER, path, text, result.text, fmt) == [], (text, result.text)
    again = fix_text(LINTER, path, result.text, fmt, Applicability.UNSAFE)
    assert again.text == result.text


def test_fixing_every_fixture_keeps_its_prose(tmp_path):
    report = _bench("fix_corpus").fix_corpus(FIXTURES, tmp_path)
    assert report.changed > 10
    assert report.failures == [] and report.errors == []
