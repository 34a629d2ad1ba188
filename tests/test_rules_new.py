"""``macrolint rules new`` end to end: a draft rule written into the project's own pack, which
loads without changing any run, and which ``rules test`` fails on until it is finished."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from macrolint.cli import main
from macrolint.packs.load import read_pack
from macrolint.packs.scaffold import (
    ScaffoldError,
    choose_prefix,
    existing_rules,
    next_code,
    todo_lines,
)
from tests.conftest import write_pack
from tests.test_packs import GOOD_RULE

PACK = "pack: team\nprefixes: [TM, TJ]\ncategories: [blame, jargon, vague]\n"


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A project with its own pack (``team``, configured under extend-packs), holding TM001 and
    a rule whose former code was TM007."""
    write_pack(tmp_path / "team", {
        "blame/thing-says.yaml": GOOD_RULE,
        "blame/gadget-says.yaml": GOOD_RULE.replace("TM001", "TM002").replace("thing-says", "gadget-says")
                                           .replace("name: gadget-says", "name: gadget-says\naliases: [TM007]")
                                           .replace("thing", "gadget"),
    }, PACK)
    (tmp_path / ".macrolint.toml").write_text('extend-packs = ["team"]\n', encoding="utf-8")
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_a_new_rule_is_a_loadable_draft_with_the_next_free_code(project):
    result = run("rules", "new", "blame", "widget-says")
    assert result.exit_code == 0, result.output
    path = project / "team" / "blame" / "widget-says.yaml"
    assert result.output.splitlines() == [
        f"Wrote {Path('team/blame/widget-says.yaml')} (TM008, status: draft).",
        "Next: replace each TODO in it, run `macrolint rules test team` until it passes, then remove `status: draft`.",
    ]
    rule = next(r for r in read_pack(project / "team").rules if r.name == "widget-says")
    assert (rule.code, rule.category, rule.status, rule.path) == ("TM008", "blame", "draft", str(path))


def test_a_draft_changes_no_run(project):
    run("rules", "new", "blame", "widget-says")
    (project / "reply.txt").write_text("TODO the phrase to flag, says the widget.\n", encoding="utf-8")
    checked = run("check", "reply.txt")
    assert checked.exit_code == 0 and "No findings" in checked.output
    assert run("check", "--select", "TM008", "reply.txt").exit_code == 0  # not even when selected
    assert "TM008" not in run("rules").output and "TM008" in run("rules", "--all").output


def test_rules_test_lists_what_a_draft_still_lacks(project):
    run("rules", "new", "blame", "widget-says")
    path = project / "team" / "blame" / "widget-says.yaml"
    text = path.read_text(encoding="utf-8")
    result = run("rules", "test", "team")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    head = lines.index(f"FAIL {Path('team').resolve() / 'blame' / 'widget-says.yaml'}: TM008 widget-says is a draft, "
                       "which `check` never runs; 8 TODOs left to write:")
    todo = [n for n, line in enumerate(text.splitlines(), 1) if "TODO" in line and not line.startswith("#")]
    assert [re.sub(r":(\d+): .*", r":\1", line.strip()) for line in lines[head + 1:head + 9]] == [
        f"{Path('team').resolve() / 'blame' / 'widget-says.yaml'}:{n}" for n in todo]
    assert lines[head + 9] == "     then run `rules test` again and remove `status: draft`"
    assert "team: 3 rules, 4 examples, 0 fixed texts, 1 draft" in result.output


def test_a_finished_draft_still_fails_until_its_status_goes(project):
    run("rules", "new", "jargon", "widget-speak", "--prefix", "TJ")
    path = project / "team" / "jargon" / "widget-speak.yaml"
    finished = (path.read_text(encoding="utf-8")
                .replace("'TODO: one line, \"Flags ...\"'", 'Flags "widget speak".')
                .replace("TODO: why customers mind this wording, and what works better.", "Nobody says widget speak.")
                .replace("TODO: what each finding says.", "is jargon.")
                .replace("TODO the phrase to flag", "widget speak")
                .replace("'TODO: an ownership-style rewrite, e.g. “I''ve refunded the fee; it''s back on your card by "
                         "Friday.”'", "Say what the widget does.")
                .replace("'TODO: a reply this rule must flag.'", "Try the widget speak menu.")
                .replace("'TODO: the same reply, rewritten.'", "Try the settings menu.")
                .replace("'TODO: a similar reply that must stay clean.'", "The widget speaks French."))
    path.write_text(finished, encoding="utf-8")
    assert todo_lines(str(path)) == []
    result = run("rules", "test", "team")
    assert result.exit_code == 1
    assert ("TJ001 widget-speak is a draft, which `check` never runs; nothing is left to write: remove "
            "`status: draft` (or set `status: preview` to try it with `check --preview` first)") in result.output
    path.write_text(re.sub(r"(?m)^status: draft.*\n", "", finished), encoding="utf-8")
    done = run("rules", "test", "team")
    assert done.exit_code == 0 and "7 passed, 0 failed" in done.output, done.output


