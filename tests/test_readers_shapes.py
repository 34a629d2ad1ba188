"""Which files are read as which help desk's export, which fields are linted, what is skipped."""
from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from macrolint.cli import main
from macrolint.linting.linter import Linter
from macrolint.packs.config import Config, ConfigError, from_mapping
from macrolint.readers import read, sniff
from macrolint.text.document import MASK
from tests.conftest import FIXTURES


def fields(source) -> list[tuple]:
    return [(u.item.id, u.item.title, u.item.field) for u in source.units if u.item is not None]


@pytest.mark.parametrize("path, platform", [
    ("zendesk/macros.json", "zendesk"), ("zendesk-guide/articles.json", "zendesk"),
    ("freshdesk/canned_responses.json", "freshdesk"), ("helpscout/saved-replies.json", "helpscout"),
    ("helpscout/saved_replies.csv", "helpscout"), ("intercom/macros.json", "intercom"),
    ("front/message_templates.json", "front"), ("gorgias/macros.json", "gorgias"),
    ("osticket/ticket.autoresp.yaml", "osticket"), ("osticket/premade.yaml", "osticket"),
    ("github/replies.yml", "github"), ("label-actions/label-actions.yml", "github"), ("vscode/commands.json", "github"),
])
def test_shapes_are_recognised(linter, path, platform):
    source = linter.read_file(str(FIXTURES / path))
    assert (source.platform, source.skipped, source.problems) == (platform, None, [])
    assert source.units and all(u.item is not None for u in source.units)


def test_zendesk_lints_html_not_the_plain_twin_and_skips_internal_notes(linter):
    source = linter.read_file(str(FIXTURES / "zendesk/macros.json"))
    got = fields(source)
    assert ("360001122334", "Billing::Refund issued", "comment_value_html") in got
    assert ("360001122334", "Billing::Refund issued", "comment_value") not in got
    assert not any(title == "Escalation::Internal note" and field != "title" for _, title, field in got)
    # a list value: the last string is the comment
    (delay,) = [u for u in source.units if u.item.field == "comment_value"]
    assert delay.text.startswith(f"Hi {MASK},\n\nYour parcel")


def test_internal_notes_are_linted_when_configured():
    linter = Linter(Config(internal_notes=True))
    source = linter.read_file(str(FIXTURES / "zendesk/macros.json"))
    assert ("360001122336", "Escalation::Internal note", "comment_value") in fields(source)


@pytest.mark.parametrize("path, kept, dropped", [
    ("freshdesk/canned_responses.json", "content_html", "content"),
    ("intercom/macros.json", "body", "body_text"),
    ("gorgias/macros.json", "body_html", "body_text"),
])
def test_html_variant_wins(linter, path, kept, dropped):
    source = linter.read_file(str(FIXTURES / path))
    by_item: dict = {}
    for rid, _, field in fields(source):
        by_item.setdefault(rid, set()).add(field)
    assert any(kept in f for f in by_item.values())
    assert not any(kept in f and dropped in f for f in by_item.values())


def test_guide_translations_are_items_too(linter):
    got = fields(linter.read_file(str(FIXTURES / "zendesk-guide/articles.json")))
    assert ("4408886858138", "How refunds work (UK)", "body") in got


def test_markdown_libraries_split_by_heading(linter):
    lib = linter.read_file(str(FIXTURES / "markdown-library/responses.md"))
    assert [t for _, t, f in fields(lib) if f == "body"] == ["NOT OUR ADD-ON", "SUPPORT REQUEST", "NEEDS MORE INFO"]
    macros = linter.read_file(str(FIXTURES / "markdown-library/macros.md"))
    replies = {t: u for u in macros.units if u.item and (t := u.item.title) and u.item.field in ("reply", "body")}
    assert replies["1. Delayed Parcel"].item.field == "reply"  # only the quoted reply
    assert "Use when" not in replies["1. Delayed Parcel"].text
    assert replies["3. Notes for agents"].item.field == "body"


