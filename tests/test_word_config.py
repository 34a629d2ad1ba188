"""A team adds words to the packs' word classes in config (``[words]``): the phrases that use the
class find them, the cache keeps builds with and without additions apart, and a class no pack
defines is a config error naming the file and the classes there are."""
from __future__ import annotations

import subprocess
import sys

import pytest

from macrolint.linting.linter import Linter
from macrolint.packs.config import Config, ConfigError, load_config

TEXT = "Dear valued stargazer, your telescope has shipped."


def test_added_words_join_the_class(tmp_path):
    (tmp_path / ".macrolint.toml").write_text('[words]\ncustomer-noun = ["stargazer", "Sky Watcher"]\n')
    config = load_config(tmp_path / ".macrolint.toml")
    assert config.words == (("customer-noun", ("stargazer", "sky watcher")),)
    found = [(d.rule, d.match) for d in Linter(config).lint_text(TEXT)]
    assert ("RB007", "Dear valued stargazer") in found
    # the same pack without the additions, right after: a separate cache entry, not a stale one
    assert not [d for d in Linter(Config()).lint_text(TEXT) if d.rule == "RB007"]


def test_a_class_no_pack_defines_is_refused(tmp_path):
    (tmp_path / ".macrolint.toml").write_text('[words]\ncustomer-nouns = ["stargazer"]\n')
    with pytest.raises(ConfigError, match=r"no loaded pack has a word class named 'customer-nouns'; "
                                          r"word classes: .*customer-noun"):
        Linter(load_config(tmp_path / ".macrolint.toml"))


@pytest.mark.parametrize("table, message", [
    ("words = 3\n", '"words" must be a table'),
    ('[words]\ncustomer-noun = [1]\n', 'words "customer-noun" must be a list of words or phrases'),
])
def test_bad_words_tables_name_the_file_and_line(tmp_path, table, message):
    (tmp_path / ".macrolint.toml").write_text(table)
    with pytest.raises(ConfigError, match=message) as err:
        load_config(tmp_path / ".macrolint.toml")
    assert ".macrolint.toml:" in str(err.value)


def test_the_cli_exits_2_on_an_unknown_class(tmp_path):
    (tmp_path / ".macrolint.toml").write_text('[words]\nnouns = ["x"]\n')
    (tmp_path / "a.txt").write_text(TEXT)
    run = subprocess.run([sys.executable, "-m", "macrolint", "check", "a.txt"], cwd=tmp_path,
                         capture_output=True, text=True)
    assert run.returncode == 2 and "no loaded pack has a word class named 'nouns'" in run.stderr
