"""Long texts searched in windows: the same findings as one search, and a pattern that stalls in
one window costs that window only; the rule's findings elsewhere stay, with IO003 naming it."""
from __future__ import annotations

import pytest

from macrolint.linting.linter import Linter
from macrolint.matching import automata, regexes
from macrolint.packs.config import Config
from tests.conftest import write_pack

TEAM = {"mixed.yaml": """
    id: TM001
    name: mixed
    category: robotic
    summary: A pattern that is quick on most text and stalls on a run of a's.
    why: To test windows.
    message: "No."
    match:
      - pattern: '\\bthe gadget (?:says|said)\\b|(?:a|a)+!'
    examples:
      - bad: the gadget says no
      - ok: the gadget is fine
    """}


@pytest.fixture()
def team(tmp_path):
    return Linter(Config(packs=("core", str(write_pack(tmp_path / "team", TEAM)))))


def _spans(linter, text):
    return sorted((d.rule, d.start, d.end) for d in linter.lint_text(text))


def test_windows_find_what_one_search_finds(team, monkeypatch):
    line = "Hi. The gadget says your refund is late, the system says so too. Obviously it works.\n"
    text = line * 400  # 34,000 characters; matches straddle every window boundary below
    whole = _spans(team, text)
    monkeypatch.setattr(regexes, "WINDOW", 1000)
    monkeypatch.setattr(regexes, "WINDOW_OVERLAP", 200)
    windowed = _spans(team, text)
    assert windowed == whole and sum(1 for r, _, _ in whole if r == "TM001") == 400


def test_a_window_that_stalls_costs_that_window(team, monkeypatch):
    monkeypatch.setattr(regexes, "WINDOW", 2000)
    monkeypatch.setattr(automata, "REGEX_TIMEOUT", 0.2)
    found_line = "The gadget says your refund is late.\n"
    text = found_line * 100 + "a" * 40 + "\n" + found_line * 100  # the run of a's stalls its window
    found = team.lint_text(text)
    mine = [d for d in found if d.rule == "TM001"]
    io = [d for d in found if d.rule == "IO003"]
    assert len(io) == 1 and "TM001" in io[0].message
    assert 150 <= len(mine) < 200  # only the stalled window's are lost
