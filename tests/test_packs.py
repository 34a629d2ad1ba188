"""Pack loading and validation: bad packs fail with file:line errors and useful suggestions."""
from __future__ import annotations

import pytest

from macrolint.linting.rules import load_packs, read_pack
from macrolint.packs.load import PackError, builtin_dir
from tests.conftest import write_pack

GOOD_RULE = """\
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
suggest: ["Say what you see."]
examples:
  - bad: The thing says no.
  - ok: The thing is fine.
"""


def errors(tmp_path, text, name="thing-says.yaml", pack_yaml=None):
    folder = write_pack(tmp_path / "team", {name: text}, pack_yaml)
    with pytest.raises(PackError) as exc:
        read_pack(folder)
    return "\n".join(exc.value.problems)


def test_good_pack_loads(tmp_path):
    pack = read_pack(write_pack(tmp_path / "team", {"thing-says.yaml": GOOD_RULE}))
    (rule,) = pack.rules
    assert (rule.code, rule.name, rule.category, str(rule.severity)) == ("TM001", "thing-says", "blame", "warning")
    assert rule.matches[0].phrase.keys() == ["the thing says", "the thing said"] or set(rule.matches[0].phrase.keys()) == {"the thing says", "the thing said"}


def test_unknown_key_names_line_and_suggests(tmp_path):
    text = GOOD_RULE.replace("message:", "mesage:")
    out = errors(tmp_path, text)
    assert 'thing-says.yaml:6: unknown key "mesage" in rule (did you mean "message"?)' in out
    assert 'missing required key "message"' in out


def test_missing_fields(tmp_path):
    out = errors(tmp_path, "id: TM001\nname: thing-says\ncategory: blame\n")
    for key in ("summary", "why", "message", "match", "examples"):
        assert f'missing required key "{key}"' in out


def test_bad_regex_reports_position(tmp_path):
    text = GOOD_RULE.replace("  - phrase: the thing (says|said)\n", "  - pattern: 'the (thing'\n")
    out = errors(tmp_path, text)
    assert "thing-says.yaml:8: pattern does not compile" in out


def test_the_old_placeholder_stand_in_is_reported(tmp_path):
    """Rules see a placeholder as \\x1a; a pattern naming the old stand-in would never match."""
    text = GOOD_RULE.replace("  - phrase: the thing (says|said)\n", "  - pattern: 'the thing says \\ufffc'\n")
    text = text.replace("suggest:", "unless_sentence: ['re:by \\uFFFC']\nsuggest:")
    out = errors(tmp_path, text)
    assert "thing-says.yaml:8: pattern: \\ufffc no longer stands for a placeholder; write \\x1a" in out
    assert "thing-says.yaml:11: unless_sentence: \\ufffc no longer stands" in out


def test_bad_phrase_syntax(tmp_path):
    out = errors(tmp_path, GOOD_RULE.replace("the thing (says|said)", "the thing (says|said"))
    assert "thing-says.yaml:8: unclosed '('" in out


def test_duplicate_codes_across_files(tmp_path):
    other = GOOD_RULE.replace("name: thing-says", "name: other-thing")
    folder = write_pack(tmp_path / "team", {"thing-says.yaml": GOOD_RULE, "other-thing.yaml": other})
    with pytest.raises(PackError) as exc:
        read_pack(folder)
    assert any("duplicate rule code TM001" in p for p in exc.value.problems)


def test_duplicate_codes_across_packs(tmp_path):
    a = write_pack(tmp_path / "a", {"thing-says.yaml": GOOD_RULE})
    b = write_pack(tmp_path / "b", {"thing-says.yaml": GOOD_RULE})
    with pytest.raises(PackError) as exc:
        load_packs([str(a), str(b)])
    assert any("TM001 is also used by" in p for p in exc.value.problems)


def test_name_must_match_file_stem(tmp_path):
    out = errors(tmp_path, GOOD_RULE, name="something-else.yaml")
    assert 'must equal the file name "something-else"' in out


def test_code_prefix_and_shape(tmp_path):
    assert 'does not use one of the pack prefixes TM' in errors(tmp_path, GOOD_RULE.replace("TM001", "XX001"))
    assert "must be 2-4 capital letters and 3 digits" in errors(tmp_path / "2", GOOD_RULE.replace("TM001", "tm1"))


def test_yml_files_are_refused_loudly(tmp_path):
    out = errors(tmp_path, GOOD_RULE, name="thing-says.yml")
    assert "rename this .yml file" in out


def test_invalid_yaml_names_line(tmp_path):
    out = errors(tmp_path, GOOD_RULE + "  - bad: [unclosed\n")
    assert "thing-says.yaml:" in out and "invalid YAML" in out


def test_examples_need_bad_and_ok(tmp_path):
    text = GOOD_RULE.replace("  - ok: The thing is fine.\n", "")
    assert 'at least one "bad" and one "ok"' in errors(tmp_path, text)


def test_bad_enum_values_suggest(tmp_path):
    out = errors(tmp_path, GOOD_RULE.replace("fix: unsafe", "fix: usafe"))
    assert '(did you mean "unsafe"?)' in out
    out = errors(tmp_path / "2", GOOD_RULE.replace("category: blame", "category: blame\nseverity: warn"))
    assert '"severity" must be one of info, warning, error' in out


def test_replace_fields_must_name_groups(tmp_path):
    out = errors(tmp_path, GOOD_RULE.replace("replace: I can see", "replace: I can see {3}"))
    assert 'replace field "{3}" names no group' in out


def test_message_fields_are_checked(tmp_path):
    assert 'message field "{matc}"' in errors(tmp_path, GOOD_RULE.replace("{match}", "{matc}"))


def test_category_restricted_by_pack(tmp_path):
    pack_yaml = "pack: team\nprefixes: [TM]\ncategories: [blame, vague]\n"
    out = errors(tmp_path, GOOD_RULE.replace("category: blame", "category: blam"), pack_yaml=pack_yaml)
    assert '(did you mean "blame"?)' in out


def test_unknown_pack_key(tmp_path):
    pack_yaml = "pack: team\nprefixs: [TM]\n"
    out = errors(tmp_path, GOOD_RULE, pack_yaml=pack_yaml)
    assert 'pack.yaml:2: unknown key "prefixs"' in out and '"prefixes"' in out


def test_missing_pack_folder():
    with pytest.raises(PackError) as exc:
        load_packs(["no-such-pack"])
    assert "pack folder not found" in exc.value.problems[0]


def test_builtin_packs_load_and_are_found_by_name():
    packs = load_packs(["core"])
    assert packs[0].name == "core" and len(packs[0].rules) >= 20
    assert (builtin_dir() / "core" / "pack.yaml").is_file()


def test_a_pack_file_nested_too_deeply_is_a_pack_error(tmp_path):
    out = errors(tmp_path, GOOD_RULE + "extra: " + "[" * 900 + "]" * 900 + "\n")
    assert "thing-says.yaml" in out and "invalid YAML: nested too deeply" in out


def test_a_phrase_nested_too_deeply_is_a_pack_error(tmp_path):
    text = GOOD_RULE.replace("  - phrase: the thing (says|said)\n", "  - phrase: '" + "(" * 5000 + "x" + ")" * 5000 + "'\n")
    out = errors(tmp_path, text)
    assert "thing-says.yaml" in out and "nested too deeply" in out
