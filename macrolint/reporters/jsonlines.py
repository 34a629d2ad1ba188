"""JSON Lines: one compact JSON contract diagnostic per line, for streaming into log pipelines."""
from __future__ import annotations

import json
from typing import Sequence

from macrolint.model import Diagnostic
from macrolint.packs.model import Rule
from macrolint.reporters.json import diagnostic_dict


def render_json_lines(diagnostics: Sequence[Diagnostic], files: int = 0, color: bool = False,
                      rules: Sequence[Rule] = ()) -> str:
    """One line per diagnostic; no lines at all when there are none."""
    out = []
    for d in diagnostics:
        line = json.dumps(diagnostic_dict(d), ensure_ascii=False, separators=(",", ":"))
        # JSON allows raw U+2028/U+2029, but line splitters that follow Unicode break on them.
        out.append(line.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n")
    return "".join(out)
