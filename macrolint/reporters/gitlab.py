"""GitLab Code Quality report (``artifacts:reports:codequality``): findings in merge requests.

GitLab matches findings between pipelines by ``fingerprint``, so it comes from
``fingerprint.fingerprints`` and survives edits elsewhere in the file."""
from __future__ import annotations

import json
from typing import Sequence

from macrolint.model import Diagnostic, Severity
from macrolint.packs.model import Rule
from macrolint.reporters.fingerprint import fingerprints, posix_path
from macrolint.text.paths import shown_path

SEVERITIES = {Severity.INFO: "info", Severity.WARNING: "minor", Severity.ERROR: "major"}


def issue(d: Diagnostic, fingerprint: str, rule: Rule | None = None) -> dict:
    """One Code Quality issue."""
    out = {
        "type": "issue",
        "description": f"{d.rule}: {' '.join(d.message.split())}",
        "check_name": d.rule,
        "fingerprint": fingerprint,
        "severity": SEVERITIES.get(d.severity, "minor"),
        "categories": ["Style"],
        "location": {
            "path": shown_path(posix_path(d.path)),
            "positions": {
                "begin": {"line": d.line, "column": d.column},
                "end": {"line": d.end_line, "column": d.end_column},
            },
        },
    }
    if rule is not None and rule.why:
        out["content"] = {"body": rule.why}
    return out


def render_gitlab(diagnostics: Sequence[Diagnostic], files: int = 0, color: bool = False,
                  rules: Sequence[Rule] = ()) -> str:
    """A JSON list of issues (``[]`` when there are none)."""
    by_code = {r.code: r for r in rules}
    issues = [issue(d, fp, by_code.get(d.rule)) for d, fp in zip(diagnostics, fingerprints(diagnostics))]
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"
