"""Human output in the compiler style: ``path:line:col: CODE [category, severity] message``, the source
line with the match underlined, the suggested rewrites, and a summary."""
from __future__ import annotations

from collections import Counter
from typing import Sequence

import click

from macrolint.model import Applicability, Diagnostic, Severity
from macrolint.packs.model import Rule
from macrolint.text.paths import shown_path

_SEVERITY_COLOR = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_WIDTH = 100


def _excerpt(line: str, col: int, end_col: int) -> tuple[str, int, int]:
    """Cut a long source line around the match; returns the text and the match's new columns."""
    if len(line) <= _WIDTH:
        return line, col, end_col
    start = max(0, col - 1 - 30)
    end = min(len(line), max(end_col - 1, col) + 40, start + _WIDTH)
    prefix = "…" if start else ""
    suffix = "…" if end < len(line) else ""
    return prefix + line[start:end] + suffix, col - start + len(prefix), end_col - start + len(prefix)


def render_one(d: Diagnostic, color: bool) -> str:
    def style(text: str, **kw) -> str:
        return click.style(text, **kw) if color else text

    head = (f"{style(shown_path(d.path), bold=True)}:{d.line}:{d.column}: "
            f"{style(d.rule, fg=_SEVERITY_COLOR.get(d.severity, 'yellow'), bold=True)} [{d.category}, {d.severity}] "
            f"{d.message}")
    lines = [head]
    if d.item and (d.item.get("title") or d.item.get("id")):
        label = d.item.get("title") or f"#{d.item.get('id')}"
        lines.append(f"  in “{label}” ({d.item.get('field')})")
    if d.source_line or d.match:
        shift = d.source_column - 1  # source_line may start inside a very long line
        end_col = d.end_column - shift if d.end_line == d.line else len(d.source_line) + 1
        text, col, end_col = _excerpt(d.source_line.replace("\t", " "), d.column - shift, end_col)
        gutter = " " * len(str(d.line))
        lines.append(f" {gutter} |")
        lines.append(f" {style(str(d.line), dim=True)} | {text}")
        lines.append(f" {gutter} | {' ' * (col - 1)}{style('^' * max(1, end_col - col), fg='red')}")
        for i, s in enumerate(d.suggestions[:3]):
            label = "rewrite" if i == 0 else "     or"
            lines.append(f" {gutter} = {style(label, fg='green')}: {s}")
        if d.confidence < 1:
            lines.append(f" {gutter} = near-variant, confidence {d.confidence:.2f}")
        if d.related:
            lines.append(f" {gutter} = also matched: {', '.join(d.related)}")
    return "\n".join(lines)


def summary(diagnostics: Sequence[Diagnostic], files: int) -> str:
    noun = "file" if files == 1 else "files"
    if not diagnostics:
        return f"No findings in {files} {noun} checked."
    by_cat = Counter(d.category for d in diagnostics)
    cats = ", ".join(f"{c} {n}" for c, n in sorted(by_cat.items(), key=lambda kv: (-kv[1], kv[0])))
    n = len(diagnostics)
    safe = sum(1 for d in diagnostics if d.fix is not None and d.fix.applicability == Applicability.SAFE)
    unsafe = sum(1 for d in diagnostics if d.fix is not None and d.fix.applicability == Applicability.UNSAFE)
    n_files = len({d.path for d in diagnostics})
    text = f"Found {n} finding{'s' if n != 1 else ''} ({cats}) in {n_files} of {files} {noun} checked."
    if safe:
        text += f" {safe} fixable with --fix"
        text += f", {unsafe} more with --unsafe-fixes." if unsafe else "."
    elif unsafe:
        text += f" {unsafe} fixable with --fix --unsafe-fixes."
    return text


def statistics(diagnostics: Sequence[Diagnostic]) -> str:
    """Counts per rule, most frequent first: count, code, how many have an automatic fix, name."""
    if not diagnostics:
        return "No findings.\n"
    counts: Counter[str] = Counter(d.rule for d in diagnostics)
    fixable: Counter[str] = Counter(d.rule for d in diagnostics if d.fix is not None)
    names = {d.rule: d.name for d in diagnostics}
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    width = len(str(rows[0][1]))
    code_width = max(len(code) for code, _ in rows)
    fix_width = len(str(max(fixable.values(), default=0)))
    lines = []
    for code, n in rows:
        fixes = f"{fixable[code]:>{fix_width}} fixable" if fixable[code] else " " * (fix_width + 8)
        lines.append(f"{n:>{width}}  {code:<{code_width}}  {fixes}  {names[code]}")
    return "\n".join(lines) + "\n"


def statistics_json(diagnostics: Sequence[Diagnostic]) -> str:
    """``--statistics --format json``: one object per rule, most frequent first."""
    import json

    counts: Counter[str] = Counter(d.rule for d in diagnostics)
    fixable: Counter[str] = Counter(d.rule for d in diagnostics if d.fix is not None)
    first = {}
    for d in diagnostics:
        first.setdefault(d.rule, d)
    rows = [{"rule": code, "name": first[code].name, "category": first[code].category,
             "severity": str(first[code].severity), "count": n, "fixable": fixable[code]}
            for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def render_text(diagnostics: Sequence[Diagnostic], files: int = 0, color: bool = False,
                rules: Sequence[Rule] = (), summary_line: bool = True) -> str:
    """The default human output; ``rules`` is accepted for the common reporter signature;
    ``summary_line=False`` (``--quiet``) prints the findings only."""
    blocks = [render_one(d, color) for d in diagnostics]
    if summary_line:
        blocks.append(summary(diagnostics, files))
    return "\n\n".join(blocks) + "\n" if blocks else ""
