"""Each kind of match is one matcher with its own prefilter: an entry its prefilter cannot serve
runs by itself on every text, finds what it finds, and its author is told where it is."""
from __future__ import annotations

from click.testing import CliRunner

from macrolint.cli import main
from macrolint.linting.linter import Linter
from macrolint.linting.rules import load_packs
from macrolint.packs.config import Config
from tests.conftest import write_pack

ADVERBS = """\
id: TM001
name: adverb-pileup
category: blame
summary: Two adverbs in a row.
why: They pad a sentence.
message: "“{match}” piles up adverbs."
match:
  - phrase: we truly care
  - pattern: '\\b\\w+ly \\w+ly\\b'
examples:
  - bad: We really truly care.
  - ok: We care.
"""

CAFE = """\
id: TM002
name: cafe-closed
category: blame
summary: A gap phrase with a form outside ASCII.
why: Flat ASCII search cannot see it.
message: "“{match}” again."
match:
  - phrase: the café ... closed
  - phrase: ça ... va
examples:
  - bad: The café was closed.
  - ok: The shop is open.
"""

TEXTS = [
    "We really truly care. The café was closed, sadly. Ça ne va pas.",
    "As per our policy we cannot refund it; we will get back to you as soon as possible.",
    "ſorry: we are looking into this and will update you shortly. Unfortunately there is nothing I can do.",
    "Our records show the charge. The café, sadly, was closed all week. We apologize for any inconvenience.",
]


def team(tmp_path):
    return write_pack(tmp_path / "team", {"blame/adverb-pileup.yaml": ADVERBS, "blame/cafe-closed.yaml": CAFE})


def test_an_unprefiltered_entry_runs_alone_and_changes_no_other_finding(tmp_path, linter):
    """The built-ins keep their prefilters beside a team pack whose entries cannot use them: the
    built-in findings are those of a run without the team pack, the team's are found."""
    both = Linter(Config(), rules=[*linter.rules, *load_packs([str(team(tmp_path))])[0].rules])
    assert [(rule.code, entry.source) for rule, entry in both.engine.full_scans()] == [
        ("TM001", "\\b\\w+ly \\w+ly\\b"), ("TM002", "ça ... va")]
    assert linter.engine.full_scans() == []
    for text in TEXTS:
        alone = [(d.rule, d.start, d.end) for d in linter.lint_text(text)]
        found = [(d.rule, d.start, d.end) for d in both.lint_text(text)]
        assert [f for f in found if not f[0].startswith("TM")] == alone, text
    found = {(d.rule, d.match) for d in both.lint_text(TEXTS[0])}
    assert {("TM001", "really truly"), ("TM002", "The café was closed"), ("TM002", "Ça ne va")} <= found


def test_authors_are_told_where_an_entry_runs_on_every_text(tmp_path):
    folder = team(tmp_path)
    rules = load_packs([str(folder)])[0].rules
    slow = Linter(Config(), rules=rules).slow_entries()
    assert len(slow) == 2
    assert slow[0].startswith(f"{folder / 'blame' / 'adverb-pileup.yaml'}:9: TM001 ")
    assert "anchors:" in slow[0] and "every text" in slow[0]
    assert slow[1].startswith(f"{folder / 'blame' / 'cafe-closed.yaml'}:9: TM002 ")

    result = CliRunner().invoke(main, ["rules", "test", str(folder)])
    assert result.exit_code == 0, result.output
    assert f"warn {slow[0]}" in result.output

    (tmp_path / "a.txt").write_text("We really truly care.\n", encoding="utf-8")
    (tmp_path / ".macrolint.toml").write_text(f'extend-packs = ["{folder.as_posix()}"]\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(tmp_path / "a.txt")])
    assert f"macrolint: warning: {slow[0]}" in result.output  # on stderr
    assert "a.txt:1:4: TM001" in result.output
