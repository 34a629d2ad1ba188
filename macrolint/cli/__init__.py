"""The command line: thin wrappers that call the linter, render, and exit 0, 1 or 2.

``macrolint.cli:run`` is the console script; importing this package registers every command
on the ``main`` group."""
from __future__ import annotations

from macrolint.cli import check, init, newrule, report, review, rules  # noqa: F401  (each registers its commands)
from macrolint.cli.app import main, run

__all__ = ["main", "run"]
