"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

Syntax: ``::warning file={path},line={l},col={c},endLine={el},endColumn={ec},title={t}::{message}``;
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
        ("title", f"{d.rule} {d.name}"),
    ]
    level = LEVELS.get(d.severity, "warning")
    return f"::{level} " + ",".join(f"{k}={escape_property(v)}" for k, v in props) + f"::{escape_data(d.message)}"


def render_github(diagnostics: Sequence[Diagnostic], files: int = 0, color: bool = False,
                  rules: Sequence[Rule] = ()) -> str:
    """One workflow command per line; nothing at all when there are no findings."""
    return "".join(command(d) + "\n" for d in diagnostics)
