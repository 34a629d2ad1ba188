"""macrolint: lint support macros, saved replies and help-center articles for script-speak."""
from __future__ import annotations

__version__ = "0.1.0"

from .api import Linter, Report, lint_paths, lint_text  # noqa: E402
from .config import Config  # noqa: E402

__all__ = ["Config", "Linter", "Report", "lint_paths", "lint_text", "__version__"]
