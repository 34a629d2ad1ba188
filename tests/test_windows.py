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


def _engine_windows(monkeypatch, window: int, margin: int = 300) -> None:
    from macrolint.matching import engine

    monkeypatch.setattr(engine, "WINDOW", window)
    monkeypatch.setattr(engine, "MARGIN", margin)


def test_a_long_text_is_matched_in_windows_with_the_same_findings(monkeypatch):
    # phrases, gap phrases, typos (near-variants), guards and a rewrite's kept clause, cut at
    # every place by windows of 997 characters
    lines = [
        "We apologize for any inconvenience this may have caused, Ana.\n",
        "The system says your refund is late, and there is nothing we can do about it.\n",
        "You should have received an email from us; we will look into it as soon as possible.\n",
        "Please dont hesitate to contact us. I am verbalizing that teh sytem says this happened.\n",
        "Rest asured we will fix it.\n",
        "I checked our billing system and I can see the double charge. I've refunded it.\n",
    ]
    text = "".join(lines) * 40
    linter = Linter(Config())
    whole = _spans(linter, text)
    _engine_windows(monkeypatch, 997)
    assert _spans(Linter(Config()), text) == whole
    assert len(text) > 10 * 997 and {"BL001", "RB005", "RB006", "JG001", "VG001"} <= {r for r, _, _ in whole}


def test_windows_of_one_text_report_a_match_once():
    from macrolint.matching.engine import MARGIN, WINDOW, windows

    text = ("x" * 70 + "\n") * 10_000
    cuts = list(windows(text))
    assert cuts[0][0] == 0 and cuts[-1][1] == len(text)
    assert all(a == prev_b for (_, prev_b), (a, _) in zip(cuts, cuts[1:]))  # they tile the text
    assert all(text[b - 1] == "\n" for _, b in cuts[:-1])  # cut after a line break
    assert all(WINDOW // 2 <= b - a <= WINDOW for a, b in cuts[:-1]) and MARGIN < WINDOW // 2


def test_a_text_of_findings_stops_matching_once_the_report_is_full(monkeypatch):
    from macrolint.linting import linter as linting

    _engine_windows(monkeypatch, 997)
    monkeypatch.setattr(linting, "MAX_FINDINGS", 50)
    text = "the system says no\n" * 5000  # 95,000 characters: a finding on each of 5,000 lines
    linter = Linter(Config())
    found = linter.lint_text(text)
    assert linter.engine.truncated
    assert sum(d.rule == "BL001" for d in found) == 50 and any(d.rule == "IO004" for d in found)
    assert [d.start for d in found if d.rule == "BL001"] == [19 * i for i in range(50)]


def test_findings_the_judging_drops_do_not_hide_the_rest(monkeypatch):
    from macrolint.linting import linter as linting

    _engine_windows(monkeypatch, 997)
    monkeypatch.setattr(linting, "MAX_FINDINGS", 50)
    quoted = "> the system says no\n" * 2000  # the customer's words: read, then left by the judging
    text = "Thanks for writing.\n\n" + quoted + "\nOur reply: the system says no.\n" * 60
    found = Linter(Config()).lint_text(text, "markdown")
    mine = [d for d in found if d.rule == "BL001"]
    assert len(mine) == 50 and all(d.start > len(quoted) for d in mine)
