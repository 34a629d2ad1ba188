"""Which files changed since a git revision (``--changed-since REF``)."""
from __future__ import annotations

import os
import subprocess
from typing import Iterable


class VcsError(Exception):
    """git is missing, the folder is not a repository, or the revision is unknown."""


def _git(args: list[str], cwd: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise VcsError(f"cannot run git: {exc}") from None
    if done.returncode != 0:
        raise VcsError(done.stderr.strip() or f"git {' '.join(args)} failed")
    return done.stdout


def changed_since(ref: str, cwd: str = ".") -> set[str]:
    """Absolute paths of files added, copied, modified or renamed since ``ref``, plus untracked
    files git does not ignore (they are new too)."""
    top = _git(["rev-parse", "--show-toplevel"], cwd).strip()
    _git(["rev-parse", "--verify", "--quiet", ref + "^{commit}"], cwd)
    names = _git(["diff", "--name-only", "--diff-filter=ACMR", "-z", ref, "--"], top).split("\0")
    names += _git(["ls-files", "--others", "--exclude-standard", "-z"], top).split("\0")
    return {os.path.realpath(os.path.join(top, n)) for n in names if n}


def keep_changed(files: Iterable[str], changed: set[str]) -> list[str]:
    """The files (as given) that are among ``changed``."""
    return [f for f in files if os.path.realpath(f) in changed]
