"""The command line: exit codes, both output formats, stdin, colour, unreadable inputs."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from macrolint.cli import main
from tests.conftest import FIXTURES, ROOT

BAD = "Unfortunately there is nothing I can do.\n"
GOOD = "I've refunded the second charge; you'll see it by Friday.\n"


def run(args, input=None, env=None):
    return CliRunner().invoke(main, args, input=input, env=env or {"NO_COLOR": "1"})


def test_exit_codes(tmp_path):
    (tmp_path / "bad.txt").write_text(BAD)
    (tmp_path / "good.txt").write_text(GOOD)
    assert run(["check", str(tmp_path / "good.txt")]).exit_code == 0
    assert run(["check", str(tmp_path / "bad.txt")]).exit_code == 1
    missing = run(["check", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 2 and "no such file or folder" in missing.output
    assert run(["check", "--format", "yaml", str(tmp_path)]).exit_code == 2


def test_text_output_shape(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text(BAD)
    out = run(["check", str(path)]).output
    assert f"{path}:1:15: BL003 [blame, warning] “there is nothing I can do” closes the door" in out
    assert " 1 | Unfortunately there is nothing I can do." in out
    assert "   |               ^^^^^^^^^^^^^^^^^^^^^^^^^" in out
    assert "= rewrite: Lead with what you can do: “Here's what I can do: [what you can do].”" in out
    assert out.rstrip().endswith("Found 1 finding (blame 1) in 1 of 1 file checked.")
    assert "\x1b[" not in out


def test_json_contract(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("Please be advised that it shipped.\n")
    result = run(["check", "--format", "json", str(path)])
    doc = json.loads(result.output)
    assert doc["version"] == 1 and doc["tool"]["name"] == "macrolint" and doc["tool"]["version"]
    (d,) = doc["diagnostics"]
    assert set(d) == {"path", "line", "column", "end_line", "end_column", "rule", "name", "category", "severity",
                      "message", "match", "confidence", "suggestions", "fix", "item", "related"}
    assert (d["line"], d["column"], d["end_line"], d["end_column"]) == (1, 1, 1, 23)
    assert (d["rule"], d["category"], d["match"], d["item"]) == ("RB002", "robotic", "Please be advised that", None)
    assert d["fix"]["applicability"] == "safe"
    assert d["fix"]["edits"] == [{"line": 1, "column": 1, "end_line": 1, "end_column": 25, "content": "I"}]


def test_stdin_with_filename():
    result = run(["check", "-", "--stdin-filename", "reply.html", "--format", "json"],
                 input="<p>the <b>system</b> says no</p>")
    (d,) = json.loads(result.output)["diagnostics"]
    assert d["path"] == "reply.html" and d["match"] == "the system says"


def test_select_and_ignore(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("Obviously, there is nothing I can do.\n")
    codes = lambda *a: {d["rule"] for d in json.loads(run(["check", "--format", "json", *a, str(path)]).output)["diagnostics"]}
    assert codes() == {"CD001", "BL003"}
    assert codes("--select", "blame") == {"BL003"}
    assert codes("--ignore", "CD") == {"BL003"}
    assert codes("--select", "BL,CD001", "--ignore", "BL003") == {"CD001"}
    bad = run(["check", "--select", "BLX", str(path)])
    assert bad.exit_code == 2 and "names no rule" in bad.output


def test_unreadable_files_are_findings_and_linting_goes_on(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"\xff\xfeZ\x00\x00\xd8")  # UTF-16 BOM, broken surrogate
    (tmp_path / "b.txt").write_bytes(b"caf\xe9 obviously\n")  # Latin-1, not UTF-8
    (tmp_path / "c.txt").write_bytes(b"\x00\x01binary")
    (tmp_path / "d.txt").write_text(BAD)
    result = run(["check", "--format", "json", str(tmp_path)])
    diags = json.loads(result.output)["diagnostics"]
    by_path = {}
    for d in diags:
        by_path.setdefault(os.path.basename(d["path"]), []).append(d)
    assert by_path["b.txt"][0]["rule"] == "IO001" and "not valid UTF-8" in by_path["b.txt"][0]["message"]
    assert by_path["c.txt"][0]["rule"] == "IO001" and "binary" in by_path["c.txt"][0]["message"]
    assert by_path["d.txt"][0]["rule"] == "BL003"
    assert result.exit_code == 1


def test_bad_config_is_a_usage_error(tmp_path):
    (tmp_path / ".macrolint.toml").write_text('selct = ["BL"]\n')
    (tmp_path / "a.txt").write_text(BAD)
    result = run(["check", str(tmp_path / "a.txt")])
    assert result.exit_code == 2
    assert '.macrolint.toml:1: unknown key "selct" (did you mean "select"?)' in result.output


def test_broken_pack_is_a_usage_error(tmp_path):
    pack = tmp_path / "team"
    pack.mkdir()
    (pack / "pack.yaml").write_text("pack: team\n")
    (pack / "x.yaml").write_text("id: [\n")
    (tmp_path / ".macrolint.toml").write_text('extend-packs = ["team"]\n')
    (tmp_path / "a.txt").write_text(BAD)
    result = run(["check", str(tmp_path / "a.txt")])
    assert result.exit_code == 2 and "x.yaml:" in result.output and "invalid YAML" in result.output


def test_colour_only_when_asked():
    result = CliRunner().invoke(main, ["check", str(FIXTURES / "text")], env={"NO_COLOR": ""}, color=True)
    assert "\x1b[" not in result.output  # not a terminal
    assert "\x1b[" not in run(["check", "--no-color", str(FIXTURES / "text")]).output


def test_rules_list_and_explain():
    listing = run(["rules"]).output
    assert "BL001" in listing and "blame" in listing and "rules." in listing
    as_json = json.loads(run(["rules", "--format", "json"]).output)
    assert {"code", "category", "severity", "fix", "phrases"} <= set(as_json[0])
    explained = run(["explain", "BL001"]).output
    assert "# BL001 system-says" in explained and "**Why is this bad?**" in explained and "✗" in explained
    assert run(["explain", "system-says"]).exit_code == 0
    assert run(["explain", "ZZ999"]).exit_code == 2


def test_rules_test_on_a_team_pack(tmp_path):
    from tests.conftest import write_pack
    from tests.test_packs import GOOD_RULE

    folder = write_pack(tmp_path / "team", {"thing-says.yaml": GOOD_RULE})
    ok = run(["rules", "test", str(folder)])
    assert ok.exit_code == 0 and "2 passed, 0 failed" in ok.output
    (folder / "thing-says.yaml").write_text(GOOD_RULE.replace("The thing is fine.", "The thing says hi."))
    failed = run(["rules", "test", str(folder)])
    assert failed.exit_code == 1 and "FAIL" in failed.output


def test_python_dash_m_entry_point():
    result = subprocess.run([sys.executable, "-m", "macrolint", "--version"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0 and "macrolint" in result.stdout


@pytest.mark.slow
def test_the_command_exits_with_its_code_and_all_its_output(tmp_path):
    """The command leaves without tearing the interpreter down: the exit code and every byte of
    output must still come through, and a usage error still says what is wrong."""
    import json

    found = subprocess.run([sys.executable, "-m", "macrolint", "check", "--format", "json", "fixtures"],
                           capture_output=True, text=True, cwd=ROOT)
    assert found.returncode == 1 and len(json.loads(found.stdout)["diagnostics"]) > 100
    report = tmp_path / "report.json"
    written = subprocess.run([sys.executable, "-m", "macrolint", "check", "--format", "json", "--output-file",
                              str(report), "fixtures"], capture_output=True, text=True, cwd=ROOT)
    assert written.returncode == 1 and json.loads(report.read_text(encoding="utf-8")) == json.loads(found.stdout)
    (tmp_path / "ok.txt").write_text("Thanks, I've refunded the charge.", encoding="utf-8")
    clean = subprocess.run([sys.executable, "-m", "macrolint", "check", str(tmp_path)], capture_output=True, text=True)
    assert clean.returncode == 0
    bad = subprocess.run([sys.executable, "-m", "macrolint", "check", "--format", "nope", "."], capture_output=True,
                         text=True, cwd=tmp_path)
    assert bad.returncode == 2 and "nope" in bad.stderr


def test_docs_rule_reference_is_current():
    expected = run(["rules", "--format", "markdown"]).output
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == expected, "docs/rules.md is stale: run `macrolint rules --format markdown > docs/rules.md`"
