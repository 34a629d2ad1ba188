"""The library report (``macrolint report``) rendered: one self-contained HTML page, Markdown for a
pull request or ``$GITHUB_STEP_SUMMARY``, or JSON for dashboards. Each renderer takes a
``linting.library.figures.LibraryReport`` and returns the whole document as one string."""
from __future__ import annotations

from macrolint._lazy import LazyFunctions

FORMATS = LazyFunctions(__name__, {
    "html": ".page:render_html",
    "markdown": ".markdown:render_markdown",
    "json": ".jsondoc:render_json",
})
