"""Reporters turn diagnostics into output; they are the only place lines and columns are shown.

Every reporter has the signature ``render(diagnostics, files=0, color=False, rules=())`` and
returns the whole output as one string; ``rules`` are the run's ``Rule`` objects, for the
formats that document rules (SARIF, GitLab)."""
from __future__ import annotations

from .concise import render_concise
from .github import render_github
from .gitlab import render_gitlab
from .json import render_json
from .jsonlines import render_json_lines
from .junit import render_junit
from .sarif import render_sarif
from .text import render_text

FORMATS = {
    "text": render_text,
    "concise": render_concise,
    "json": render_json,
    "json-lines": render_json_lines,
    "github": render_github,
    "gitlab": render_gitlab,
    "junit": render_junit,
    "sarif": render_sarif,
}
