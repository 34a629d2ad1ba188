"""Results of unchanged files kept between runs: the same output warm as cold, a re-lint whenever
any part of the key changes (bytes, config, pack files, macrolint's version or source), nothing
kept with --no-cache or MACROLINT_NO_CACHE, nothing read from a shelf this user did not sign, and
no result that depends on the clock."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from macrolint.cli import main
from macrolint.linting import results
from macrolint.linting.linter import Linter
from tests.conftest import FIXTURES, write_pack

pytestmark = pytest.mark.kept_results


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("MACROLINT_CACHE_DIR", str(folder))
    monkeypatch.delenv("MACROLINT_NO_CACHE", raising=False)
    return folder


@pytest.fixture()
def linted(monkeypatch):
    """The paths linted afresh (not taken from the cache) in this process."""
    seen: list[str] = []
    real = Linter.check_file

    def counting(self, path, fmt=None):
        seen.append(path)
        return real(self, path, fmt)

    monkeypatch.setattr(Linter, "check_file", counting)
    return seen


def _check(*args):
    return CliRunner().invoke(main, ["check", "--format", "json", "-j", "1", "--no-progress", *args])


def test_a_warm_run_reports_what_a_cold_one_does(cache, linted):
    cold = _check("--isolated", str(FIXTURES))
    n = len(linted)
    warm = _check("--isolated", str(FIXTURES))
    assert cold.exit_code == warm.exit_code == 1
    assert json.loads(cold.output) == json.loads(warm.output)
    assert n > 50 and len(linted) == n  # the second run linted nothing afresh
    uncached = _check("--isolated", "--no-cache", str(FIXTURES))
    assert json.loads(uncached.output) == json.loads(cold.output) and len(linted) == 2 * n


def test_every_part_of_the_key_relints(cache, linted, tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    (work / "a.txt").write_text("The system says it shipped.\n")
    (work / "b.txt").write_text("Obviously it works.\n")
    team = write_pack(tmp_path / "team", {"thing.yaml": """
        id: TM001
        name: thing
        category: blame
        summary: s
        why: w
        message: m
        match: [the gadget says]
        examples:
          - bad: the gadget says
          - ok: the gadget
        """})
    (work / ".macrolint.toml").write_text(f'extend-packs = ["{team.as_posix()}"]\n')

    def run(*extra):
        linted.clear()
        out = _check(*extra, str(work))
        assert out.exit_code == 1, out.output
        return sorted(linted)

    assert len(run()) == 2
    assert run() == []
    (work / "b.txt").write_text("Obviously it works, simply.\n")  # the bytes
    assert [p.rsplit("/", 1)[-1] for p in run()] == ["b.txt"]
    assert len(run("--select", "BL")) == 2  # the settings
    assert run("--select", "BL") == []
    rule = team / "thing.yaml"  # a pack file
    rule.write_text(rule.read_text().replace("the gadget says", "the gizmo says"))
    assert len(run()) == 2
    monkeypatch.setattr(results, "__version__", "0.0.0-test")  # macrolint's version
    assert len(run()) == 2
    monkeypatch.setattr(results, "_source_description", lambda: "edited")  # its source files
    assert len(run()) == 2


def test_no_cache_and_the_environment_keep_nothing(cache, linted, tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("The system says it shipped.\n")
    _check("--isolated", "--no-cache", str(tmp_path / "a.txt"))
    assert not list(cache.glob("results-*"))
    monkeypatch.setenv("MACROLINT_NO_CACHE", "1")
    _check("--isolated", str(tmp_path / "a.txt"))
    assert not list(cache.glob("results-*"))


def test_a_shelf_this_user_did_not_sign_is_not_read(cache, linted, tmp_path):
    (tmp_path / "a.txt").write_text("The system says it shipped.\n")
    first = _check("--isolated", str(tmp_path / "a.txt"))
    (shelf,) = cache.glob("results-*")
    data = bytearray(shelf.read_bytes())
    data[-1] ^= 1  # one bit of the payload
    shelf.write_bytes(bytes(data))
    linted.clear()
    again = _check("--isolated", str(tmp_path / "a.txt"))
    assert len(linted) == 1 and json.loads(again.output) == json.loads(first.output)


def test_a_file_stopped_by_its_time_budget_is_not_kept(cache, linted, tmp_path):
    (tmp_path / "big.txt").write_text("The system says your refund is late. Obviously it works.\n" * 80_000)
    out = _check("--isolated", "--timeout-per-file", "0.05", str(tmp_path / "big.txt"))
    assert "IO003" in out.output
    linted.clear()
    _check("--isolated", "--timeout-per-file", "0.05", str(tmp_path / "big.txt"))
    assert len(linted) == 1
