"""macrolint: lint support macros, saved replies and help-center articles for script-speak."""
from __future__ import annotations

from macrolint._version import __version__
from macrolint.linting.linter import Linter, Report, lint_paths, lint_text
from macrolint.packs.config import Config

__all__ = ["Config", "Linter", "Report", "lint_paths", "lint_text", "__version__"]
