"""``macrolint init`` writes a commented config for what a folder holds, and it loads."""
from __future__ import annotations

import shutil

from click.testing import CliRunner

from macrolint.cli import main
from macrolint.packs.configtree import load
from tests.conftest import FIXTURES


def test_init_writes_a_config_for_the_layout_that_loads_and_lints(tmp_path):
    shutil.copytree(FIXTURES / "help-center" / "articles", tmp_path / "articles")
    (tmp_path / "developers").mkdir()
    (tmp_path / "developers" / "hooks.md").write_text("# Webhooks\n\nSend the event to our backend.\n")
    (tmp_path / "exports").mkdir()
    shutil.copy(FIXTURES / "zendesk" / "macros.json", tmp_path / "exports" / "macros.json")
    (tmp_path / "exports" / "odd.json").write_text('{"x": [1]}')
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "zendesk export file(s)" in result.output and "1 data file(s) of no known shape" in result.output
    text = (tmp_path / ".macrolint.toml").read_text()
    assert "articles = true" in text and '[paths."developers/**"]\naudience = "technical"' in text
    assert "# glob = \"exports/odd.json\"" in text
    config = load(tmp_path / ".macrolint.toml")
    assert config.reading.articles and config.paths[0][1].audience == "technical"
    checked = CliRunner().invoke(main, ["check", "--format", "concise", str(tmp_path)])
    assert "developers/hooks.md" not in checked.output  # "our backend" is fine for developers
    again = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert again.exit_code == 2 and "already exists" in again.output
    assert CliRunner().invoke(main, ["init", "--print", str(tmp_path)]).output == text
