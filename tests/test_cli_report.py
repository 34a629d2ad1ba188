"""``macrolint report`` from the command line: one self-contained page with every section, valid
internal links, charts with text alternatives, user text escaped; Markdown and JSON; exit codes
and bad input as ``check`` has them; the file written whole."""
from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from macrolint.cli import main
from tests.conftest import FIXTURES

SECTIONS = ("overview", "fix-first", "phrases", "near-duplicates", "placeholders", "trend", "rules")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
        "rect", "line"}


class Page(HTMLParser):
    """What a check of the page needs: links, ids, sources, charts, and whether tags nest."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.srcs: list[str] = []
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.svgs: list[dict] = []
        self.in_svg: dict | None = None
        self.scripts = 0
        self.text_in: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            if a["id"] in self.ids:
                self.errors.append(f"duplicate id {a['id']}")
            self.ids.add(a["id"])
        if "href" in a:
            self.hrefs.append(a["href"])
        if "src" in a:
            self.srcs.append(a["src"])
        if tag == "script":
            self.scripts += 1
        if tag == "svg":
            self.in_svg = {"attrs": a, "title": "", "desc": "", "figure": "figure" in self.stack}
            self.svgs.append(self.in_svg)
        if tag in ("title", "desc") and self.in_svg is not None:
            self.text_in = tag
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            if tag in self.stack:
                while self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()
        if tag == "svg":
            self.in_svg = None
        self.text_in = None

    def handle_data(self, data):
        if self.in_svg is not None and self.text_in:
            self.in_svg[self.text_in] += data


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


@pytest.fixture(scope="module")
def fixtures_page(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "r.html"
    result = CliRunner().invoke(main, ["report", str(FIXTURES), "-o", str(out)])
    return result, out


@pytest.mark.slow  # the report of every fixture
def test_report_of_the_fixtures_is_one_self_contained_page(fixtures_page):
    result, out = fixtures_page
    assert result.exit_code == 1, result.output  # fixtures/malformed holds files that cannot be read
    assert "IO002" in result.output and "malformed/broken.json" in result.output
    assert sorted(os.listdir(out.parent)) == ["r.html"]  # one file, no temporary left
    page = parse(out.read_text(encoding="utf-8"))
    assert page.errors == [] and page.stack == []
    for sid in SECTIONS:
        assert sid in page.ids
    # nothing fetched: no URL with a scheme or a host in any href or src; scripts and styles inline
    assert page.srcs == []
    assert [h for h in page.hrefs if re.match(r"(?i)^(?:[a-z][a-z0-9+.-]*:|//)", h)] == []
    assert page.scripts == 1 and "<link" not in out.read_text()


@pytest.mark.slow  # the report of every fixture
def test_every_internal_link_has_its_target_and_rules_link_to_their_docs_anchor(fixtures_page):
    _, out = fixtures_page
    text = out.read_text(encoding="utf-8")
    page = parse(text)
    targets = [h[1:] for h in page.hrefs if h.startswith("#")]
    assert targets and [t for t in targets if t not in page.ids] == []
    assert 'href="#bl001-system-says"' in text  # the anchor of "### BL001 system-says" in docs/rules.md
    assert "### BL001 system-says" in (FIXTURES.parent / "docs" / "rules.md").read_text()


@pytest.mark.slow  # the report of every fixture
def test_every_chart_has_a_text_alternative(fixtures_page):
    _, out = fixtures_page
    page = parse(out.read_text(encoding="utf-8"))
    assert len(page.svgs) >= 2
    for svg in page.svgs:
        assert svg["attrs"].get("role") == "img" and svg["attrs"].get("aria-labelledby")
        labelled = svg["attrs"]["aria-labelledby"].split()
        assert all(i in page.ids for i in labelled)
        assert svg["title"].strip() and svg["desc"].strip() and svg["figure"]
    assert page.stack == []


@pytest.mark.slow  # the report of every fixture
def test_every_section_has_content_for_the_fixtures(fixtures_page):
    _, out = fixtures_page
    text = out.read_text(encoding="utf-8")
    assert 'id="fix-first-table"' in text and 'id="phrases-table"' in text and 'id="placeholders-table"' in text
    assert 'class="cluster"' in text and "<ins>" in text  # fixtures/report-dupes has near-copies
    assert "Refund issued" in text and "usage_30d" in text


def test_user_text_is_escaped_everywhere(tmp_path):
    evil = "<script>alert(1)</script><img src=https://example.com/x.png onerror=alert(2)>"
    doc = {"macros": [
        {"id": 1, "title": f"Refund {evil}", "actions": [
            {"field": "comment_value", "value": f"Please be advised that {evil} your refund of [AMOUNT] is done today."}]},
        {"id": 2, "title": f"Refund copy {evil}", "actions": [
            {"field": "comment_value", "value": f"Please be advised that {evil} your refund of [AMOUNT] is done now."}]},
    ]}
    (tmp_path / "macros.json").write_text(json.dumps(doc))
    out = tmp_path / "r.html"
    result = CliRunner().invoke(main, ["report", "--isolated", str(tmp_path / "macros.json"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "alert(1)" in text and "<script>alert" not in text and "<img" not in text
    assert text.count("<script>") == 1
    page = parse(text)
    assert page.srcs == [] and page.errors == []
    md = CliRunner().invoke(main, ["report", "--isolated", "--format", "markdown", str(tmp_path / "macros.json")]).stdout
    assert "<script>" not in md and "&lt;script&gt;" in md


def test_markdown_and_json_formats(tmp_path):
    dupes = str(FIXTURES / "report-dupes")
    md = CliRunner().invoke(main, ["report", dupes, "--format", "markdown", "-q"])
    assert md.exit_code == 0 and md.stdout.startswith("## macrolint library report")
    for heading in ("### Fix first", "### Phrases to retire", "### Near-duplicates", "### Placeholder hygiene"):
        assert heading in md.stdout
    js = CliRunner().invoke(main, ["report", dupes, "--format", "json", "-q", "--similarity", "95"])
    doc = json.loads(js.stdout)
    assert doc["version"] == 1 and doc["totals"]["items"] == 49 and doc["near_duplicates"]["threshold"] == 95
    assert all(min(c["similarity"]) >= 90 for c in doc["near_duplicates"]["clusters"])


def test_exit_codes_and_bad_input(tmp_path):
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "reply.txt").write_text("Thanks for the photo. The new charger arrives Tuesday.\n")
    run = lambda *args: CliRunner().invoke(main, ["report", "--isolated", *args])  # noqa: E731
    assert run(str(clean), "-o", str(tmp_path / "a.html")).exit_code == 0
    assert run(str(tmp_path / "missing")).exit_code == 2
    assert run("-").exit_code == 2
    assert run(str(clean), "-o", str(tmp_path / "no" / "such" / "folder" / "r.html")).exit_code == 2
    (tmp_path / "bad-baseline.json").write_text("{")
    assert run(str(clean), "--baseline", str(tmp_path / "bad-baseline.json")).exit_code == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(str(empty)).exit_code == 2
    assert run(str(empty), "--allow-empty", "-o", str(tmp_path / "e.html")).exit_code == 0
    assert run(str(clean), "--similarity", "20").exit_code == 2
    # a broken file is named on standard error; the others are still reported
    (clean / "broken.json").write_text('{"macros": [')
    result = run(str(clean), "-o", str(tmp_path / "b.html"))
    assert result.exit_code == 1 and "broken.json" in result.stderr and "IO002" in result.stderr
    assert "1 item in 2 files" in result.stderr and (tmp_path / "b.html").read_text().startswith("<!DOCTYPE html>")


def test_the_report_replaces_an_existing_file_whole(tmp_path):
    out = tmp_path / "r.html"
    out.write_text("old")
    result = CliRunner().invoke(main, ["report", "--isolated", str(FIXTURES / "text"), "-o", str(out)])
    assert result.exit_code == 0 and out.read_text().startswith("<!DOCTYPE html>")
    assert sorted(os.listdir(tmp_path)) == ["r.html"]
    link = tmp_path / "link.html"
    link.symlink_to(out)
    refused = CliRunner().invoke(main, ["report", "--isolated", str(FIXTURES / "text"), "-o", str(link)])
    assert refused.exit_code == 2 and "symbolic link" in refused.stderr


def test_a_folder_whose_config_cannot_be_used_is_named_and_the_run_exits_2(tmp_path):
    (tmp_path / "good.txt").write_text("Please be advised that it shipped.\n")
    broken = tmp_path / "team"
    broken.mkdir()
    (broken / ".macrolint.toml").write_text("select = [\n")
    (broken / "reply.txt").write_text("Obviously, it shipped.\n")
    out = tmp_path / "r.html"
    result = CliRunner().invoke(main, ["report", str(tmp_path), "-o", str(out)])
    assert result.exit_code == 2 and "IO006" in result.stderr and "team" in result.stderr
    assert out.is_file() and "please be advised" in out.read_text().lower()


def test_a_report_written_into_the_library_is_not_read_as_part_of_it(tmp_path):
    (tmp_path / "reply.txt").write_text("Please be advised that it shipped.\n")
    out = tmp_path / "report.html"
    for _ in range(2):
        result = CliRunner().invoke(main, ["report", "--isolated", str(tmp_path), "-o", str(out)])
        assert result.exit_code == 0 and "1 item in 1 file," in result.stderr
