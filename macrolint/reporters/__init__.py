"""Reporters turn diagnostics into output; they are the only place lines and columns are shown.

Every reporter has the signature ``render(diagnostics, files=0, color=False, rules=())`` and
returns the whole output as one string; ``rules`` are the run's ``Rule`` objects, for the
formats that document rules (SARIF, GitLab)."""
from __future__ import annotations

from macrolint._lazy import LazyFunctions

#: Format name -> render function; a reporter is imported when its format is used, so a run does
#: not pay for XML, hashing or JSON it does not print.
#: Formats other programs parse: written as UTF-8 whatever the console's encoding.
MACHINE_FORMATS = frozenset({"json", "json-lines", "gitlab", "junit", "sarif"})

FORMATS = LazyFunctions(__name__, {
    "text": ".text:render_text",
    "concise": ".concise:render_concise",
    "json": ".json:render_json",
    "json-lines": ".jsonlines:render_json_lines",
    "github": ".github:render_github",
    "gitlab": ".gitlab:render_gitlab",
    "junit": ".junit:render_junit",
    "sarif": ".sarif:render_sarif",
})
