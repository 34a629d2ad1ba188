"""One line per finding, ``path:line:col: CODE [category, severity] message``, then the summary."""
from __future__ import annotations

from typing import Sequence

import click

from macrolint.model import Diagnostic
from macrolint.packs.model import Rule
from macrolint.reporters.text import _SEVERITY_COLOR, summary
from macrolint.text.paths import shown_path


def render_concise(diagnostics: Sequence[Diagnostic], files: int = 0, color: bool = False,
                   rules: Sequence[Rule] = (), summary_line: bool = True) -> str:
    """The text format without source excerpts or rewrites: easy to grep and diff
    (``summary_line=False``: the findings only)."""
    lines = []
    for d in diagnostics:
        path, code = shown_path(d.path), d.rule
        if color:
            path = click.style(path, bold=True)
            code = click.style(code, fg=_SEVERITY_COLOR.get(d.severity, "yellow"), bold=True)
        # A message never spans lines here, so one finding stays one line.
        message = " ".join(d.message.split())
        lines.append(f"{path}:{d.line}:{d.column}: {code} [{d.category}, {d.severity}] {message}")
    if summary_line:
        lines.append(summary(diagnostics, files))
    return "\n".join(lines) + "\n" if lines else ""
