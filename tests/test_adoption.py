"""Adopting macrolint on an existing library: baseline, suppressions, changed files, parallel runs,
exit policy and output files, each exercised by editing files and running the CLI again."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from macrolint.cli import main
from tests.conftest import CORPUS, FIXTURES, fail_creating_files_in

OLD = "Hi Sam,\n\nPlease be advised that your refund was sent.\nThe system says it left on Monday.\n"


def _runner() -> CliRunner:
    """A runner that keeps stderr apart from stdout (the default from click 8.2)."""
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:
        return CliRunner()


def run(*args: str, cwd=None):
    """Run the CLI in ``cwd``; returns (exit code, stdout)."""
    old = os.getcwd()
    if cwd:
        os.chdir(cwd)
    try:
        result = _runner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout


def rules_of(output: str) -> list[str]:
    return [json.loads(line)["rule"] for line in output.splitlines() if line.strip()]


# -- baseline -------------------------------------------------------------------------------------

def test_baseline_reports_only_new_findings_after_edits(tmp_path):
    lib = tmp_path / "replies"
    lib.mkdir()
    (lib / "refund.txt").write_text(OLD, encoding="utf-8")
    (lib / "other.txt").write_text("Obviously, you need to restart it.\n", encoding="utf-8")
    code, _ = run("check", "replies", "--write-baseline", "macrolint-baseline.json", cwd=tmp_path)
    assert code == 0
    recorded = json.loads((tmp_path / "macrolint-baseline.json").read_text(encoding="utf-8"))
    assert {(e["path"], e["rule"]) for e in recorded["findings"]} == {
        ("replies/refund.txt", "RB002"), ("replies/refund.txt", "BL001"), ("replies/other.txt", "CD001")}

    assert run("check", "replies", "--baseline", "macrolint-baseline.json", "--format", "json-lines",
               cwd=tmp_path) == (0, "")

    # Lines move above the recorded findings: they stay silenced (keys are not line numbers).
    (lib / "refund.txt").write_text("Hello again!\n\nA new paragraph.\n\n" + OLD, encoding="utf-8")
    assert run("check", "replies", "--baseline", "macrolint-baseline.json", "--format", "json-lines",
               cwd=tmp_path) == (0, "")

    # A new problem, and a second copy of a recorded one, are reported.
    (lib / "refund.txt").write_text(OLD + "We will reply as soon as possible.\nThe system says no.\n", encoding="utf-8")
    code, out = run("check", "replies", "--baseline", "macrolint-baseline.json", "--format", "json-lines", cwd=tmp_path)
    assert code == 1 and sorted(rules_of(out)) == ["BL001", "VG001"]

    # Running from another folder: entries are relative to the baseline file, not the cwd.
    code, out = run("check", str(lib), "--baseline", str(tmp_path / "macrolint-baseline.json"),
                    "--format", "json-lines", cwd=lib)
    assert sorted(rules_of(out)) == ["BL001", "VG001"]


def test_baseline_errors_are_clear(tmp_path):
    (tmp_path / "a.txt").write_text("Obviously.\n", encoding="utf-8")
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    result = _runner().invoke(main, ["check", str(tmp_path / "a.txt"), "--baseline", str(tmp_path / "bad.json")])
    assert result.exit_code == 2 and "bad.json" in result.stderr and "baseline" in result.stderr


def _write_baseline(folder, *extra: str):
    """``check replies --write-baseline base.json`` in ``folder``: (exit code, stderr)."""
    (folder / "replies").mkdir(exist_ok=True)
    (folder / "replies" / "refund.txt").write_text(OLD, encoding="utf-8")
    old = os.getcwd()
    os.chdir(folder)
    try:
        result = _runner().invoke(main, ["check", "replies", "--write-baseline", "base.json", *extra],
                                  catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.stderr


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_write_baseline_never_opens_a_planted_name(tmp_path):
    """A repository may ship ``base.json.tmp`` (once the fixed name of the temporary) as a link."""
    (tmp_path / "victim").write_text("keep me\n")
    (tmp_path / "base.json.tmp").symlink_to("victim")
    assert _write_baseline(tmp_path)[0] == 0
    assert (tmp_path / "victim").read_text() == "keep me\n" and os.readlink(tmp_path / "base.json.tmp") == "victim"
    assert len(json.loads((tmp_path / "base.json").read_text(encoding="utf-8"))["findings"]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["base.json", "base.json.tmp", "replies", "victim"]


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_write_baseline_refuses_a_link_unless_forced(tmp_path):
    (tmp_path / "victim.json").write_text("keep me\n")
    (tmp_path / "base.json").symlink_to("victim.json")
    code, err = _write_baseline(tmp_path)
    assert code == 2 and err == ("macrolint: error: base.json: cannot write baseline: it is a symbolic link; "
                                 "--force-write writes the file it points to\n")
    assert (tmp_path / "victim.json").read_text() == "keep me\n"
    assert _write_baseline(tmp_path, "--force-write")[0] == 0
    assert os.readlink(tmp_path / "base.json") == "victim.json"
    assert len(json.loads((tmp_path / "victim.json").read_text(encoding="utf-8"))["findings"]) == 2


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_write_baseline_keeps_the_mode_of_the_file_it_replaces(tmp_path):
    (tmp_path / "base.json").write_text("{}\n")
    (tmp_path / "base.json").chmod(0o640)
    assert _write_baseline(tmp_path)[0] == 0
    assert json.loads((tmp_path / "base.json").read_text(encoding="utf-8"))["findings"]
    assert os.stat(tmp_path / "base.json").st_mode & 0o777 == 0o640


def test_write_baseline_into_an_unwritable_folder_is_a_clear_error(tmp_path, monkeypatch):
    fail_creating_files_in(tmp_path, monkeypatch)
    code, err = _write_baseline(tmp_path)
    assert code == 2 and err == ("macrolint: error: base.json: cannot write baseline: "
                                 "cannot create a file in its folder: Permission denied\n")
    assert not (tmp_path / "base.json").exists()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write in a read-only folder")
def test_write_baseline_into_a_read_only_folder_is_a_clear_error(tmp_path):
    (tmp_path / "replies").mkdir()
    tmp_path.chmod(0o555)
    try:
        code, err = _write_baseline(tmp_path)
    finally:
        tmp_path.chmod(0o755)
    assert code == 2 and "base.json: cannot write baseline: cannot create a file in its folder" in err


# -- suppressions ---------------------------------------------------------------------------------

def test_inline_suppression_then_unused_after_the_text_is_fixed(tmp_path):
    page = tmp_path / "article.md"
    page.write_text("# Refunds\n\n<!-- macrolint-disable-next-line BL002 -- legal wording -->\n"
                    "That's our policy for gift cards.\n\nObviously, reply here.\n", encoding="utf-8")
    code, out = run("check", str(page), "--format", "json-lines")
    assert code == 1 and rules_of(out) == ["CD001"]
    page.write_text(page.read_text(encoding="utf-8").replace("That's our policy for", "We don't refund"),
                    encoding="utf-8")
    code, out = run("check", str(page), "--format", "json-lines")
    assert rules_of(out) == ["ML001", "CD001"]
    assert rules_of(run("check", str(page), "--format", "json-lines", "--ignore", "ML001")[1]) == ["CD001"]


def test_yaml_ignore_comment(tmp_path):
    replies = tmp_path / ".github" / "replies.yml"
    replies.parent.mkdir()
    replies.write_text("replies:\n  - name: Policy\n    body: That's our policy.  # macrolint: ignore BL002\n"
                       "  - name: Other\n    body: That's our policy.\n", encoding="utf-8")
    code, out = run("check", str(replies), "--format", "json-lines")
    assert [(json.loads(x)["rule"], json.loads(x)["line"]) for x in out.splitlines()] == [("BL002", 5)]


def test_per_file_and_per_macro_ignores_from_config(tmp_path):
    (tmp_path / ".macrolint.toml").write_text(
        '[per-file-ignores]\n"legal/*.md" = ["BL002"]\n\n'
        '[per-item-ignores]\n"title:Legal::*" = ["blame"]\n"id:2" = ["VG001"]\n', encoding="utf-8")
    (tmp_path / "legal").mkdir()
    (tmp_path / "legal" / "terms.md").write_text("That's our policy.\n", encoding="utf-8")
    (tmp_path / "faq.md").write_text("That's our policy.\n", encoding="utf-8")
    macros = [{"id": 1, "title": "Legal::Refunds", "actions": [{"field": "comment_value", "value": "That's our policy."}]},
              {"id": 2, "title": "Shipping", "actions": [{"field": "comment_value", "value": "We'll reply as soon as possible. That's our policy."}]}]
    (tmp_path / "macros.json").write_text(json.dumps({"macros": macros}), encoding="utf-8")
    code, out = run("check", ".", "--format", "json-lines", cwd=tmp_path)
    found = sorted((json.loads(x)["path"], json.loads(x)["rule"]) for x in out.splitlines())
    assert found == [("./faq.md", "BL002"), ("./macros.json", "BL002")]


def test_bad_per_item_ignore_key_names_the_config(tmp_path):
    (tmp_path / ".macrolint.toml").write_text('[per-item-ignores]\n"name:x" = ["BL"]\n', encoding="utf-8")
    (tmp_path / "a.txt").write_text("Hi\n", encoding="utf-8")
    result = _runner().invoke(main, ["check", str(tmp_path / "a.txt")])
    assert result.exit_code == 2 and ".macrolint.toml" in result.stderr and "per-item-ignores" in result.stderr


# -- only what changed ----------------------------------------------------------------------------

def _git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"})


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_changed_since_lints_only_changed_and_new_files(tmp_path):
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text("Obviously, restart it.\n", encoding="utf-8")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "replies")
    code, out = run("check", ".", "--changed-since", "HEAD", "--format", "json-lines", cwd=tmp_path)
    assert (code, out) == (0, "")
    (tmp_path / "b.txt").write_text("Hello.\nObviously, restart it.\n", encoding="utf-8")
    (tmp_path / "new.txt").write_text("That's our policy.\n", encoding="utf-8")
    code, out = run("check", ".", "--changed-since", "HEAD", "--format", "json-lines", cwd=tmp_path)
    assert code == 1
    assert sorted((json.loads(x)["path"], json.loads(x)["rule"]) for x in out.splitlines()) == [
        ("./b.txt", "CD001"), ("./new.txt", "BL002")]
    result = _runner().invoke(main, ["check", str(tmp_path), "--changed-since", "no-such-ref"])
    assert result.exit_code == 2 and "no-such-ref" in result.stderr


# -- exit policy and output -----------------------------------------------------------------------

def test_fail_on_exit_zero_max_findings_and_output_file(tmp_path):
    reply = tmp_path / "r.txt"
    reply.write_text("Obviously, restart it. The system says no. Thanks for your patience.\n", encoding="utf-8")
    severities = {json.loads(x)["severity"] for x in run("check", str(reply), "--format", "json-lines")[1].splitlines()}
    assert severities == {"warning"}
    assert run("check", str(reply), "--fail-on", "error")[0] == 0
    assert run("check", str(reply), "--fail-on", "warning")[0] == 1
    assert run("check", str(reply), "--exit-zero")[0] == 0
    assert run("check", str(reply), "--max-findings", "3")[0] == 0
    assert run("check", str(reply), "--max-findings", "2")[0] == 1
    out_file = tmp_path / "report.sarif"
    code, out = run("check", str(reply), "--format", "sarif", "--output-file", str(out_file))
    assert code == 1 and out == ""
    assert len(json.loads(out_file.read_text(encoding="utf-8"))["runs"][0]["results"]) == 3
    code, out = run("check", str(reply), "--statistics")
    assert [line.split()[1] for line in out.splitlines()] == sorted(["BL001", "CD001", "RB008"])


def test_unreadable_input_fails_even_with_a_lenient_policy(tmp_path):
    (tmp_path / "bad.json").write_text('{"macros": [', encoding="utf-8")
    (tmp_path / "ok.txt").write_text("Obviously.\n", encoding="utf-8")
    code, out = run("check", str(tmp_path), "--fail-on", "error", "--max-findings", "5", "--format", "json-lines")
    assert code == 1 and sorted(rules_of(out)) == ["CD001", "IO002"]


# -- parallel runs --------------------------------------------------------------------------------

def _serial_and_parallel(folder) -> tuple[bytes, bytes]:
    outs = []
    for jobs in ("1", "2"):
        done = subprocess.run([sys.executable, "-m", "macrolint", "check", "--jobs", jobs, "--format", "json-lines", "."],
                              cwd=folder, capture_output=True, check=False)
        assert done.returncode in (0, 1), done.stderr
        outs.append(done.stdout)
    return outs[0], outs[1]


def test_jobs_output_is_identical_to_serial_on_fixtures():
    serial, parallel = _serial_and_parallel(FIXTURES)
    assert serial and serial == parallel


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present (CI has it)")
def test_jobs_output_is_identical_to_serial_on_corpus():
    serial, parallel = _serial_and_parallel(CORPUS)
    assert serial.count(b"\n") > 50 and serial == parallel


def test_parallel_run_takes_files_while_the_walk_goes_on(tmp_path):
    """Files can come from a generator (a folder walk still under way): over several chunks the
    results are those of a serial run, in the order the files came."""
    from macrolint.linting import parallel
    from macrolint.linting.linter import Linter

    paths = []
    for i in range(2 * parallel.CHUNK + 37):
        path = tmp_path / f"r{i:04d}.txt"
        path.write_text("We apologize for any inconvenience." if i % 7 == 0 else f"Reply {i}: all set.", encoding="utf-8")
        paths.append(str(path))
    linter = Linter()
    serial = [(p, s, [d.rule for d in ds]) for p, s, ds in parallel.lint_files(linter, paths, None, 1)]
    walked = [(p, s, [d.rule for d in ds]) for p, s, ds in parallel.lint_files(linter, (p for p in paths), None, 2)]
    assert walked == serial and [p for p, _, _ in walked] == paths
    assert sum(1 for _, _, rules in walked if rules) == len(paths[::7])
