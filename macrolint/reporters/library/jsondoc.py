"""``macrolint report --format json``: the figures of ``LibraryReport.to_dict``, for dashboards."""
from __future__ import annotations

import json

from macrolint.linting.library.figures import LibraryReport


def render_json(report: LibraryReport, top: int = 0) -> str:
    """The whole report as JSON (``top`` is accepted for the common signature: JSON ranks every item)."""
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=1) + "\n"
