"""The versioned JSON contract (``--format json``); see the README for every field."""
from __future__ import annotations

import json
from typing import Sequence

from macrolint._version import __version__
from macrolint.model import Diagnostic
from macrolint.packs.model import Rule
from macrolint.text.paths import shown_path

SCHEMA_VERSION = 1


def diagnostic_dict(d: Diagnostic) -> dict:
    """One diagnostic as the JSON contract spells it (also one line of ``json-lines``)."""
    fix = None
    if d.fix is not None:
        fix = {
            "applicability": str(d.fix.applicability),
            "title": d.fix.title,
            "edits": [
                {"line": l, "column": c, "end_line": el, "end_column": ec, "content": e.content}
                for e, (l, c, el, ec) in zip(d.fix.edits, d.edit_positions)
            ],
        }
    return {
        "path": shown_path(d.path),
        "line": d.line,
        "column": d.column,
        "end_line": d.end_line,
        "end_column": d.end_column,
        "rule": d.rule,
        "name": d.name,
        "category": d.category,
        "severity": str(d.severity),
        "message": d.message,
        "match": d.match,
        "confidence": d.confidence,
        "suggestions": list(d.suggestions),
        "fix": fix,
        "item": d.item,
        "related": list(d.related),
    }


def render_json(diagnostics: Sequence[Diagnostic], files: int = 0, color: bool = False,
                rules: Sequence[Rule] = ()) -> str:
    """The versioned JSON document; ``rules`` is accepted for the common reporter signature.

    The same text as ``json.dumps(doc, indent=2)`` of the whole document, written a diagnostic at
    a time: 10,000 findings of an export are never all dicts at once (JSON escapes every newline
    inside a string, so each line of a diagnostic's text is a line of the document)."""
    head = json.dumps({"version": SCHEMA_VERSION, "tool": {"name": "macrolint", "version": __version__},
                       "diagnostics": []}, ensure_ascii=False, indent=2)
    if not diagnostics:
        return head + "\n"
    items = ",\n".join("    " + json.dumps(diagnostic_dict(d), ensure_ascii=False, indent=2).replace("\n", "\n    ")
                       for d in diagnostics)
    return f"{head[:head.rindex('[') + 1]}\n{items}\n  ]\n}}\n"
