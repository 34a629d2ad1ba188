"""Configuration: discovery, validation with suggestions, selection and severity overrides."""
from __future__ import annotations

import os

import pytest

from macrolint.linting.linter import Linter, lint_paths
from macrolint.packs.config import (
    Config,
    ConfigError,
    from_mapping,
    load_config,
)
from macrolint.packs.configtree import discover


def test_discovery_walks_up_to_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.macrolint]\nignore = ["CD"]\nmin-confidence = 0.9\n')
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    (deep / "x.txt").write_text("Obviously.\n")
    config = discover([str(deep / "x.txt")])
    assert config.ignore == ("CD",) and config.min_confidence == 0.9 and config.root == tmp_path
    assert lint_paths([str(deep / "x.txt")], config) == []


def test_pyproject_without_table_is_skipped(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\n")
    assert discover([str(tmp_path)]).path is None or discover([str(tmp_path)]).path != tmp_path / "pyproject.toml"


def test_macrolint_toml_wins_in_same_folder(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.macrolint]\nignore = ["BL"]\n')
    (tmp_path / ".macrolint.toml").write_text('ignore = ["JG"]\n')
    assert discover([str(tmp_path)]).ignore == ("JG",)


@pytest.mark.parametrize("text, message", [
    ('selct = ["BL"]\n', 'unknown key "selct" (did you mean "select"?)'),
    ("min-confidence = 2\n", '"min-confidence" must be a number from 0 to 1'),
    ('severity = { BL = "loud" }\n', 'severity for "BL" must be one of'),
    ("select = 3\n", '"select" must be a list of strings'),
    ("select = [\n", "invalid TOML"),
])
def test_invalid_config(tmp_path, text, message):
    (tmp_path / ".macrolint.toml").write_text(text)
    with pytest.raises(ConfigError) as exc:
        load_config(tmp_path / ".macrolint.toml")
    assert message in str(exc.value) and ".macrolint.toml" in str(exc.value)


def test_severity_override_most_specific_wins():
    config = from_mapping({"severity": {"blame": "info", "BL003": "error"}})
    rules = {r.code: r for r in Linter(config).rules}
    assert str(rules["BL003"].severity) == "error" and str(rules["BL001"].severity) == "info"


def test_select_more_specific_than_ignore():
    rules = {r.code for r in Linter(Config(ignore=("BL",), select=("BL003", "CD"))).rules}
    assert "BL003" in rules and "BL001" not in rules and "CD001" in rules and "RB001" not in rules


def test_unknown_selector_suggests():
    with pytest.raises(ConfigError) as exc:
        Linter(Config(select=("blme",)))
    assert 'did you mean "blame"' in str(exc.value)


def test_exclude_globs(tmp_path):
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "old.txt").write_text("Obviously.\n")
    (tmp_path / "new.txt").write_text("Obviously.\n")
    config = Config(exclude=("archive/**",), root=tmp_path)
    assert {d.path.rsplit("/", 1)[-1] for d in lint_paths([str(tmp_path)], config)} == {"new.txt"}


def test_extend_packs_relative_to_config(tmp_path):
    from tests.conftest import write_pack
    from tests.test_packs import GOOD_RULE

    write_pack(tmp_path / "team", {"thing-says.yaml": GOOD_RULE})
    (tmp_path / ".macrolint.toml").write_text('extend-packs = ["team"]\nselect = ["TM"]\n')
    (tmp_path / "a.txt").write_text("The thing says no.\n")
    config = discover([str(tmp_path / "a.txt")])
    assert [d.rule for d in lint_paths([str(tmp_path / "a.txt")], config)] == ["TM001"]


PYPROJECTS_WITH = [
    '[tool.macrolint]\nselect = ["BL"]\n',
    '[ tool . "macrolint" ]\nselect = ["BL"]\n',
    '["tool".macrolint]\nselect = ["BL"]\n',
    "[tool]\nmacrolint = { select = ['BL'] }\n",
    'tool.macrolint.select = ["BL"]\n',
    'tool = { macrolint = { select = ["BL"] } }\n',
    "[[tool.macrolint.sources]]\nglob = '*.json'\nfields = ['body']\n",
    "  [tool.'macrolint']\nselect = ['BL']\n",
    '[project]\nname = "x"\n\n[tool.macrolint.per-file-ignores]\n"a/*" = ["BL"]\n',
]
PYPROJECTS_WITHOUT = [
    '[project]\nname = "macrolint"\n[project.scripts]\nmacrolint = "macrolint.cli:main"\n'
    '[tool.hatch.build.targets.wheel]\npackages = ["macrolint"]\n',
    "[tool.macrolint-extra]\nx = 1\n",
]


