"""Pack size budgets: a pack whose phrases expand past the budget of forms, a pattern too long to
compile cheaply, or a pack file too big to read is refused with the file, the line and what to do,
before it costs gigabytes."""
from __future__ import annotations

import pytest

from macrolint.linting.rules import read_pack
from macrolint.packs import load, rulefile
from macrolint.packs.load import PackError
from tests.conftest import write_pack

RULE = """
    id: TM{n:03d}
    name: r{n}
    category: jargon
    summary: s
    why: w
    message: m
    match:
      - {entry}
    examples:
      - bad: x
      - ok: y
    """


def _pack(tmp_path, entries):
    return write_pack(tmp_path / "p", {f"jargon/r{n}.yaml": RULE.format(n=n, entry=e)
                                       for n, e in enumerate(entries, 1)})


def test_phrases_past_the_pack_budget_are_refused_once(tmp_path, monkeypatch):
    monkeypatch.setattr(rulefile, "PACK_FORMS", 20)
    phrase = "phrase: ({}) (b|c) (d|e)"
    folder = _pack(tmp_path, [phrase.format("|".join(f"a{n}{i}" for i in range(3))) for n in range(5)])
    with pytest.raises(PackError) as err:
        read_pack(folder)
    (problem,) = err.value.problems
    assert "r2.yaml:" in problem and "more than 20 forms" in problem and "pattern:" in problem


def test_a_pack_within_the_budget_loads(tmp_path):
    folder = _pack(tmp_path, ["phrase: (a|b) (c|d)", "phrase: the thing says"])
    assert len(read_pack(folder).rules) == 2


def test_a_pattern_too_long_is_refused(tmp_path):
    folder = _pack(tmp_path, ["pattern: '(?:" + "|".join(f"w{i}" for i in range(5000)) + ")'"])
    with pytest.raises(PackError, match=r"r1\.yaml:\d+: the pattern is [\d,]+ characters"):
        read_pack(folder)


def test_a_pack_file_too_big_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(load, "FILE_BYTES", 100)
    folder = _pack(tmp_path, ["phrase: the thing says"])
    with pytest.raises(PackError, match=r"r1\.yaml: the file is [\d,]+ bytes, more than the 100"):
        read_pack(folder)
