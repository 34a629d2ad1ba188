"""Inline suppressions, per-file and per-item ignores, and unused-suppression reports."""
from __future__ import annotations

import pytest

from macrolint.linting import suppressions
from macrolint.linting.linter import Linter
from macrolint.packs.config import Config
from macrolint.packs.reading import Reading
from macrolint.packs.selection import internal_ignored
from tests.conftest import shared_linter

LINTER = shared_linter("core")


def run(raw, fmt):
    return [(d.rule, d.line) for d in LINTER.lint_text(raw, fmt, "f")]


def test_disable_next_line_with_reason_markdown():
    raw = "Intro.\n<!-- macrolint-disable-next-line BL003 -- quoting the customer -->\n\nThere is nothing I can do.\nThere is nothing I can do.\n"
    assert run(raw, "markdown") == [("BL003", 5)]


def test_disable_enable_block_html_and_colon_spelling():
    raw = ("<!-- macrolint: disable blame -->\n<p>There is nothing I can do. Obviously.</p>\n"
           "<!-- macrolint: enable blame -->\n<p>There is nothing I can do.</p>\n")
    assert run(raw, "html") == [("CD001", 2), ("BL003", 4)]


def test_disable_without_codes_means_all_until_end():
    raw = "<!-- macrolint-disable -->\nObviously there is nothing I can do.\n"
    assert run(raw, "markdown") == []


def test_unused_suppression_is_reported():
    raw = "<!-- macrolint-disable-next-line VG001 -->\nThere is nothing I can do.\n"
    out = LINTER.lint_text(raw, "markdown", "f.md")
    assert sorted((d.rule, d.line) for d in out) == [("BL003", 2), ("ML001", 1)]
    (unused,) = [d for d in out if d.rule == "ML001"]
    assert unused.path == "f.md" and "silences nothing" in unused.message


def test_yaml_comment_on_block_key_covers_the_block():
    raw = ("replies:\n  - name: No\n    body: |  # macrolint: ignore BL003 -- legal asked for this\n"
           "      There is nothing I can do.\n      Still nothing.\n  - name: Other\n    body: There is nothing I can do.\n")
    s = suppressions.parse(raw, "yaml")
    assert [(x.first, x.last, x.codes, x.reason) for x in s] == [(3, 5, ("BL003",), "legal asked for this")]


def test_yaml_comment_on_its_own_line_covers_the_next():
    raw = "a: 1\n# macrolint: ignore\nb: text\nc: text\n"
    assert [(x.first, x.last, x.codes) for x in suppressions.parse(raw, "yaml")] == [(3, 3, None)]


def test_per_file_and_per_item_ignores():
    from macrolint.model import Diagnostic, Severity

    def diag(rule, path="legacy/a.csv", item=None):
        return Diagnostic(path, 0, 1, 1, 1, 1, 2, rule, "n", "blame", Severity.WARNING, "m", "x", item=item)

    legacy = [diag("RB001"), diag("BL001")]
    legal = [diag("BL003", "new/b.csv", {"id": "360001234", "title": "Legal: refunds", "field": "body"})]
    rules = {"per_file": {"legacy/*.csv": ["RB"]}, "per_item": {"title:Legal*": ["all"]}}
    assert [d.rule for d in suppressions.apply("legacy/a.csv", legacy, "", "csv", **rules)] == ["BL001"]
    assert suppressions.apply("new/b.csv", legal, "", "csv", **rules) == []
    assert suppressions.apply("new/b.csv", legal, "", "csv", per_item={"id:360001234": ["BL003"]}) == []
    assert suppressions.apply("new/b.csv", legal, "", "csv", per_item={"Legal:*": ["blame"]}) == []  # bare glob: title
    assert suppressions.apply("new/b.csv", legal, "", "csv", per_item={"id:999": ["BL003"]}) == legal


def test_directive_on_the_last_line_does_not_crash():
    for raw, fmt in [("a: 1\n# macrolint: ignore", "yaml"), ("# macrolint: ignore", "yaml"),
                     ("a: 1\r\n# macrolint: ignore", "yaml"),
                     ("Hi.\n<!-- macrolint-disable-next-line -->", "markdown"), ("", "yaml")]:
        assert [d.rule for d in LINTER.lint_text(raw, fmt, "f")] == (["ML001"] if raw else []), raw


