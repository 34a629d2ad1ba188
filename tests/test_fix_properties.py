"""Properties of fixing generated macros: placeholders, tags and line endings survive, the
result re-reads without problems, and a second run changes nothing."""
from __future__ import annotations

import re
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from macrolint import readers
from macrolint.fixing.apply import fix_text
from macrolint.model import Applicability
from macrolint.text.masking import find_placeholders
from tests.conftest import shared_linter

LINTER = shared_linter("core")
PLACEHOLDERS = [
    "{{ticket.requester.first_name}}", '{{ user.name | fallback: "there" }}', "{%customer.firstName,fallback=there%}",
    "%{ticket.number}", "${duplicateQuery}", "[AMOUNT]", "XXXXXXX", "{customer_name}", "https://example.com/a?b=1",
]
PROBLEMS = [
    "Please be advised that", "In order to fix it,", "we utilize", "Obviously,", "simply", "revert back",
    "at this point in time", "there is nothing I can do", "We apologize for any inconvenience",
]
NEUTRAL = ["your refund was sent", "I've checked the order", "thanks for the photos", "it ships today",
           "the courier has it", "I'll email you by Friday"]
TAG = re.compile(r"</?[A-Za-z][^<>]*>")


@st.composite
def macro(draw, fmt):
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        words = [draw(st.sampled_from(PROBLEMS + NEUTRAL))]
        if draw(st.booleans()):
            words.append(draw(st.sampled_from(PLACEHOLDERS)))
        words.append(draw(st.sampled_from(NEUTRAL)))
        sentence = " ".join(words) + draw(st.sampled_from([".", "!", "?", ""]))
        if fmt == "html":
            sentence = sentence.replace("'", draw(st.sampled_from(["'", "&rsquo;", "&#39;"])))
            sentence = draw(st.sampled_from(["<p>{}</p>", "{}<br>", "<b>{}</b>", "{}"])).format(sentence)
        elif fmt == "markdown":
            sentence = draw(st.sampled_from(["{}", "- {}", "> {}", "**{}**", "`code` {}"])).format(sentence)
        parts.append(sentence)
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    return eol.join(parts) + draw(st.sampled_from(["", eol]))


def _protected(text: str, fmt: str) -> Counter:
    found = Counter(text[s:e] for s, e, _ in find_placeholders(text))
    if fmt == "html":
        found.update(TAG.findall(text))
    return found


def _check(text: str, fmt: str) -> None:
    result = fix_text(LINTER, "<gen>", text, fmt, Applicability.UNSAFE)
    assert result.error is None, result.error
    out = result.text
    assert _protected(out, fmt) == _protected(text, fmt)
    assert out.count("\n") == text.count("\n") and out.count("\r\n") == text.count("\r\n")
    assert not readers.read("<gen>", out, fmt).problems
    again = fix_text(LINTER, "<gen>", out, fmt, Applicability.UNSAFE)
    assert again.text == out


FAST = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(macro("text"))
def test_text_fix_properties(text):
    _check(text, "text")


@FAST
@given(macro("markdown"))
def test_markdown_fix_properties(text):
    _check(text, "markdown")


@FAST
@given(macro("html"))
def test_html_fix_properties(text):
    _check(text, "html")
