"""Golden outputs for the data-file and library readers: one fixture per format, one line per
finding (position, rule, item, match). Rerun with ``--update-goldens`` after an intended change."""
from __future__ import annotations

from pathlib import Path

import pytest

from macrolint import readers
from macrolint.linting.linter import Linter
from macrolint.packs.config import Config, find_config, load_config
from tests.conftest import FIXTURES

FORMAT_DIRS = ("zendesk", "zendesk-guide", "freshdesk", "helpscout", "intercom", "front", "gorgias", "osticket",
               "github", "label-actions", "vscode", "markdown-library", "front-matter", "tag", "generic", "malformed")
FILES = sorted(p for d in FORMAT_DIRS for p in (FIXTURES / d).rglob("*")
               if p.is_file() and readers.detect(str(p)))


def golden_lines(path: Path) -> list[str]:
    """What the linter makes of one fixture, one line per finding."""
    found = find_config(path)
    linter = Linter(load_config(found) if found else Config())
    source = linter.read_file(str(path))
    if source.skipped is not None:
        return [f"skipped: {source.skipped}"]
    out = []
    for d in linter.lint_source(source):
        item = f" [{d.item['title']}|{d.item['field']}]" if d.item else ""
        what = d.message if d.category == "input" else repr(d.match)
        out.append(f"{d.line}:{d.column}-{d.end_line}:{d.end_column} {d.rule}{item} {what}")
    return out


def test_every_format_has_a_fixture():
    assert {p.relative_to(FIXTURES).parts[0] for p in FILES} == set(FORMAT_DIRS)


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(FIXTURES)) for p in FILES])
def test_golden(path, update_goldens):
    produced = "\n".join(golden_lines(path)) + "\n"
    golden = path.with_name(path.name + ".expected")
    if update_goldens:
        golden.write_text(produced, encoding="utf-8")
    assert golden.exists(), f"{golden.name} is missing; create it with --update-goldens"
    assert produced == golden.read_text(encoding="utf-8"), f"{golden} differs; rerun with --update-goldens if intended"
