"""Every code block of the README is run or loaded, so its examples never rot.

Shell blocks: every ``macrolint`` line runs (in a scratch folder with replies, articles, a team
pack and a config) and must end with exit 0 or 1, never a usage error or a traceback; every
``python bench/…`` script answers ``--help``. Config, rule pack, workflow and JSON blocks are
loaded and checked against what they describe; the Python block runs; the sample outputs are
what the commands print."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml
from click.testing import CliRunner

from macrolint.cli import main
from macrolint.packs.config import from_mapping
from tests.conftest import FIXTURES, ROOT

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = [(m.group(1), m.group(2)) for m in re.finditer(r"^```(\w*)\n(.*?)^```", README, re.S | re.M)]


def blocks(lang: str) -> list[str]:
    return [body for kind, body in BLOCKS if kind == lang]


def test_every_block_has_a_kind_this_file_checks():
    assert {kind for kind, _ in BLOCKS} <= {"sh", "text", "toml", "markdown", "rst", "yaml", "json", "python"}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A scratch folder where the README's commands have something to work on."""
    root = tmp_path_factory.mktemp("readme")
    shutil.copytree(FIXTURES / "text", root / "replies")
    for name in ("docs", "help-center", "macros"):
        shutil.copytree(FIXTURES / "help-center" / "articles", root / name)
    (root / "reply.html").write_text("<p>Obviously, it works.</p>\n")
    (root / "reply.txt").write_text("Please be advised that it shipped.\n")
    pack = root / "team-rules"
    for body in blocks("yaml"):
        first = body.splitlines()[0]
        if first.startswith("# team-rules/"):
            target = root / first[2:].strip()
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body)
    (root / ".macrolint.toml").write_text('extend-packs = ["./team-rules"]\n')
    shim = root / "bin"
    shim.mkdir()
    (shim / "macrolint").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m macrolint "$@"\n')
    (shim / "macrolint").chmod(0o755)
    assert pack.is_dir()
    return root


def _commands(lang: str = "sh", prefix: str = "macrolint ") -> list[str]:
    out = []
    for body in blocks(lang):
        for line in body.splitlines():
            command = re.sub(r"\s+#.*$", "", line).strip()
            if command.startswith(prefix) or (prefix == "macrolint " and command.startswith("python -m macrolint")):
                out.append(command)
    return out


def _runnable(command: str) -> str:
    command = command.replace("PATH...", "replies").replace("[PACK_DIR]", "team-rules")
    command = command.replace("python -m macrolint ...", "python -m macrolint --version")
    if " rules new " in command:
        command = command.replace("thing-says", "thing-insists")
    return command


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
@pytest.mark.parametrize("command", _commands(), ids=lambda c: c[:60])
def test_every_macrolint_command_in_the_readme_runs(workspace, command):
    env = {**os.environ, "PATH": f"{workspace / 'bin'}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(ROOT),
           "NO_COLOR": "1"}
    done = subprocess.run(["bash", "-c", _runnable(command).replace("python -m", f'"{sys.executable}" -m')],
                          cwd=workspace, env=env, input="q\n", capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode in (0, 1), f"{command}: exit {done.returncode}\n{done.stdout[-800:]}\n{done.stderr[-800:]}"


@pytest.mark.parametrize("script", sorted({c.split()[1] for c in _commands(prefix="python bench/")}))
def test_every_bench_command_in_the_readme_exists(script):
    done = subprocess.run([sys.executable, str(ROOT / script), "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_the_set_up_commands_are_two_and_ci_runs_the_same_tests():
    first = blocks("sh")[0].strip().splitlines()
    assert first == ["pip install . && macrolint check fixtures", "pip install '.[test]' && python -m pytest"]
    assert '"$PY" -m pytest' in (ROOT / ".ci" / "run").read_text()


def test_the_first_sample_output_is_what_check_fixtures_prints(monkeypatch):
    monkeypatch.chdir(ROOT)
    out = CliRunner().invoke(main, ["check", "--no-color", "fixtures"]).output
    sample = next(body for kind, body in BLOCKS if kind == "text")
    assert sample.strip() in out


@pytest.mark.parametrize("body", blocks("toml"), ids=lambda b: b.splitlines()[0][:40])
def test_every_config_in_the_readme_loads(body):
    data = tomllib.loads(body)
    first = body.splitlines()[0]
    where = ROOT / first[2:].strip() if first.startswith("# fixtures/") else None
    if where is not None:  # the README shows a config of the fixtures: it is that file
        assert tomllib.loads(where.read_text()) == data
    from_mapping(data.get("tool", {}).get("macrolint", data), path=where)


def test_the_suppression_examples_silence_what_they_say():
    from macrolint import lint_text

    markdown = blocks("markdown")[0]
    found = [(d.rule, d.line) for d in lint_text(markdown, format="markdown")]
    # the policy line is silenced; the two lines that only show the syntax silence nothing
    assert found == [("ML001", 4), ("ML001", 5)]
    rst = blocks("rst")[0]
    assert [(d.rule, d.line) for d in lint_text(rst, format="rst")] == [("ML001", 4)]
    yaml_example = next(b for b in blocks("yaml") if "macrolint: ignore" in b)
    yaml.safe_load(yaml_example)


def test_the_workflow_examples_name_what_exists():
    hooks = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    for body in blocks("yaml"):
        doc = yaml.safe_load(body)
        if isinstance(doc, dict) and "repos" in doc:
            assert {h["id"] for r in doc["repos"] for h in r["hooks"]} <= hooks
        if isinstance(doc, list) and doc and "uses" in doc[0]:
            assert set(doc[0]["with"]) <= set(action["inputs"])
        if isinstance(doc, dict) and "jobs" in doc:
            steps = doc["jobs"]["lint"]["steps"]
            assert any("git+https://" in s.get("run", "") for s in steps)  # no package-index release needed


def test_the_json_sample_is_what_check_prints(workspace):
    sample = json.loads(blocks("json")[0])
    (workspace / "json-sample").mkdir(exist_ok=True)
    reply = workspace / "json-sample" / "reply.txt"
    reply.write_text("Please be advised that it shipped.\n")
    out = CliRunner().invoke(main, ["check", "--isolated", "--format", "json", str(reply)]).output
    actual = json.loads(out)
    assert set(actual) == set(sample) and actual["version"] == sample["version"]
    got = actual["diagnostics"][0]
    want = sample["diagnostics"][0]
    assert set(got) == set(want)
    for key in ("rule", "name", "category", "severity", "message", "match", "line", "column", "fix", "suggestions"):
        assert got[key] == want[key], key


def test_the_python_example_runs(workspace, monkeypatch):
    (workspace / "macros").mkdir(exist_ok=True)
    monkeypatch.chdir(workspace)
    scope: dict = {}
    exec(compile(blocks("python")[0], "README.md", "exec"), scope)
    assert scope["diagnostics"] is not None
