"""Code-backed placeholder checks, and the ``check:`` rule key that runs them."""
from __future__ import annotations

import json
import re

import pytest

from macrolint.linting.examples import run_examples
from macrolint.linting.linter import Linter
from macrolint.linting.rules import read_pack
from macrolint.packs.config import Config
from macrolint.packs.load import PackError, resolve
from tests.conftest import write_pack


@pytest.fixture(scope="module")
def ph() -> Linter:
    return Linter(Config(packs=("placeholders",)))


def found(linter, text, fmt="text"):
    return [(d.rule, d.match) for d in linter.lint_text(text, fmt)]


def zendesk(value: str) -> str:
    return json.dumps({"macro": {"title": "T", "actions": [{"field": "comment_value", "value": value}]}})


def test_pack_examples_pass():
    rules = read_pack(resolve("placeholders")).rules
    assert {r.check for r in rules} == {"manual-slot", "greeting-without-fallback", "platform-placeholder",
                                        "unbalanced-template"}
    failed = [r.describe() for r in run_examples(rules) if not r.passed]
    assert failed == []


def test_placeholders_pack_is_on_by_default():
    assert "placeholders" in Config().packs


@pytest.mark.parametrize("text, slots", [
    ("Refund of [AMOUNT] sent to ACCOUNTADDRESS on XXXXXXX.", ["[AMOUNT]", "ACCOUNTADDRESS", "XXXXXXX"]),
    ("Duplicate of #<ISSUE_NUMBER>.", ["#<ISSUE_NUMBER>"]),
    ("Open MATLAB and click CREATE, then EEPROM.", []),   # product names and buttons are not slots
    ("Set your USERNAME in Settings.", []),
])
def test_manual_slots(ph, text, slots):
    assert [m for r, m in found(ph, text) if r == "PH001"] == slots


def test_titles_are_not_checked(ph):
    raw = json.dumps([{"title": "Refund FILLIN ACCOUNTADDRESS", "text": "Done."}])
    assert found(ph, raw, "json") == []


@pytest.mark.parametrize("text, flagged", [
    ("Hi {{ticket.requester.first_name}},", True),
    ("Hello {{ ticket.requester.name }} and welcome", True),
    ("Dear {%customer.firstName%},", True),
    ("Hi {%customer.firstName,fallback= %},", True),          # a blank fallback prints "Hi  ,"
    ("Hi {%customer.firstName,fallback=there%},", False),
    ("Hi {{first_name | default: 'there'}},", False),
    ("Hi {{first_name | fallback: \"there\"}},", False),
    ("Thanks, {{current_user.first_name}}", False),            # a signature, not a greeting
    ("Hi {{ticket.id}},", False),                             # not a name
])
def test_greeting_without_fallback(ph, text, flagged):
    assert any(r == "PH002" for r, _ in found(ph, text)) == flagged


def test_greeting_fallback_is_not_asked_where_the_platform_has_none(ph):
    raw = json.dumps([{"title": "x", "content_html": "<p>Hi {{ticket.requester.firstname}},</p>", "folder_id": 1}])
    assert found(ph, raw, "json") == []


def test_greeting_suggestion_keeps_the_syntax(ph):
    (d,) = [d for d in ph.lint_text("Hi {%customer.firstName%},") if d.rule == "PH002"]
    assert d.suggestions[0] == "{%customer.firstName,fallback=there%}"


@pytest.mark.parametrize("value, expected", [
    ("Thanks {{ticket.requester.firstname | default: 'you'}}.", "{{ticket.requester.first_name | default: 'you'}}"),
    ("Thanks {{ticket.requester.lastName}}.", "{{ticket.requester.last_name}}"),
    ("Thanks {{ticket.requester.first_name}}.", None),
])
def test_platform_spelling_in_zendesk(ph, value, expected):
    diags = [d for d in ph.lint_text(zendesk(value), "json") if d.rule == "PH003"]
    assert [d.suggestions[0] for d in diags] == ([expected] if expected else [])


