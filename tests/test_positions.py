"""Every finding maps back to the exact characters of the raw file, for every fixture."""
from __future__ import annotations

from pathlib import Path

import pytest

from macrolint import readers
from macrolint.linting.linter import Linter
from macrolint.packs.config import find_config, load_config
from tests.conftest import FIXTURES, decode_raw

#: Fixture files with text to lint: not the evaluation sets, broken files, or term lists.
FILES = sorted(p for p in FIXTURES.rglob("*") if p.is_file() and readers.detect(str(p))
               and "eval" not in p.parts and "malformed" not in p.parts and "styles" not in p.parts)


def _check(linter, path: Path):
    found = find_config(path)
    if found is not None:  # a fixture folder with its own config (declared data sources)
        linter = Linter(load_config(found))
    raw = path.read_bytes().decode("utf-8-sig")
    fmt = readers.detect(str(path))
    diagnostics = [d for d in linter.lint_file(str(path)) if d.category != "input"]
    lines = raw.split("\n")
    for d in diagnostics:
        assert 0 <= d.start < d.end <= len(raw)
        assert decode_raw(raw[d.start:d.end], fmt) == " ".join(d.match.split()), (d.rule, d.line, d.column)
        offset = sum(len(l) + 1 for l in lines[: d.line - 1]) + d.column - 1
        end_offset = sum(len(l) + 1 for l in lines[: d.end_line - 1]) + d.end_column - 1
        assert (offset, end_offset) == (d.start, d.end)
    return diagnostics


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(FIXTURES)) for p in FILES])
def test_fixture_spans_decode_to_match(linter, path):
    assert _check(linter, path), f"{path} should produce findings"


def test_text_fixture_positions_exact(linter):
    path = FIXTURES / "text" / "billing-replies.txt"
    found = {(d.line, d.column, d.rule) for d in linter.lint_file(str(path))}
    assert (3, 34, "JG001") in found and (3, 58, "BL001") in found


def test_html_entities_and_tags_map_to_raw(linter):
    raw = "<p>Don&rsquo;t hesitate to contact us. The <b>system</b> says no.</p>"
    out = {d.rule: d for d in linter.lint_text(raw, "html")}
    assert raw[out["RB005"].start:out["RB005"].end] == "Don&rsquo;t hesitate to contact us"
    assert out["RB005"].match == "Don\u2019t hesitate to contact us"
    assert raw[out["BL001"].start:out["BL001"].end] == "The <b>system</b> says"


def test_markdown_skips_code_urls_comments(linter):
    raw = (
        "Use `the system says` here.\n\n```\nthe system says\n```\n\n"
        "<!-- the system says -->\n[link](https://x.com/the-system-says) ![the system says](a.png)\n"
    )
    assert linter.lint_text(raw, "markdown") == []


def test_markdown_front_matter_title(linter):
    raw = "---\ntitle: Rest assured, it works\nid: 42\n---\nHello.\n"
    (d,) = linter.lint_text(raw, "markdown")
    assert (d.rule, d.line, d.column, d.item) == ("RB006", 2, 8, {"id": "42", "title": "Rest assured, it works", "field": "title"})


def test_corpus_positions(linter, corpus):
    checked = 0
    for path in sorted(corpus.rglob("*")):
        if path.is_file() and readers.detect(str(path)):
            _check(linter, path)
            checked += 1
    assert checked > 100
