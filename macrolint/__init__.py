"""macrolint: lint support macros, saved replies and help-center articles for script-speak."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Optional

from macrolint._version import __version__
from macrolint.linting.linter import Linter, Report, lint_paths, lint_text
from macrolint.packs.config import Config

if TYPE_CHECKING:
    from macrolint.linting.library.figures import LibraryReport

__all__ = ["Config", "LibraryReport", "Linter", "Report", "lint_paths", "lint_text", "report", "__version__"]


def report(paths: "Iterable[str] | str", *, config: Optional[Config] = None, threshold: float = 90.0,
           baseline: Optional[str] = None, jobs: int = 1) -> "LibraryReport":
    """The library report of files and folders, as ``macrolint report`` makes it: items, scores,
    fix-first ranking, phrases, near-duplicate clusters (``threshold``: how alike, 50 to 100),
    and with ``baseline`` (a ``check --write-baseline`` file) what is new and fixed since. Without
    ``config`` each file uses the nearest config above it. ``jobs`` > 1 lints on that many processes."""
    from macrolint.linting.library.build import report_paths

    if not 50 <= threshold <= 100:
        raise ValueError(f"threshold must be from 50 to 100, not {threshold}")
    return report_paths(paths, config, threshold, baseline, jobs)


def __getattr__(name: str):
    if name == "LibraryReport":  # on first use: the figures' dataclasses stay out of start-up
        from macrolint.linting.library.figures import LibraryReport

        return LibraryReport
    raise AttributeError(f"module 'macrolint' has no attribute {name!r}")
