"""Placeholders of every family are masked: never matched, never inside a reported span."""
from __future__ import annotations

import pytest

from macrolint.linting.linter import Linter
from macrolint.linting.rules import read_pack
from macrolint.packs.config import Config
from macrolint.text.document import MASK, OffsetMap
from macrolint.text.masking import find_placeholders, mask
from tests.conftest import write_pack

FAMILIES = [
    ("{{ticket.requester.first_name}}", "liquid"),
    ('{{ user.name | fallback: "there" }}', "liquid"),
    ("{{{customer.signature}}}", "handlebars-raw"),
    ("{% if ticket.organization.name %}", "liquid-tag"),
    ("{%customer.firstName,fallback=there%}", "liquid-tag"),
    ("{%customer.email,fallback= %}", "liquid-tag"),
    ("%{ticket.number}", "percent-brace"),
    ("${duplicateQuery}", "dollar-brace"),
    ('<attribute key="user.name" default="there"/>', "intercom"),
    ("{customer_name}", "brace"),
    ("{issue-author}", "brace"),
    ("[AMOUNT]", "slot"),
    ("[CUSTOMER NAME]", "slot"),
    ("<ISSUE_NUMBER>", "slot"),
    ("XXXXXXX", "slot"),
    ("https://example.com/system/says?x=1", "url"),
    ("help@example.com", "email"),
]


@pytest.mark.parametrize("placeholder, kind", FAMILIES)
def test_every_family_is_masked(placeholder, kind):
    text = f"Hi {placeholder}, thanks."
    spans = find_placeholders(text)
    assert [(text[s:e], k) for s, e, k in spans] == [(placeholder, kind)]
    view, omap, raw_spans, _, texts = mask(text, OffsetMap.identity(len(text)))
    assert view == f"Hi {MASK}, thanks." and texts == (placeholder,)
    assert omap.raw_span(3, 4) == (3, 3 + len(placeholder))
    assert omap.raw_span(5, 6) == (4 + len(placeholder), 5 + len(placeholder))


@pytest.mark.parametrize("base", [0, 17])
def test_raw_spans_of_a_verbatim_view_are_its_offsets_moved_by_its_base(base):
    """A view that is one verbatim stretch of the file (plain text, a JSON string without
    escapes) maps each placeholder to its own offsets plus where the stretch starts, as the
    run-by-run lookup of its first and last characters finds them."""
    text = " ".join(f"{p} word" for p, _ in FAMILIES)
    _, _, raw_spans, _, _ = mask(text, OffsetMap.identity(len(text), base))
    spans = find_placeholders(text)
    walk = OffsetMap.identity(len(text), base)
    assert raw_spans == [(walk.raw_start(s), walk.raw_end(e - 1), k) for s, e, k in spans]
    assert raw_spans == [(s + base, e + base, k) for s, e, k in spans] and len(spans) == len(FAMILIES)


def test_all_caps_fill_in_slots_but_not_shouted_sentences():
    text = "Your new email is NEWEMAIL and the address ACCOUNTADDRESS."
    assert [text[s:e] for s, e, _ in find_placeholders(text)] == ["NEWEMAIL", "ACCOUNTADDRESS"]
    assert find_placeholders("PLEASE BE ADVISED THAT WE APOLOGIZE") == []


def test_liquid_branches_are_linted_separately(linter):
    text = "{% if vip %}Rest assured{% else %}that's our policy{% endif %}"
    found = {(d.rule, d.match) for d in linter.lint_text(text)}
    assert ("RB006", "Rest assured") in found and ("BL002", "that's our policy") in found


RULE = """\
id: TM001
name: greeting-thanks
category: robotic
summary: s
why: w
message: "{match}"
match:
  - pattern: 'hi\\W+\\w*\\W*thanks'
  - phrase: dear ... customer
examples:
  - bad: hi there thanks
  - ok: hello
"""


@pytest.mark.parametrize("placeholder, kind", FAMILIES)
def test_placeholders_never_inside_a_reported_span(tmp_path, placeholder, kind):
    folder = write_pack(tmp_path / "team", {"greeting-thanks.yaml": RULE})
    linter = Linter(Config(packs=()), rules=read_pack(folder).rules)
    text = f"hi {placeholder} thanks. Dear {placeholder} customer."
    out = linter.lint_text(text)
    assert all(placeholder not in text[d.start:d.end] for d in out)
    assert linter.lint_text("hi there thanks")  # the rule itself works


def test_placeholder_inside_html_is_masked(linter):
    text = '<p>Hi <attribute key="user.name" default="there"/>, we apologize for any inconvenience.</p>'
    out = linter.lint_text(text, "html")
    assert [d.rule for d in out] == ["RB001"]
    assert "attribute" not in text[out[0].start:out[0].end]


def test_the_mask_is_an_ascii_character_no_rule_can_see_into():
    """The stand-in for a placeholder is neither a word character, a space nor punctuation a
    rule looks for, and keeps an ASCII reply ASCII; rule patterns name it as MASK_PATTERN."""
    import re

    import regex

    from macrolint.text.document import MASK_PATTERN

    assert MASK.isascii() and not MASK.isspace() and not MASK.isalnum() and MASK.isprintable() is False
    assert MASK.lower() == MASK.upper() == MASK.casefold() == MASK
    assert not re.match(r"[\w\s.!?'-]", MASK) and not regex.match(r"[\w\s]", MASK)
    assert re.fullmatch(MASK_PATTERN, MASK) and regex.fullmatch(MASK_PATTERN, MASK, regex.I)
    view, _, _, at, _ = mask("Hi {{ticket.requester.first_name}}, see https://x.example/a.", OffsetMap.identity(61))
    assert view.isascii() and view.count(MASK) == 2 and [view[p] for p in at] == [MASK, MASK]


def test_placeholder_stands_for_a_time_in_benign_contexts(linter):
    """"by {{due_date}}" is a concrete time: the built-in packs' contexts name the mask."""
    assert not linter.lint_text("The refund should reach you soon, by {{due_date}}.")
    assert [d.rule for d in linter.lint_text("The refund should reach you soon, by then.")] == ["VG004"]


@pytest.mark.parametrize("text, rule", [
    ("Hi Sam, PLEASE BE ADVISED THAT refunds take 5 days.", "RB002"),
    ("Thanks. SIMPLY click the button.", "CD002"),
    ("Hi Sam, OBVIOUSLY the refund went out.", "CD001"),
])
def test_capitals_inside_mixed_text_are_words_not_slots(linter, text, rule):
    assert rule in [d.rule for d in linter.lint_text(text)]


def test_a_capitalised_noun_standing_alone_is_still_a_slot(linter):
    (d,) = linter.lint_text("Your new address is ACCOUNTADDRESS and it is live.")
    assert d.rule == "PH001" and d.match == "ACCOUNTADDRESS"


def test_an_upper_case_slot_that_starts_with_an_element_name_is_a_slot():
    text = "Summarize the ticket: <LINK TO TICKET>. <P>Hello</P><BR/> and <A HREF=\"x\">link</A>"
    assert [text[s:e] for s, e, kind in find_placeholders(text) if kind == "slot"] == ["<LINK TO TICKET>"]


def test_php_template_tags_are_placeholders():
    text = "please email <?=$values['contact_email']?> and <?php echo $name; ?> will reply"
    assert [(text[s:e], kind) for s, e, kind in find_placeholders(text)] == [
        ("<?=$values['contact_email']?>", "php"), ("<?php echo $name; ?>", "php")]