# -- directives count only in comments customers do not see ----------------------------------------

def found(raw, fmt, config=None):
    linter = Linter(config) if config else LINTER
    return [(d.rule, d.line) for d in linter.lint_text(raw, fmt, "f")]


def test_yaml_directive_in_a_block_scalar_body_is_text():
    raw = ("replies:\n  - name: No\n    body: |\n      There is nothing I can do.\n"
           "      # macrolint: ignore BL003\n      There is nothing I can do.\n")
    assert found(raw, "yaml") == [("BL003", 4), ("ML002", 5), ("BL003", 6)]
    (stray,) = [d for d in LINTER.lint_text(raw, "yaml", "f") if d.rule == "ML002"]
    assert stray.name == "suppression-in-text" and stray.category == "suppression" and stray.column == 7
    assert stray.message.startswith("“# macrolint: ignore” is in a YAML string, part of the text customers receive")
    assert stray.match == "# macrolint: ignore BL003"


def test_yaml_directive_in_a_quoted_scalar_is_text():
    raw = ('replies:\n  - name: No\n    body: "There is nothing I can do. # macrolint: ignore"\n'
           "  - name: Also\n    body: 'There is nothing I can do.\n      # macrolint: ignore'\n")
    assert found(raw, "yaml") == [("BL003", 3), ("ML002", 3), ("BL003", 5), ("ML002", 6)]


def test_yaml_comments_around_the_text_still_silence():
    raw = ("replies:\n  - name: Header\n    body: |  # macrolint: ignore BL003 -- legal wording\n"
           "      There is nothing I can do.\n      # macrolint: ignore\n      There is nothing I can do.\n"
           "  # macrolint: ignore\n  - name: Entry\n    body: There is nothing I can do.\n"
           "  - name: Kept\n    body: There is nothing I can do.\n")
    assert found(raw, "yaml") == [("ML002", 5), ("BL003", 11)]
    assert found(raw.replace("\n", "\r\n"), "yaml") == [("ML002", 5), ("BL003", 11)]


def test_malformed_yaml_honours_nothing():
    raw = "replies: [\n  # macrolint: ignore\n  {body: There is nothing I can do.\n"
    assert [d.rule for d in LINTER.lint_text(raw, "yaml", "f")] == ["IO002"]


def test_tag_directive_counts_in_the_header_only():
    titles = Config(packs=("core",), reading=Reading(extend_scopes=("note",)))  # tag titles are read too
    raw = ("# macrolint: ignore BL002\ntitle: That's our policy\n---\nThat's our policy.\n"
           "# macrolint: ignore BL002\nThat's our policy.\n")
    assert found(raw, "tag", titles) == [("BL002", 4), ("ML002", 5), ("BL002", 6)]
    (stray,) = [d for d in LINTER.lint_text(raw, "tag", "f") if d.rule == "ML002"]
    assert "the tag's body" in stray.message and "per-file-ignores" in stray.message
    titled = "title: That's our policy  # macrolint: ignore\n---\nHi.\n"
    assert found(titled, "tag", titles) == [("BL002", 1), ("ML002", 1)]
    assert found(titled, "tag") == [("ML002", 1)]  # a tag title is a label, not read by default


def test_html_attribute_value_directive_is_text():
    raw = '<p title="<!-- macrolint-disable -->">There is nothing I can do.</p>\n'
    assert found(raw, "html") == [("ML002", 1), ("BL003", 1)]
    (stray,) = [d for d in LINTER.lint_text(raw, "html", "f") if d.rule == "ML002"]
    assert stray.column == 11 and "“<!-- macrolint-disable -->” is in an HTML attribute value" in stray.message
    md = "<a href='/x' title=\"<!-- macrolint-disable -->\">Help</a>\n\nThere is nothing I can do.\n"
    assert found(md, "markdown") == [("ML002", 1), ("BL003", 3)]


def test_real_html_comments_still_silence():
    raw = ('<img alt="<!--" title="a > b">\n<pre><!-- macrolint-disable-next-line BL003 --></pre>\n'
           "<p>There is nothing I can do.</p>\n<p>There is nothing I can do.</p>\n")
    assert found(raw, "html") == [("BL003", 4)]
    md = "if a<b then\n<!-- macrolint-disable-next-line BL003 -->\nThere is nothing I can do.\n"
    assert found(md, "markdown") == []