@pytest.mark.parametrize("args, message", [
    (("blame", "thing-says"), "a rule named thing-says already exists in pack team"),
    (("blame", "Thing_Says"), 'rule name "Thing_Says" must be kebab-case'),
    (("blam", "widget-says"), 'category "blam" is not one of blame, jargon, vague (did you mean "blame"?)'),
    (("vague", "widget-says"), 'which code prefix for category "vague"? the pack has TM, TJ; pass --prefix'),
    (("vague", "widget-says", "--prefix", "XX"), '--prefix "XX" is not one of the pack prefixes TM, TJ'),
    (("blame", "widget-says", "--pack", "nowhere"), "nowhere: not a pack folder (it has no pack.yaml)"),
])
def test_refusals_say_why(project, args, message):
    result = CliRunner().invoke(main, ["rules", "new", *args])
    assert result.exit_code == 2 and message in result.output, result.output
    assert sorted(p.name for p in (project / "team").rglob("*.yaml")) == ["gadget-says.yaml", "pack.yaml", "thing-says.yaml"]


def test_an_existing_file_is_never_overwritten(project):
    (project / "team" / "jargon").mkdir()
    (project / "team" / "jargon" / "widget-speak.yaml").write_text("# someone's notes\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["rules", "new", "jargon", "widget-speak", "--prefix", "TJ"])
    assert result.exit_code == 2
    assert "already exists" in result.output
    assert (project / "team" / "jargon" / "widget-speak.yaml").read_text(encoding="utf-8") == "# someone's notes\n"


def test_without_a_pack_of_its_own_it_asks_for_one(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["rules", "new", "blame", "widget-says"])
    assert result.exit_code == 2
    assert "which pack? the config names no pack of your own (no config file was found); pass --pack PATH" in result.output


def test_with_several_packs_of_its_own_it_asks_which(project):
    write_pack(project / "other", {}, "pack: other\nprefixes: [OT]\n")
    (project / ".macrolint.toml").write_text('extend-packs = ["team", "other"]\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["rules", "new", "blame", "widget-says"])
    assert result.exit_code == 2 and "the config names several (team, other); pass --pack PATH" in result.output
    assert run("rules", "new", "blame", "widget-says", "--pack", "other").exit_code == 0
    assert (project / "other" / "blame" / "widget-says.yaml").read_text(encoding="utf-8").count("id: OT001") == 1


@pytest.mark.parametrize("codes, prefix, expected", [
    ([], "TM", "TM001"),
    (["TM001", "TM003"], "TM", "TM004"),       # a gap is never reused
    (["TM002", "TM009", "TJ040"], "TM", "TM010"),
    (["TJ040"], "TJ", "TJ041"),
])
def test_next_code(tmp_path, codes, prefix, expected):
    rules = [type("R", (), {"codes": (c,)})() for c in codes]
    assert next_code(prefix, rules) == expected


def test_no_code_left(tmp_path):
    with pytest.raises(ScaffoldError, match="no code left after TM999"):
        next_code("TM", [type("R", (), {"codes": ("TM999",)})()])


def test_the_prefix_follows_the_category_s_rules(project):
    rules = existing_rules(project / "team")
    assert choose_prefix("blame", ("TM", "TJ"), rules) == "TM"
    assert choose_prefix("vague", ("TM",), rules) == "TM"  # the pack's only prefix
    with pytest.raises(ScaffoldError):
        choose_prefix("vague", ("TM", "TJ"), rules)