@pytest.mark.parametrize("text", PYPROJECTS_WITH + PYPROJECTS_WITHOUT)
def test_pyproject_found_exactly_when_it_configures_macrolint(tmp_path, text):
    """A pyproject.toml is only parsed when its text could define ``tool.macrolint``: every TOML
    spelling of that table is still found, and one that only names the package is passed over."""
    from macrolint.packs.config import find_config

    (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    (tmp_path / "reply.txt").write_text("Hi", encoding="utf-8")
    found = find_config(tmp_path / "reply.txt")
    assert found == (tmp_path / "pyproject.toml" if text in PYPROJECTS_WITH else None)


def test_discovery_stops_at_the_repository_root(tmp_path):
    """A config in a parent of the repository (a shared /tmp, a workspace) is not the project's."""
    (tmp_path / ".macrolint.toml").write_text('ignore = ["ALL"]\n')
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "docs").mkdir()
    assert discover([str(repo / "docs")]).path is None
    (repo / ".macrolint.toml").write_text('ignore = ["JG"]\n')
    assert discover([str(repo / "docs")]).path == repo / ".macrolint.toml"


def test_discovery_stops_at_the_home_folder(tmp_path, monkeypatch):
    (tmp_path / ".macrolint.toml").write_text('ignore = ["ALL"]\n')
    home = tmp_path / "home"
    (home / "replies").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    assert discover([str(home / "replies")]).path is None
    (home / ".macrolint.toml").write_text('ignore = ["JG"]\n')
    assert discover([str(home / "replies")]).path == home / ".macrolint.toml"


def test_a_config_anyone_may_write_is_passed_over_with_a_warning(tmp_path):
    config = tmp_path / ".macrolint.toml"
    config.write_text('ignore = ["ALL"]\n')
    config.chmod(0o666)
    (tmp_path / ".git").mkdir()
    warnings: list[str] = []
    assert discover([str(tmp_path)], warn=warnings.append).path is None
    assert len(warnings) == 1 and str(config) in warnings[0] and "anyone may write" in warnings[0]
    assert discover([str(tmp_path)], explicit=str(config)).ignore == ("ALL",)  # named: used


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give a file away")
def test_a_config_another_user_owns_is_passed_over(tmp_path):
    config = tmp_path / ".macrolint.toml"
    config.write_text('ignore = ["ALL"]\n')
    (tmp_path / ".git").mkdir()
    os.chown(config, 4242, 4242)
    warnings: list[str] = []
    assert discover([str(tmp_path)], warn=warnings.append).path is None
    assert "another user (uid 4242)" in warnings[0]


def test_cli_warns_of_a_passed_over_config_and_still_lints(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from macrolint.cli import main

    (tmp_path / ".git").mkdir()
    config = tmp_path / ".macrolint.toml"
    config.write_text('ignore = ["ALL"]\n')
    config.chmod(0o666)
    (tmp_path / "reply.txt").write_text("We apologize for any inconvenience.\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "reply.txt", "--format", "concise"])
    assert result.exit_code == 1 and "RB001" in result.stdout
    assert "macrolint: warning:" in result.stderr and "anyone may write" in result.stderr


def test_deeply_nested_toml_is_a_config_error(tmp_path):
    config = tmp_path / ".macrolint.toml"
    config.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(ConfigError) as exc:
        load_config(config)
    assert ".macrolint.toml" in str(exc.value) and "nested too deeply" in str(exc.value)


@pytest.mark.parametrize("text", ["tool = 5\n", 'tool = "macrolint"\n'])
def test_a_tool_key_that_is_no_table_is_a_config_error(tmp_path, text):
    config = tmp_path / ".macrolint.toml"
    config.write_text(text)
    with pytest.raises(ConfigError) as exc:
        load_config(config)
    assert '.macrolint.toml:1: "tool" must be a table' in str(exc.value)
    other = tmp_path / "other"
    (other / ".git").mkdir(parents=True)
    (other / "pyproject.toml").write_text(text)
    assert discover([str(other)]).path is None  # a pyproject.toml whose tool is no table configures nothing


def test_a_key_nested_too_deeply_is_refused_before_parsing(tmp_path):
    config = tmp_path / ".macrolint.toml"
    config.write_text(".".join(["a"] * 20_000) + " = 1\n")
    with pytest.raises(ConfigError) as exc:
        load_config(config)
    assert "nested deeper than 64 levels" in str(exc.value)


def test_a_pyproject_naming_macrolint_that_does_not_parse_is_reported_not_ignored(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text('[tool.macrolint]\nselect = ["BL"\n')
    with pytest.raises(ConfigError) as exc:
        discover([str(tmp_path)])
    assert "pyproject.toml: invalid TOML" in str(exc.value)


def test_an_unknown_selector_in_a_config_names_the_file(tmp_path):
    config = tmp_path / ".macrolint.toml"
    config.write_text('ignore = ["CD"]\nselect = ["XX000"]\n')
    with pytest.raises(ConfigError) as exc:
        Linter(load_config(config))
    assert f"{config}:2 (select): \"XX000\" names no rule" in str(exc.value)
    with pytest.raises(ConfigError) as exc:
        Linter(Config(select=("XX000",)))
    assert str(exc.value).startswith("--select: ")
