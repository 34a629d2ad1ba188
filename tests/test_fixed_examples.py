"""``fixed:`` on rule examples: the exact text after the rule's fixes, checked by ``rules test``."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from macrolint.cli import main
from macrolint.fixing.examples import run_fixed_examples, unshown_fixes
from macrolint.packs.load import PackError, read_pack
from tests.conftest import write_pack

RULE = """\
id: TM001
name: thing-says
category: blame
summary: Flags "the thing says".
why: Deferring to a thing is blame.
message: "“{match}” defers to a thing."
match:
  - phrase: the thing (says|said)
    replace: I can see
    fix: unsafe
  - phrase: (the|our) gadget
    replace: the device
    fix: safe
  - phrase: the widget
    replace: the part
    fix: suggest
examples:
  - bad: The thing says no.
    fixed: I can see no.
  - bad: Our gadget is broken.
    fixed: The device is broken.
  - ok: The thing is fine.
"""

#: Another rule with a fix, to show that only the example's own rule is fixed.
OTHER = """\
id: TM002
name: utterly
category: blame
summary: Flags "utterly".
why: Padding.
message: "“{match}” is padding."
match:
  - phrase: utterly
    replace: ""
    fix: safe
examples:
  - bad: It is utterly broken.
    fixed: It is broken.
  - ok: It is broken.
"""


def team(tmp_path, rule=RULE, other=OTHER):
    return write_pack(tmp_path / "team", {"thing-says.yaml": rule, "utterly.yaml": other})


def run(args):
    return CliRunner().invoke(main, args, catch_exceptions=False)


def line(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


def test_fixed_texts_apply_safe_and_unsafe_fixes_of_the_rule_alone(tmp_path):
    rule = RULE.replace("  - ok: The thing is fine.\n",
                        "  - bad: The thing said it is utterly broken; the widget too.\n"
                        "    fixed: I can see it is utterly broken; the widget too.\n"
                        "  - ok: The thing is fine.\n")
    results = run_fixed_examples(read_pack(team(tmp_path, rule)).rules)
    assert [(r.rule.code, r.actual, r.passed) for r in results] == [
        ("TM001", "I can see no.", True),
        ("TM001", "The device is broken.", True),
        # the unsafe fix is applied, the suggestion is not, nor is TM002's safe fix
        ("TM001", "I can see it is utterly broken; the widget too.", True),
        ("TM002", "It is broken.", True),
    ]


def test_rules_test_reports_a_wrong_fixed_text_with_file_line_expected_and_actual(tmp_path):
    rule = RULE.replace("fixed: The device is broken.", "fixed: The device is fixed.")
    folder = team(tmp_path, rule)
    result = run(["rules", "test", str(folder)])
    assert result.exit_code == 1
    where = f"{folder / 'thing-says.yaml'}:{line(rule, '- bad: Our gadget')}"
    assert (f"FAIL {where}: TM001 fixed its bad example to another text (they differ from column 15)\n"
            "     bad:      'Our gadget is broken.'\n"
            "     expected: 'The device is fixed.'\n"
            "     actual:   'The device is broken.'\n") in result.output
    assert "1 failed" in result.output


def test_rules_test_counts_fixed_texts(tmp_path):
    result = run(["rules", "test", "-v", str(team(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "ok   TM001 fixed: 'I can see no.'" in result.output
    assert "team: 2 rules, 5 examples, 3 fixed texts" in result.output


def test_a_fix_no_example_shows_is_a_warning(tmp_path):
    rule = RULE.replace("  - bad: Our gadget is broken.\n    fixed: The device is broken.\n", "")
    folder = team(tmp_path, rule)
    (loaded, _) = read_pack(folder).rules
    assert [m.source for m in unshown_fixes(loaded)] == ["(the|our) gadget"]  # not the suggestion
    result = run(["rules", "test", str(folder)])
    assert result.exit_code == 0
    assert (f'warn {folder / "thing-says.yaml"}: TM001: no example with "fixed:" shows the safe fix of phrase '
            '"(the|our) gadget" (→ "the device")') in result.output
    assert run(["rules", "test", "--strict", str(folder)]).exit_code == 1


def test_fixes_that_never_settle_are_reported(tmp_path):
    rule = RULE.replace("replace: I can see", "replace: the thing says that the thing says")
    rule = rule.replace("fixed: I can see no.", "fixed: whatever")
    (result, *_) = run_fixed_examples(read_pack(team(tmp_path, rule)).rules)
    assert not result.passed
    assert result.describe().endswith("TM001 could not fix its bad example: the fixes did not settle (each pass left "
                                      "something to fix)")


@pytest.mark.parametrize("change, needle, message", [
    (("  - ok: The thing is fine.\n", "  - ok: The thing is fine.\n    fixed: The thing is fine.\n"),
     "    fixed: The thing is fine.", '"fixed" goes with "bad": the text after the fix'),
    (("    fixed: I can see no.\n", "    fixed: [I can see no.]\n"), "  - bad: The thing says no.",
     "example texts must be strings"),
])
def test_misplaced_fixed_texts_are_pack_errors(tmp_path, change, needle, message):
    rule = RULE.replace(*change)
    folder = team(tmp_path, rule)
    with pytest.raises(PackError) as exc:
        read_pack(folder)
    assert exc.value.problems == [f"{folder / 'thing-says.yaml'}:{line(rule, needle)}: {message}"]


def test_a_fixed_text_needs_a_rule_that_fixes(tmp_path):
    rule = RULE.replace("    fix: unsafe\n", "    fix: suggest\n").replace("    fix: safe\n", "    fix: suggest\n")
    folder = team(tmp_path, rule)
    with pytest.raises(PackError) as exc:
        read_pack(folder)
    path = folder / "thing-says.yaml"
    assert exc.value.problems == [
        f'{path}:{line(rule, "fixed: I can see")}: "fixed" needs a fix, but no match entry of this rule has a "replace" '
        'that --fix or --unsafe-fixes applies',
        f'{path}:{line(rule, "fixed: The device")}: "fixed" needs a fix, but no match entry of this rule has a '
        '"replace" that --fix or --unsafe-fixes applies',
    ]


def test_explain_shows_fixed_texts(tmp_path):
    folder = team(tmp_path)
    (tmp_path / ".macrolint.toml").write_text(f'packs = ["{folder}"]\n', encoding="utf-8")
    out = run(["explain", "TM001", "--config", str(tmp_path / ".macrolint.toml")]).output
    assert "- ✗ The thing says no.\n  → fixed: I can see no." in out
