"""Pack definitions: named contexts, guards and word classes, resolved while the pack loads.

Each broken pack below must fail with one message naming the file and the line of the mistake."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from macrolint.cli import main
from macrolint.linting.linter import Linter
from macrolint.linting.rules import read_pack as read_cached
from macrolint.packs.config import Config
from macrolint.packs.load import PackError, pack_definitions, read_pack
from macrolint.packs.schema import Problems
from tests.conftest import write_pack

PACK = """\
pack: team
prefixes: [TM]
definitions:
  quoted:
    kind: guard
    side: before
    description: Inside quotation marks.
    entries: ['re:["“][^"”\\n]{0,100}']
  owned:
    kind: context
    description: The writer owns the outcome.
    entries:
      - def:refunded
      - i'll (refund|replace) it
  refunded:
    kind: context
    description: The writer has refunded it.
    entries: ['re:\\bi''ve (?:already )?refunded\\b']
  weekday:
    kind: words
    description: Days of the week.
    words: [monday, tuesday, wednesday]
"""

RULE = """\
id: TM001
name: thing-says
category: blame
summary: Flags "the thing says".
why: Deferring to a thing is blame.
message: "“{match}” defers to a thing."
match:
  - phrase: the thing (says|said)
  - pattern: '\\bthe thing insists on \\L<weekday>\\b'
unless_before:
  - def:quoted
unless_sentence:
  - def:owned
  - 're:\\bby \\L<weekday>\\b'
examples:
  - bad: The thing says no.
  - bad: The thing insists on Monday.
  - ok: '"The thing says no," you wrote.'
  - ok: The thing says no, but I've refunded it.
  - ok: The thing says no; I'll replace it by Tuesday.