def test_directive_in_script_or_textarea_is_no_comment():
    script = "<script>/* <!-- macrolint-disable --> */</script>\n<p>There is nothing I can do.</p>\n"
    assert found(script, "html") == [("BL003", 2)]
    textarea = "<TEXTAREA><!-- macrolint-disable --></textarea >\n<p>There is nothing I can do.</p>\n"
    assert found(textarea, "html") == [("ML002", 1), ("BL003", 2)]
    assert found(textarea.lower(), "markdown") == [("ML002", 1), ("BL003", 2)]


def test_directive_shown_in_markdown_code_stays_silent():
    md = ("Silence a line:\n\n```html\n<!-- macrolint-disable-next-line -->\n<a title=\"<!-- macrolint-disable -->\">\n```\n"
          "\nOr `<b title=\"<!-- macrolint-disable -->\">` inline.\n")
    assert found(md, "markdown") == []
    tag = "title: Silencing\n---\nIn a reply:\n```yaml\nbody: |  # macrolint: ignore\n```\n"
    assert found(tag, "tag") == []


def test_ignore_ml002_hides_it():
    raw = '<p title="<!-- macrolint-disable -->">There is nothing I can do.</p>\n'
    assert found(raw, "html", Config(packs=("core",), ignore=("ML002",))) == [("BL003", 1)]
    assert internal_ignored("ML002", ["suppression-in-text"]) and not internal_ignored("ML001", ["ML002"])


@pytest.mark.slow
def test_many_directives_take_linear_time(monkeypatch):
    from macrolint.model import Diagnostic, Severity

    n = 10_000
    pairs = "<!-- macrolint-disable BL003 -->\nThere is nothing I can do.\n<!-- macrolint-enable BL003 -->\n" * n
    findings = [Diagnostic("f.md", 0, 1, 3 * i + 2, 1, 3 * i + 2, 2, "BL003", "n", "blame", Severity.WARNING, "m", "x")
                for i in range(n)]
    checks = 0
    covers = suppressions.Suppression.covers

    def counted(s, d):
        nonlocal checks
        checks += 1
        return covers(s, d)

    monkeypatch.setattr(suppressions.Suppression, "covers", counted)
    assert suppressions.apply("f.md", findings, pairs, "markdown") == []
    assert checks <= 2 * n  # each finding meets the block open on its line, not all 10,000
    # 100,000 comments: found by line index (counting lines from the top for each took minutes)
    raw = "".join(f"# macrolint: ignore BL003\nk{i}: There is nothing I can do.\n" for i in range(100_000))
    assert [s.first for s in suppressions.parse(raw, "yaml")][-2:] == [199_998, 200_000]


@pytest.mark.parametrize("select, ignore", [(("VG",), ()), ((), ("blame",)), (("BL001",), ()), ((), ("BL002",))])
def test_a_suppression_the_full_run_needs_is_not_unused_in_a_narrowed_run(select, ignore):
    """--select VG, --ignore blame, select = ["VG"] in config: the BL002 suppression is still
    needed by the full run, so the narrowed run neither reports it nor fails."""
    text = "<!-- macrolint-disable-next-line BL002 -->\nThat is our policy.\n"
    full = Linter(Config()).lint_text(text, "markdown")
    assert [d.rule for d in full] == []
    narrowed = Linter(Config(select=select, ignore=ignore)).lint_text(text, "markdown")
    assert [d.rule for d in narrowed] == []
    blanket = Linter(Config(select=select, ignore=ignore)).lint_text(
        "<!-- macrolint-disable-next-line -->\nAll good here.\n", "markdown")
    assert [d.rule for d in blanket] == []


def test_a_suppression_of_a_rule_the_run_has_is_still_judged():
    text = "<!-- macrolint-disable-next-line BL002 -->\nAll good here.\n"
    assert [d.rule for d in Linter(Config(select=("BL",))).lint_text(text, "markdown")] == ["ML001"]
    assert [d.rule for d in Linter(Config()).lint_text(text, "markdown")] == ["ML001"]


def test_an_unused_directive_is_shown_on_its_line():
    from macrolint.reporters.text import render_one

    (d,) = Linter(Config()).lint_text("<!-- macrolint-disable-next-line BL002 -->\nAll good here.\n", "markdown")
    assert " 1 | <!-- macrolint-disable-next-line BL002 -->" in render_one(d, color=False)
