"""Nothing silent in CI: a run that checks nothing, a file that cannot be linted, a misspelt
field or code in config: each is an error that says where, never a quiet green."""
from __future__ import annotations

import shutil
import subprocess

import pytest
from click.testing import CliRunner

from macrolint.cli import main


def _check(*args):
    return CliRunner().invoke(main, ["check", "--no-color", *args])


def test_a_run_that_checks_nothing_is_an_error_unless_allowed(tmp_path):
    (tmp_path / "empty").mkdir()
    result = _check(str(tmp_path / "empty"))
    assert result.exit_code == 2 and "nothing was checked: no file to lint under" in result.output
    assert _check("--allow-empty", str(tmp_path / "empty")).exit_code == 0
    assert CliRunner().invoke(main, ["fix", str(tmp_path / "empty")]).exit_code == 2


def test_a_folder_of_unknown_data_files_checks_nothing(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "x.csv").write_text("a,b\n1,2\n")
    result = _check(str(tmp_path / "d"))
    assert result.exit_code == 2 and "1 data file(s)" in result.output and "-v lists them" in result.output


def test_a_named_data_file_of_no_known_shape_is_an_error(tmp_path):
    (tmp_path / "x.yaml").write_text("a: 1\n")
    (tmp_path / "r.txt").write_text("Your refund went out today.\n")
    result = _check("--format", "concise", str(tmp_path / "x.yaml"), str(tmp_path / "r.txt"))
    assert result.exit_code == 1
    assert "IO005" in result.output and "x.yaml" in result.output


def test_a_misspelt_sources_text_field_names_the_field(tmp_path):
    (tmp_path / ".macrolint.toml").write_text('[[sources]]\nglob = "*.json"\nitems = "replies[]"\ntext = ["Bdy"]\n')
    (tmp_path / "r.json").write_text('{"replies": [{"name": "a", "body": "Obviously it works."}]}\n')
    result = _check(str(tmp_path / "r.json"))
    assert result.exit_code == 1
    assert 'none of the 1 items has the configured text field "Bdy" (the first has name, body)' in result.output


@pytest.mark.parametrize("table", ["per-file-ignores", "per-item-ignores"])
def test_unknown_codes_in_ignores_are_errors_with_file_and_line(tmp_path, table):
    (tmp_path / ".macrolint.toml").write_text(f'packs = ["core"]\n\n[{table}]\n"*.md" = ["BL999"]\n')
    (tmp_path / "a.md").write_text("Obviously.\n")
    result = _check(str(tmp_path / "a.md"))
    assert result.exit_code == 2
    assert f".macrolint.toml:4 ({table}): \"BL999\" names no rule" in result.output


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_nothing_changed_since_a_revision_is_not_an_error(tmp_path, monkeypatch):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "r.txt").write_text("Obviously it works.\n")
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "x"], check=True)
    monkeypatch.chdir(tmp_path)
    assert _check("--changed-since", "HEAD", ".").exit_code == 0