def test_front_matter_article_is_one_item(linter):
    got = fields(linter.read_file(str(FIXTURES / "front-matter/reset-password.md")))
    assert {i for i, _, _ in got} == {"22584193407388"}


def test_tag_file_title_from_header_or_name(linter):
    assert ("refund", "Refunds - please be advised", "body") in fields(linter.read_file(str(FIXTURES / "tag/refund.tag")))
    assert fields(read("tags/hello.tag", "type: text\n\n---\n\nHi!\n", "tag")) == [("hello", "hello", "body")]


def test_unknown_data_files_are_skipped_and_listed(linter):
    report = linter.lint_paths([str(FIXTURES / "malformed")])
    skipped = sorted(os.path.basename(p) for p, _ in report.skipped)
    assert skipped == ["ci.yml", "package.json"]
    assert all(d.category == "input" for d in report.diagnostics)
    result = CliRunner().invoke(main, ["check", "-v", "--no-color", str(FIXTURES / "malformed")])
    assert "package.json: skipped: an object with keys name, version" in result.output
    quiet = CliRunner().invoke(main, ["check", "--no-color", str(FIXTURES / "malformed")])
    assert "skipped" not in quiet.output


def test_every_malformed_file_gets_exactly_one_diagnostic_and_the_run_goes_on(linter):
    report = linter.lint_paths([str(FIXTURES / "malformed"), str(FIXTURES / "zendesk")])
    per_file: dict = {}
    for d in report.diagnostics:
        per_file.setdefault(os.path.basename(d.path), []).append(d)
    for name in ("broken.json", "broken.yaml", "broken.csv", "latin1.csv", "wrong-shape.json"):
        assert len(per_file[name]) == 1 and per_file[name][0].rule in ("IO001", "IO002")
    assert any(d.rule == "RB001" for d in per_file["macros.json"])
    (bad,) = per_file["broken.json"]
    assert (bad.line, bad.column) == (3, 22)


def test_oversized_file_is_one_diagnostic(tmp_path, linter):
    big = tmp_path / "export.json"
    with open(big, "wb") as fh:
        fh.truncate(50 * 1000 * 1000)
    (d,) = linter.lint_file(str(big))  # 50 MB of NUL bytes: one diagnostic, not 50 MB of findings
    assert d.rule == "IO001" and "binary" in d.message


def test_content_sniffing_for_unnamed_input(linter):
    raw = json.dumps({"macros": [{"title": "T", "actions": [{"field": "comment_value", "value": "Please be advised that it works."}]}]})
    assert sniff(raw) == "json" and sniff("{{ticket.id}} is open") is None
    diags = linter.lint_bytes("-", raw.encode())
    assert [d.item["field"] for d in diags if d.rule == "RB002"] == ["comment_value"]


def test_configured_sources_validate():
    spec = from_mapping({"sources": [{"glob": "x/*.json", "items": "a[]", "text": "body", "html": True}]}).sources[0]
    assert (spec.items, spec.text, spec.markup) == ("a[]", ("body",), "html")
    for bad, message in [
        ({"glob": "x", "txt": ["a"]}, 'did you mean "text"'),
        ({"glob": "x", "text": ["a..b"]}, "is not a key"),
        ({"glob": "x", "text": "a", "markup": "htm"}, 'did you mean "html"'),
        ({"text": "a"}, '"glob" is required'),
    ]:
        with pytest.raises(ConfigError, match=message):
            from_mapping({"sources": [bad]})


def test_configured_items_that_match_nothing_are_one_problem(tmp_path):
    (tmp_path / ".macrolint.toml").write_text('[[sources]]\nglob = "*.json"\nitems = "nope[]"\ntext = ["t"]\n')
    (tmp_path / "a.json").write_text('{"items": []}')
    from macrolint.packs.config import load_config

    linter = Linter(load_config(tmp_path / ".macrolint.toml"))
    (d,) = linter.lint_file(str(tmp_path / "a.json"))
    assert d.rule == "IO002" and "nope[]" in d.message