def test_platform_spelling_needs_a_known_platform(ph):
    assert found(ph, "Thanks {{ticket.requester.firstname}}.") == []


@pytest.mark.parametrize("text, matches", [
    ("{% if a %}x{% endif %}", []),
    ("{% if a %}{% for b in c %}x{% endfor %}{% endif %}", []),
    ("{% if a %}x", ["{% if a %}"]),
    ("x{% endif %}", ["{% endif %}"]),
    ("{% if a %}{% endfor %}{% endif %}", ["{% endfor %}"]),
    ("Hi {{ticket.id, see you", ["{{"]),
    ("Done }} there", ["}}"]),
    ("Hi {%customer.firstName%}!", []),
])
def test_unbalanced_template(ph, text, matches):
    assert [m for r, m in found(ph, text) if r == "PH004"] == matches


def test_check_hits_point_at_raw_placeholder_bytes(ph):
    raw = zendesk('Hi {{ticket.requester.firstname | default: "you"}}!')
    (d,) = [d for d in ph.lint_text(raw, "json") if d.rule == "PH003"]
    assert raw[d.start:d.end] == '{{ticket.requester.firstname | default: \\"you\\"}}'
    assert d.match == '{{ticket.requester.firstname | default: "you"}}'


def test_check_key_is_validated(tmp_path):
    rule = """
        id: TM001
        name: x
        category: placeholder
        summary: s
        why: w
        message: m
        check: {check}
        examples:
          - bad: "[A]"
          - ok: "a"
        """
    folder = write_pack(tmp_path / "p", {"x.yaml": rule.format(check="manual-slots")})
    with pytest.raises(PackError, match='did you mean "manual-slot"'):
        read_pack(folder)
    both = rule.format(check="manual-slot").replace("examples:", "match: [x]\n        examples:")
    folder = write_pack(tmp_path / "q", {"x.yaml": both})
    with pytest.raises(PackError, match='either "match" or "check"'):
        read_pack(folder)
    folder = write_pack(tmp_path / "r", {"x.yaml": rule.format(check="manual-slot")})
    (r,) = read_pack(folder).rules
    assert r.check == "manual-slot" and r.matches == ()


def test_placeholders_are_located_where_masking_put_them(linter):
    """Checks get each placeholder at the MASK masking left for it: the same places, raw spans,
    kinds and texts as finding every MASK in the view and keeping those masking made (readers
    also mask code spans and skipped tags), on every fixture."""
    from macrolint.linting.files import iter_files
    from macrolint.matching import checks
    from macrolint.packs.config import Config
    from macrolint.text.document import MASK
    from tests.conftest import FIXTURES

    seen = 0
    for path in iter_files([str(FIXTURES)], Config()):
        source = linter.read_file(path)
        for unit in source.units:
            kinds = {(s, e): k for s, e, k in unit.placeholders}
            located = []
            pos = unit.text.find(MASK)
            while pos != -1:
                span = unit.omap.raw_span(pos, pos + 1)
                if span in kinds:
                    located.append((pos, *span, kinds[span], decode_slice(source.format, source.raw[slice(*span)])))
                pos = unit.text.find(MASK, pos + 1)
            found = [(p.pos, p.start, p.end, p.kind, p.text) for p in checks.placeholders(unit, source)]
            assert found == located, (path, unit.text)
            seen += len(found)
    assert seen > 50


_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def decode_slice(fmt: str, raw: str) -> str:
    """A raw slice decoded as a reader would: container escapes, then HTML entities (worked out
    from the raw file, apart from the reader)."""
    if fmt == "json":
        from macrolint.readers import jsonscan

        raw = jsonscan.unescape(raw)
    elif fmt == "csv":
        from macrolint.readers import csvscan

        raw = csvscan.unescape(raw)
    elif fmt == "yaml":
        from macrolint.readers import yamlscan

        raw = yamlscan.unescape(raw)
    elif fmt in ("markdown", "tag"):
        raw = _MD_ESCAPE.sub(r"\1", raw)
    if "&" not in raw:
        return raw
    import html

    return html.unescape(raw)