"""

#: The same rule with every reference spelt out, as rules were written before definitions.
SPELT_OUT = (RULE
             .replace("\\L<weekday>", "(?:monday|tuesday|wednesday)")
             .replace("  - def:quoted\n", "  - 're:[\"“][^\"”\\n]{0,100}'\n")
             .replace("  - def:owned\n", "  - 're:\\bi''ve (?:already )?refunded\\b'\n  - i'll (refund|replace) it\n"))


def pack(tmp_path: Path, pack_yaml: str = PACK, rule: str = RULE, files: dict | None = None) -> Path:
    return write_pack(tmp_path / "team", {"thing-says.yaml": rule, **(files or {})}, pack_yaml)


def problems(folder: Path) -> list[str]:
    with pytest.raises(PackError) as exc:
        read_pack(folder)
    return exc.value.problems


def same(rule):
    """What a rule does, leaving out where it is written."""
    return rule._replace(path="", examples=tuple(e._replace(line=0) for e in rule.examples))


def line(text: str, needle: str) -> int:
    """The 1-based line of the first ``needle`` in ``text``."""
    return text[:text.index(needle)].count("\n") + 1


# -- resolution ---------------------------------------------------------------------------------


def test_references_resolve_to_exactly_the_spelt_out_rule(tmp_path):
    (rule,) = read_pack(pack(tmp_path)).rules
    (spelt,) = read_pack(write_pack(tmp_path / "plain", {"thing-says.yaml": SPELT_OUT}, "pack: team\n")).rules
    assert [e.line for e in rule.examples] == [line(RULE, e.text) for e in rule.examples]
    assert same(rule) == same(spelt)
    assert rule.matches[1].pattern == "\\bthe thing insists on (?:monday|tuesday|wednesday)\\b"
    assert [p.source for p in rule.unless_sentence] == [
        "re:\\bi've (?:already )?refunded\\b", "i'll (refund|replace) it", "re:\\bby (?:monday|tuesday|wednesday)\\b"]


def test_the_examples_of_a_rule_with_references_pass(tmp_path):
    from macrolint.linting.examples import run_examples

    results = run_examples(read_pack(pack(tmp_path)).rules)
    assert results and all(r.passed for r in results), [r.describe() for r in results if not r.passed]


def test_word_classes_in_phrases_are_alternatives(tmp_path):
    rule = RULE.replace("  - phrase: the thing (says|said)\n", "  - phrase: the thing (says|said) on \\L<weekday>\n")
    (loaded,) = read_pack(pack(tmp_path, rule=rule)).rules
    assert loaded.matches[0].phrase.source == "the thing (says|said) on (monday|tuesday|wednesday)"
    assert "the thing said on tuesday" in loaded.matches[0].phrase.keys()


def test_a_definitions_folder_holds_definitions_too(tmp_path):
    defs = """\
    # kept apart from pack.yaml
    closed:
      kind: context
      description: The ticket is closed.
      entries: [ticket (is|was) closed]
    """
    rule = RULE.replace("  - def:owned\n", "  - def:owned\n  - def:closed\n")
    folder = pack(tmp_path, rule=rule, files={"definitions/tickets.yaml": defs})
    (loaded,) = read_pack(folder).rules
    assert loaded.unless_sentence[2].source == "ticket (is|was) closed"
    assert set(pack_definitions(folder).items) == {"quoted", "owned", "refunded", "weekday", "closed"}


def test_cached_packs_hold_the_resolved_rules(tmp_path):
    folder = pack(tmp_path)
    fresh = read_pack(folder)
    assert read_cached(folder) == fresh  # written to the cache
    assert read_cached(folder) == fresh  # read back from it


# -- problems, each at its file and line -------------------------------------------------------

#: (what to change, the file the problem is in, the text on its line, the message)
BROKEN = {
    "unknown-in-rule": (
        {"rule": ("def:quoted\n", "def:qouted\n")},
        "thing-says.yaml", "def:qouted", 'unless_before: unknown definition "qouted" (did you mean "quoted"?)'),
    "unknown-in-definition": (
        {"pack": ("- def:refunded", "- def:refund")},
        "pack.yaml", "def:refund", 'definition "owned": unknown definition "refund" (did you mean "refunded"?)'),
    "cycle": (
        {"pack": ("entries: ['re:\\bi''ve (?:already )?refunded\\b']", "entries: [def:owned]")},
        "pack.yaml", "entries: [def:owned]", 'definition "refunded" refers to itself: refunded -> owned -> refunded'),
    "self-reference": (
        {"pack": ("- def:refunded", "- def:owned")},
        "pack.yaml", "- def:owned", 'definition "owned" refers to itself: owned -> owned'),
    "guard-in-sentence": (
        {"rule": ("  - def:owned\n", "  - def:quoted\n")},
        "thing-says.yaml", "  - def:quoted\n  - 're", "unless_sentence: def:quoted is a guard for unless_before"),
    "guard-on-the-wrong-side": (
        {"pack": ("side: before", "side: after")},
        "thing-says.yaml", "def:quoted", "unless_before: def:quoted is a guard for unless_after"),
    "words-as-a-context": (
        {"rule": ("  - def:owned\n", "  - def:weekday\n")},
        "thing-says.yaml", "def:weekday", "unless_sentence: def:weekday is a word class"),
    "context-as-words": (
        {"rule": ("\\bby \\L<weekday>", "\\bby \\L<owned>")},
        "thing-says.yaml", "L<owned>", "unless_sentence: \\L<owned> names a context"),
    "unknown-word-class": (
        {"rule": ("insists on \\L<weekday>", "insists on \\L<weekdays>")},
        "thing-says.yaml", "L<weekdays>", 'pattern: \\L<weekdays> names no word class (did you mean "weekday"?)'),
    "guard-inside-a-context": (
        {"pack": ("- def:refunded", "- def:quoted")},
        "pack.yaml", "- def:quoted", 'definition "owned": def:quoted is a guard (before)'),
    "words-inside-a-context": (
        {"pack": ("- def:refunded", "- def:weekday")},
        "pack.yaml", "- def:weekday", 'definition "owned": def:weekday is a word class'),
    "no-description": (
        {"pack": ("    description: The writer owns the outcome.\n", "")},
        "pack.yaml", "  owned:", 'definition "owned" needs a "description"'),
    "misspelt-kind": (
        {"pack": ("kind: words", "kind: word")},
        "pack.yaml", "kind: word", 'definition "weekday": "kind" must be one of context, guard, words, not \'word\' (did you mean "words"?)'),
    "misspelt-key": (
        {"pack": ("    entries:\n      - def:refunded", "    entrys:\n      - def:refunded")},
        "pack.yaml", "entrys", 'unknown key "entrys" in definition "owned" (did you mean "entries"?)'),
    "guard-without-side": (
        {"pack": ("    side: before\n", "")},
        "pack.yaml", "  quoted:", 'guard "quoted" needs "side: before"'),
    "side-on-a-context": (
        {"pack": ("    description: The writer owns", "    side: before\n    description: The writer owns")},
        "pack.yaml", "    side: before\n    description: The writer", '"side" goes with kind guard, not context'),
    "bad-regex": (
        {"pack": ("already )?refunded", "already ?refunded")},
        "pack.yaml", "already ?refunded", 'definition "refunded": regex does not compile'),
    "bad-phrase": (
        {"pack": ("i'll (refund|replace) it", "i'll (refund|replace it")},
        "pack.yaml", "(refund|replace it", 'definition "owned": unclosed \'(\''),
    "capital-word": (
        {"pack": ("[monday, tuesday", "[Monday, tuesday")},
        "pack.yaml", "[Monday", 'word class "weekday": "Monday" must be lower case'),
    "operator-in-word": (
        {"pack": ("[monday, tuesday", "[(monday), tuesday")},
        "pack.yaml", "[(monday)", 'word class "weekday": "(monday)" may not hold phrase operators'),
    "twins": (
        {"pack": ("  weekday:", "  twin:\n    kind: context\n    description: Again.\n    entries: [def:refunded]\n  weekday:")},
        "pack.yaml", "  twin:", 'definition "twin" stands for the same as "refunded"'),
    "not-kebab-case": (
        {"pack": ("  weekday:", "  Bad_Name:\n    kind: context\n    description: Bad.\n    entries: [x]\n  weekday:")},
        "pack.yaml", "Bad_Name", 'definition name "Bad_Name" must be kebab-case'),
    "words-where-entries-go": (
        {"pack": ("    entries: ['re:[", "    words: ['re:[")},
        "pack.yaml", "words: ['re:[", 'definition "quoted" of kind guard lists "entries", not "words"'),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_broken_definitions_name_file_and_line(tmp_path, case):
    changes, where, needle, message = BROKEN[case]
    texts = {"pack": PACK, "rule": RULE}
    for which, (old, new) in changes.items():
        assert old in texts[which], (which, old)
        texts[which] = texts[which].replace(old, new, 1)
    folder = pack(tmp_path, texts["pack"], texts["rule"])
    text = texts["pack"] if where == "pack.yaml" else texts["rule"]
    expected = f"{folder / where}:{line(text, needle)}: {message}"
    found = problems(folder)
    assert any(p.startswith(expected) for p in found), "\n".join(found)
    assert len(found) == 1, "\n".join(found)  # no follow-on errors from one mistake


def test_a_name_defined_twice_names_both_places(tmp_path):
    again = "quoted:\n  kind: guard\n  side: before\n  description: Again.\n  entries: ['re:x']\n"
    folder = pack(tmp_path, files={"definitions/more.yaml": again})
    assert problems(folder) == [f"{folder / 'definitions/more.yaml'}:1: definition \"quoted\" is already defined at "
                                f"{folder / 'pack.yaml'}:{line(PACK, '  quoted:')}"]


def test_definition_files_must_be_yaml_not_yml(tmp_path):
    folder = pack(tmp_path, files={"definitions/more.yml": "x: 1\n"})
    assert problems(folder) == [f"{folder / 'definitions/more.yml'}: definition files end in .yaml; rename this .yml file"]


def test_definition_files_are_not_read_as_rules(tmp_path):
    defs = "closed:\n  kind: context\n  description: Closed.\n  entries: [ticket closed]\n"
    folder = pack(tmp_path, files={"definitions/tickets.yaml": defs})
    assert [r.code for r in read_pack(folder).rules] == ["TM001"]


# -- warnings -----------------------------------------------------------------------------------


def test_unused_definitions_and_copies_are_noted(tmp_path):
    rule = RULE.replace("  - def:quoted\n", "  - 're:[\"“][^\"”\\n]{0,100}'\n")
    folder = pack(tmp_path, rule=rule)
    notes = Problems()
    read_pack(folder, notes=notes)
    assert notes.items == [
        f"{folder / 'thing-says.yaml'}:{line(rule, 're:[')}: unless_before: this is what definition quoted "
        f"({folder / 'pack.yaml'}:{line(PACK, '  quoted:')}) stands for; write def:quoted",
        f"{folder / 'pack.yaml'}:{line(PACK, '  quoted:')}: definition \"quoted\" is used by no rule",
    ]


def test_definitions_used_only_through_others_are_used(tmp_path):
    notes = Problems()
    read_pack(pack(tmp_path), notes=notes)
    assert notes.items == []  # refunded is used through owned, weekday inside regexes


def run(args):
    return CliRunner().invoke(main, args, catch_exceptions=False)


def test_rules_test_warns_and_strict_fails(tmp_path):
    folder = pack(tmp_path, pack_yaml=PACK + "  unused:\n    kind: context\n    description: Nothing.\n    entries: [x y z]\n")
    result = run(["rules", "test", str(folder)])
    assert result.exit_code == 0, result.output
    assert f"warn {folder / 'pack.yaml'}:" in result.output and 'definition "unused" is used by no rule' in result.output
    assert result.output.rstrip().endswith("5 passed, 0 failed, 1 warnings")
    assert run(["rules", "test", "--strict", str(folder)]).exit_code == 1


def test_explain_names_definitions_and_explains_them(tmp_path):
    folder = pack(tmp_path)
    (tmp_path / ".macrolint.toml").write_text(f'packs = ["{folder}"]\n', encoding="utf-8")
    config = str(tmp_path / ".macrolint.toml")
    explained = run(["explain", "TM001", "--config", config]).output
    assert "- Not when right after:\n  - `def:quoted`: Inside quotation marks." in explained
    assert "  - `def:owned`: The writer owns the outcome.\n  - `re:\\bby (?:monday|tuesday|wednesday)\\b`" in explained
    definition = run(["explain", "def:owned", "--config", config]).output
    assert definition.startswith("# Definition owned\n\nKind: context · used by 1 rule")
    assert "- `def:refunded`\n- `i'll (refund|replace) it`" in definition and "Used by: TM001" in definition
    words = run(["explain", "weekday", "--config", config]).output
    assert "written `\\L<weekday>`" in words and "Words: `monday`, `tuesday`, `wednesday`" in words
    assert run(["explain", "def:nothing", "--config", config]).exit_code == 2


def test_the_reference_lists_each_pack_s_definitions(tmp_path):
    folder = pack(tmp_path)
    (tmp_path / ".macrolint.toml").write_text(f'packs = ["{folder}"]\n', encoding="utf-8")
    reference = run(["rules", "--format", "markdown", "--config", str(tmp_path / ".macrolint.toml")]).output
    assert "- Not when right after: [`def:quoted`](#definition-quoted)" in reference
    assert "### Definitions of pack `team`" in reference
    assert "#### Definition owned\n\nKind: context · used by 1 rule · written `def:owned`" in reference
    assert "- [`def:refunded`](#definition-refunded)" in reference


def test_a_rule_with_references_lints_as_the_spelt_out_one(tmp_path):
    text = textwrap.dedent("""\
        The thing says no. "The thing says no," you wrote.
        The thing says no, but I've refunded it. The thing insists on Monday.
        The thing said no; I'll replace it by Tuesday.
    """)
    ours = Linter(Config(packs=(str(pack(tmp_path)),)))
    spelt = Linter(Config(packs=(str(write_pack(tmp_path / "plain", {"thing-says.yaml": SPELT_OUT}, "pack: team\n")),)))
    found = [(d.start, d.end, d.rule) for d in ours.lint_text(text)]
    assert found == [(d.start, d.end, d.rule) for d in spelt.lint_text(text)] and len(found) == 2
