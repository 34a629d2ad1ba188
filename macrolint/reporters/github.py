"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

Syntax: ``::warning file={path},line={l},col={c},endLine={el},endColumn={ec},title={t}::{message}``
(the title names the macro or article when the export names it);
values are escaped the way the Actions toolkit escapes them, or a ``,`` in a path or a newline
in a message would cut the command short."""
from __future__ import annotations

from typing import Sequence

from macrolint.model import Diagnostic, Severity
from macrolint.packs.model import Rule
from macrolint.text.paths import posix_path, shown_path

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: str) -> str:
    """Escape a command's message (after ``::``)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a property value (``file=…``, ``title=…``)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(d: Diagnostic) -> str:
    """The workflow command for one diagnostic."""
    props = [
        ("file", shown_path(posix_path(d.path))),
        ("line", str(d.line)),
        ("col", str(d.column)),
        ("endLine", str(d.end_line)),
        ("endColumn", str(d.end_column)),
        ("title", f"{d.rule} {d.name}" + (f" in “{_item_label(d)}”" if _item_label(d) else "")),
    ]
    level = LEVELS.get(d.severity, "warning")
    return f"::{level} " + ",".join(f"{k}={escape_property(v)}" for k, v in props) + f"::{escape_data(d.message)}"


def _item_label(d: Diagnostic) -> str:
    """The macro, reply or article a finding is in, as the export names it."""
    item = d.item or {}
    return str(item.get("title") or (f"#{item['id']}" if item.get("id") else ""))


def step_summary(diagnostics: Sequence[Diagnostic], files: int) -> str:
    """A Markdown summary for ``$GITHUB_STEP_SUMMARY``: totals, then findings per rule."""
    from collections import Counter

    if not diagnostics:
        return f"### macrolint\n\nNo findings in {files} file{'s' if files != 1 else ''} checked.\n"
    by_rule = Counter((d.rule, d.name, d.category) for d in diagnostics)
    by_file = len({d.path for d in diagnostics})
    lines = ["### macrolint", "",
             f"{len(diagnostics)} finding{'s' if len(diagnostics) != 1 else ''} in {by_file} of {files} "
             f"file{'s' if files != 1 else ''} checked.", "",
             "| rule | category | findings |", "|---|---|---:|"]
    lines += [f"| {code} {name} | {category} | {n} |"
              for (code, name, category), n in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))]
    return "\n".join(lines) + "\n"


def render_github(diagnostics: Sequence[Diagnostic], files: int = 0, color: bool = False,
                  rules: Sequence[Rule] = ()) -> str:
    """One workflow command per line; nothing at all when there are no findings."""
    return "".join(command(d) + "\n" for d in diagnostics)
