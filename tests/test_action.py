"""The GitHub composite action: it sets up its own Python, and its inputs reach the scripts as
environment variables, so a path or an argument can never run a command."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
import yaml

from tests.conftest import ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
STEPS = ACTION["runs"]["steps"]


def test_the_action_sets_up_python_and_never_pastes_inputs_into_scripts():
    assert STEPS[0]["uses"].startswith("actions/setup-python@")
    for step in STEPS:
        assert "${{" not in step.get("run", ""), step["run"]
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif@") for s in STEPS)


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_hostile_inputs_are_arguments_not_commands(tmp_path):
    script = next(s["run"] for s in STEPS if "--format github" in s.get("run", ""))
    venv_bin = tmp_path / "runner" / "macrolint" / "bin"
    venv_bin.mkdir(parents=True)
    (venv_bin / "macrolint").write_text(f"#!/bin/sh\nexec {sys.executable} -m macrolint \"$@\"\n")
    (venv_bin / "macrolint").chmod(0o755)
    (tmp_path / "r.txt").write_text("Obviously it works.\n")
    env = {**os.environ, "RUNNER_TEMP": str(tmp_path / "runner"), "PYTHONPATH": str(ROOT)}

    def run(paths: str, args: str):
        return subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, capture_output=True, text=True,
                              env={**env, "INPUT_PATHS": paths, "INPUT_ARGS": args})

    hostile = run("r.txt $(touch pwned1) `touch pwned2`", "--fail-on warning ;touch pwned3")
    assert not any((tmp_path / f"pwned{i}").exists() for i in (1, 2, 3))
    assert hostile.returncode == 2 and "no such file or folder" in hostile.stderr  # text, not commands
    plain = run("r.txt", "--fail-on warning")
    assert plain.returncode == 1 and plain.stdout.startswith("::warning file=r.txt,line=1")
