"""Inputs at the edges of each format: anchors and tags in YAML, lone surrogates in JSON, capital
HTML tags, suppressions shown as code, nested disable blocks, paths named twice or through dots."""
from __future__ import annotations

import json

from macrolint.linting import suppressions
from macrolint.linting.files import iter_files
from macrolint.packs.config import Config
from macrolint.reporters.sarif import render_sarif
from tests.conftest import shared_linter

LINTER = shared_linter()


def found(raw: str, fmt: str, path: str = "f") -> list[tuple[str, int, int]]:
    return [(d.rule, d.line, d.column) for d in LINTER.lint_text(raw, fmt, path)]


def test_yaml_anchor_and_tag_do_not_shift_positions():
    raw = 'replies:\n  - body: &b "the system says so"\n  - body: !!str the system says so\n  - body: &c |\n      the system says so\n'
    assert found(raw, "yaml") == [("BL001", 2, 15), ("BL001", 3, 17), ("BL001", 5, 7)]


def test_lone_surrogate_in_json_title_does_not_crash_any_reporter():
    raw = '{"macros": [{"id": 1, "title": "Refund \\ud83d", "actions": [{"field": "comment_value", "value": "the system says so"}]}]}'
    diags = LINTER.lint_text(raw, "json", "m.json")
    assert [d.rule for d in diags] == ["BL001"] and diags[0].item["title"] == "Refund \ufffd"
    json.dumps(json.loads(render_sarif(diags, 1)))


def test_capitalised_html_tags_are_markup_not_fill_in_slots():
    assert found("<P>Hi,<BR>The <B>system</B> says so.<BR></P>", "html") == [("BL001", 1, 11)]
    assert found("Hi,<BR>The system says so.", "markdown") == [("BL001", 1, 8)]
    assert found("Your case number is <CASE_NUMBER>.", "html") == [("PH001", 1, 21)]


def test_suppression_shown_in_markdown_code_is_not_a_directive():
    raw = "How to silence a line:\n\n```\n<!-- macrolint-disable -->\n```\n\nThe system says so. `<!-- macrolint-disable -->`\nThe system says so.\n"
    assert found(raw, "markdown") == [("BL001", 7, 1), ("BL001", 8, 1)]


def test_enable_closes_one_code_of_a_multi_code_block():
    raw = ("<!-- macrolint-disable BL001, RB -->\nThe system says so.\n<!-- macrolint-enable RB -->\n"
           "Please be advised that it left.\n<!-- macrolint-enable BL001 -->\nThen the system says so.\n")
    assert found(raw, "markdown") == [("RB002", 4, 1), ("BL001", 6, 6)]


def test_enable_one_rule_inside_disable_all():
    raw = ("<!-- macrolint-disable -->\nThe system says so.\n<!-- macrolint-enable BL001 -->\n"
           "Please be advised that the system says so.\n<!-- macrolint-enable -->\nThe system says so.\n")
    assert found(raw, "markdown") == [("BL001", 4, 24), ("BL001", 6, 1)]


def test_yaml_ignore_covers_block_headers_in_either_order_and_whole_entries():
    raw = ("replies:\n  - name: A\n    body: |2-  # macrolint: ignore BL001\n      the system says so\n"
           "  # macrolint: ignore\n  - name: B\n    body: the system says so\n  - name: C\n    body: the system says so\n")
    assert found(raw, "yaml") == [("BL001", 9, 11)]


def test_per_file_glob_keeps_the_dot_of_dot_folders():
    d = LINTER.lint_text("body: the system says so\n", "text", ".github/replies.yml")
    assert suppressions.apply(".github/replies.yml", d, "", "yaml", per_file={".github/*.yml": ["BL001"]}) == []
    assert suppressions.apply("github/replies.yml", d, "", "yaml", per_file={".github/*.yml": ["BL001"]}) == d


def test_a_file_named_twice_is_linted_once(tmp_path):
    (tmp_path / "a.txt").write_text("The system says so.\n", encoding="utf-8")
    paths = [str(tmp_path / "a.txt"), str(tmp_path) + "/./a.txt", str(tmp_path)]
    assert list(iter_files(paths, Config())) == [str(tmp_path / "a.txt")]


def test_sarif_message_braces_are_doubled():
    (d,) = LINTER.lint_text("Hi {{ticket.requester.first_name}},\n\nThanks.", "text", "r.txt")
    text = json.loads(render_sarif([d], 1))["runs"][0]["results"][0]["message"]["text"]
    assert "{{{{ticket.requester.first_name}}}}" in text and "{{ticket" not in text.replace("{{{{", "")


def test_markdown_reply_library_sections_still_get_slot_checks():
    raw = "## Refund\n\nYour refund of [AMOUNT] is on its way.\n\n## Phone\n\nCall us on XXXXXXX.\n"
    assert [r for r, _, _ in found(raw, "markdown")] == ["PH001", "PH001"]
    article = "---\ntitle: Wi-Fi\n---\nType the name of your network in place of <SSID>.\n"
    assert found(article, "markdown") == []


def test_a_less_than_sign_that_opens_no_tag_is_text():
    """The standard library's parser rescanned the rest of the text at each "<a" of a long run
    with no ">" (a million took minutes; bench/fuzz.py has the case): such a "<" is text."""
    from macrolint import lint_text

    text = "<p>Obviously " + "<a" * 20_000 + " it works.</p><p>the system says no</p>"
    assert [d.rule for d in lint_text(text, format="html")] == ["CD001", "BL001"]
    assert [d.rule for d in lint_text('<p title="a<b">Obviously it works.</p>', format="html")] == ["CD001"]
