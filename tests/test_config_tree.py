"""Each file uses the nearest config above it: results never depend on argument order, nested
configs apply to their own files, ``extend`` inherits, ``--isolated`` ignores them all."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from macrolint.cli import main
from macrolint.linting.linter import lint_paths
from macrolint.packs.config import ConfigError
from macrolint.packs.configtree import ConfigTree, load

REPLY = "Obviously it works. The system says it renews on the 3rd.\n"


def _repo(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".macrolint.toml").write_text('packs = ["core"]\nignore = ["CD"]\n')
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "r.txt").write_text(REPLY)
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / ".macrolint.toml").write_text('packs = ["core"]\nignore = ["BL"]\n')
    (tmp_path / "b" / "r.txt").write_text(REPLY)
    return tmp_path


def _rules(tmp_path, *args):
    out = CliRunner().invoke(main, ["check", "--format", "json", *args]).output
    doc = json.loads(out[: out.rindex("}") + 1])
    return sorted((d["path"].replace(str(tmp_path), ""), d["rule"]) for d in doc["diagnostics"])


def test_each_file_uses_its_nearest_config_whatever_the_argument_order(tmp_path):
    repo = _repo(tmp_path)
    a, b = str(repo / "a"), str(repo / "b")
    forward, backward = _rules(repo, a, b), _rules(repo, b, a)
    assert forward == backward == [("/a/r.txt", "BL001"), ("/b/r.txt", "CD001")]


def test_config_and_isolated_use_one_config_for_all(tmp_path):
    repo = _repo(tmp_path)
    a, b = str(repo / "a"), str(repo / "b")
    assert _rules(repo, "--config", str(repo / ".macrolint.toml"), a, b) == [("/a/r.txt", "BL001"), ("/b/r.txt", "BL001")]
    assert {r for _, r in _rules(repo, "--isolated", a, b)} == {"BL001", "CD001"}


def test_the_python_api_finds_configs_the_same_way(tmp_path):
    repo = _repo(tmp_path)
    assert sorted((d.path.replace(str(repo), ""), d.rule) for d in lint_paths([str(repo / "b"), str(repo / "a")])) == \
        [("/a/r.txt", "BL001"), ("/b/r.txt", "CD001")]


def test_extend_inherits_and_overrides(tmp_path):
    repo = _repo(tmp_path)
    (repo / "b" / ".macrolint.toml").write_text('extend = "../.macrolint.toml"\nextend-select = ["CD001"]\n'
                                                 '[per-file-ignores]\n"r.txt" = ["BL001"]\n')
    config = load(repo / "b" / ".macrolint.toml")
    assert config.packs == ("core",) and config.ignore == ("CD",) and config.root == repo / "b"
    # the parent's ignore = ["CD"] holds, the child's CD001 is more specific; BL001 is ignored for r.txt
    assert _rules(repo, str(repo / "b")) == [("/b/r.txt", "CD001")]


def test_inherited_globs_are_rerooted_at_the_child(tmp_path):
    repo = _repo(tmp_path)
    (repo / ".macrolint.toml").write_text('packs = ["core"]\n[per-file-ignores]\n"b/legal/*.txt" = ["BL"]\n')
    (repo / "b" / ".macrolint.toml").write_text('extend = "../.macrolint.toml"\nignore = ["CD"]\n')
    (repo / "b" / "legal").mkdir()
    (repo / "b" / "legal" / "t.txt").write_text(REPLY)
    assert _rules(repo, str(repo / "b" / "legal")) == []


@pytest.mark.parametrize("extend, message", [("../nope.toml", "no such file"), (".macrolint.toml", "loop")])
def test_a_broken_extend_is_an_error(tmp_path, extend, message):
    (tmp_path / ".macrolint.toml").write_text(f'extend = "{extend}"\n')
    with pytest.raises(ConfigError) as exc:
        load(tmp_path / ".macrolint.toml")
    assert message in str(exc.value) and ".macrolint.toml:1" in str(exc.value)


def test_a_pack_named_twice_is_loaded_once(tmp_path):
    (tmp_path / ".macrolint.toml").write_text('extend-packs = ["core"]\n')
    (tmp_path / "r.txt").write_text("Obviously it works.\n")
    assert [d.rule for d in lint_paths(str(tmp_path / "r.txt"))] == ["CD001"]


def test_a_tree_reads_each_config_once(tmp_path):
    repo = _repo(tmp_path)
    tree = ConfigTree()
    assert tree.for_path(str(repo / "a" / "r.txt")) is tree.for_path(str(repo / "a"))
    assert tree.for_path(str(repo / "a")) is tree.for_path(str(repo))
    assert tree.for_path(str(repo / "b" / "r.txt")) is not tree.for_path(str(repo / "a"))


def test_a_broken_nested_config_costs_only_its_own_files(tmp_path):
    repo = _repo(tmp_path)
    (repo / "b" / ".macrolint.toml").write_text('packs = ["core"\n')  # invalid TOML
    out = CliRunner().invoke(main, ["check", "--format", "concise", "--no-color", str(repo)])
    assert out.exit_code == 2
    lines = out.output.splitlines()
    assert any("a/r.txt" in line and "BL001" in line for line in lines)  # the others are still linted
    assert any("b/r.txt" in line and "IO006" in line and "invalid TOML" in line for line in lines)


def test_gitignored_files_are_skipped_in_a_walk_but_not_when_named(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("drafts/\n*.tmp.md\n")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "sub").mkdir()
    for rel in ("drafts/a.md", "x.tmp.md", "sub/ok.md", "sub/keep.tmp.md", "sub/drop.tmp.md"):
        (tmp_path / rel).write_text("Obviously.\n")
    (tmp_path / "sub" / ".gitignore").write_text("!keep.tmp.md\n")

    def linted(*args):
        return sorted(d.path.replace(str(tmp_path) + "/", "") for d in
                      lint_paths([str(tmp_path / a) for a in args]) if d.rule == "CD001")

    assert linted(".") == ["sub/keep.tmp.md", "sub/ok.md"]
    assert linted("drafts") == ["drafts/a.md"] and linted("x.tmp.md") == ["x.tmp.md"]
    (tmp_path / ".macrolint.toml").write_text("respect-gitignore = false\n")
    assert len(linted(".")) == 5
    out = CliRunner().invoke(main, ["check", "--format", "concise", "--isolated", "--no-respect-gitignore",
                                    str(tmp_path)]).output
    assert "in 5 of 5 files checked" in out


def test_check_on_the_fixtures_does_not_depend_on_argument_order(monkeypatch):
    from tests.conftest import FIXTURES

    monkeypatch.chdir(FIXTURES.parent)
    folders = sorted(str(p.relative_to(FIXTURES.parent)) for p in FIXTURES.iterdir() if p.is_dir())

    def run(paths):
        out = CliRunner().invoke(main, ["check", "--format", "json", *paths]).output
        return sorted((d["path"], d["line"], d["column"], d["rule"]) for d in json.loads(out[: out.rindex("}") + 1])["diagnostics"])

    assert run(folders) == run(list(reversed(folders)))
    generic = [f for f in run(["fixtures/generic"]) if f[0].startswith("fixtures/generic")]
    assert generic and generic == [f for f in run(folders) if f[0].startswith("fixtures/generic")]
