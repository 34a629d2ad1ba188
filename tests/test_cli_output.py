"""Output that works everywhere: consoles that cannot show typographic marks, diffs that
`git apply` takes, summaries that say what `--fix` and `--unsafe-fixes` would do."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from macrolint.cli import main
from tests.conftest import ROOT

TEXT = "The system says your plan renews on the 3rd → soon. Obviously, it works.\n"


def _run(args, tmp_path, encoding: str):
    env = {**os.environ, "PYTHONIOENCODING": encoding, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "macrolint", *args], capture_output=True, cwd=tmp_path, env=env)


@pytest.mark.parametrize("encoding", ["cp1252", "ascii", "latin-1"])
def test_text_output_and_explain_fit_a_console_that_cannot_encode_them(tmp_path, encoding):
    (tmp_path / "r.txt").write_text(TEXT, encoding="utf-8")
    checked = _run(["check", "r.txt"], tmp_path, encoding)
    assert checked.returncode == 1 and b"Traceback" not in checked.stderr, checked.stderr
    assert b"BL001" in checked.stdout and b"Found 2 findings" in checked.stdout
    explained = _run(["explain", "BL001"], tmp_path, encoding)
    assert explained.returncode == 0 and b"Traceback" not in explained.stderr, explained.stderr
    reported = _run(["check", "--format", "json", "r.txt"], tmp_path, encoding)
    doc = json.loads(reported.stdout.decode("utf-8"))  # machine formats are UTF-8 whatever the console
    assert "“The system says”" in doc["diagnostics"][0]["message"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_diff_output_applies_with_git_apply(tmp_path, monkeypatch):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "replies").mkdir()
    (tmp_path / "replies" / "a.txt").write_text("Please be advised that your order shipped.\n")
    (tmp_path / "b.md").write_text("# Hi\n\nIn order to reset it, obviously click Reset.\n")
    monkeypatch.chdir(tmp_path)
    diff = CliRunner().invoke(main, ["check", ".", "--diff", "--unsafe-fixes"]).output
    patch = diff[: diff.rindex("Would fix")]
    assert "a/./" not in patch and "--- a/replies/a.txt" in patch
    (tmp_path / "p.diff").write_text(patch)
    applied = subprocess.run(["git", "apply", "--check", "p.diff"], capture_output=True, text=True)
    assert applied.returncode == 0, applied.stderr
    subprocess.run(["git", "apply", "p.diff"], check=True)
    assert (tmp_path / "replies" / "a.txt").read_text() == "Your order shipped.\n"


def test_summary_says_which_fixes_need_unsafe_fixes(tmp_path):
    (tmp_path / "r.txt").write_text("Please be advised that it shipped. The system says it renews on the 3rd.\n")
    out = CliRunner().invoke(main, ["check", "--no-color", str(tmp_path / "r.txt")]).output
    assert "1 fixable with --fix, 1 more with --unsafe-fixes." in out
    fixed = CliRunner().invoke(main, ["check", "--fix", "--no-color", str(tmp_path / "r.txt")]).output
    assert "Fixed 1, remaining 1. 1 more with --unsafe-fixes." in fixed


def _check(tmp_path, *args, env=None):
    (tmp_path / "r.txt").write_text("Obviously, it shipped. The system says it renews on the 3rd.\n")
    return CliRunner().invoke(main, ["check", *args, str(tmp_path / "r.txt")], env=env or {})


def test_quiet_prints_the_findings_only(tmp_path):
    out = _check(tmp_path, "--quiet", "--format", "concise", "--no-color").output
    assert out.count("\n") == 2 and "Found" not in out and "[condescending, warning]" in out


def test_statistics_as_json(tmp_path):
    rows = json.loads(_check(tmp_path, "--statistics", "--format", "json").output)
    assert {r["rule"]: (r["count"], r["fixable"]) for r in rows} == {"BL001": (1, 1), "CD001": (1, 1)}
    assert set(rows[0]) == {"rule", "name", "category", "severity", "count", "fixable"}


def test_extend_select_adds_to_the_configs_select(tmp_path):
    (tmp_path / ".macrolint.toml").write_text('select = ["blame"]\n')
    out = _check(tmp_path, "--format", "concise", "--extend-select", "CD001").output
    assert "BL001" in out and "CD001" in out
    assert "CD001" not in _check(tmp_path, "--format", "concise").output


def test_color_always_colours_a_pipe_and_never_does_not(tmp_path):
    assert "\x1b[" in _check(tmp_path, "--color", "always", "--format", "concise").output
    assert "\x1b[" not in _check(tmp_path, "--color", "never", "--format", "concise").output


def test_github_annotations_name_the_macro_and_the_job_summary_is_written(tmp_path):
    export = tmp_path / "macros.json"
    export.write_text(json.dumps({"macros": [{"id": 7, "title": "Refund delay", "actions": [
        {"field": "comment_value", "value": "Obviously the refund is late."}]}]}))
    summary = tmp_path / "summary.md"
    result = CliRunner().invoke(main, ["check", "--format", "github", str(export)],
                                env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert "title=CD001 obviously in “Refund delay”::" in result.output
    assert "| CD001 obviously | condescending | 1 |" in summary.read_text()
