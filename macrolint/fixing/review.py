"""Interactive review: each finding with its rewrites, accepted, edited or skipped one by one.

Answers come line by line from standard input, so tests and scripts can drive it. Accepted
rewrites of a file are written once, at the end, through the same safe path as ``--fix``.
"""
from __future__ import annotations

import re
from typing import Optional

import click

from macrolint.fixing.apply import fix_file_with
from macrolint.linting.diagnostics import internal_error
from macrolint.linting.edits import fix_for
from macrolint.linting.files import iter_files
from macrolint.linting.linter import Linter
from macrolint.matching.finding import Finding
from macrolint.model import Applicability
from macrolint.packs.config import Config
from macrolint.text.document import MASK

_QUOTED = re.compile(r"“([^”]+)”")


def rewrite_options(finding: Finding) -> list[str]:
    """Texts that can stand in for the match: the rule's rewrite, then quoted suggestions."""
    options: list[str] = []
    if finding.replacement is not None:
        options.append(finding.replacement)
    for text in finding.rule.suggest:
        quoted = _QUOTED.findall(text)
        for q in quoted or ([] if "“" in text else []):
            if q not in options:
                options.append(q)
    return options


def _context(unit_text: str, s: int, e: int, color: bool) -> str:
    before = " ".join(unit_text[max(0, s - 60):s].split())
    after = " ".join(unit_text[e:e + 60].split())
    match = " ".join(unit_text[s:e].split())
    shown = click.style(match, fg="red", bold=True) if color else f"[[{match}]]"
    return f"…{before} {shown} {after}…".replace(MASK, "{…}")


def review_paths(linter: Linter, config: Config, paths, color: bool, force: bool = False) -> int:
    """Review every file; returns the exit code (0 when everything was written or skipped, 1
    when a file was left unwritten, 2 when macrolint itself failed on one). ``force`` writes
    read-only, hard-linked and linked files."""
    state = {"quit": False}
    total_applied = 0
    unwritten = broken = 0
    for path in iter_files(list(paths), config):
        if state["quit"]:
            break
        skipped_rules: set[str] = set()
        counter = {"n": 0}

        def choose(diag, unit, finding) -> Optional[list]:
            if state["quit"] or unit is None or finding is None or diag.rule in skipped_rules:
                return None
            options = rewrite_options(finding)
            counter["n"] += 1
            click.echo("")
            click.echo(f"{diag.path}:{diag.line}:{diag.column}: {diag.rule} [{diag.category}] {diag.message}")
            if diag.item and (diag.item.get("title") or diag.item.get("id")):
                click.echo(f"  in “{diag.item.get('title') or diag.item.get('id')}” ({diag.item.get('field')})")
            click.echo("  " + _context(unit.text, finding.start, finding.end, color))
            for i, text in enumerate(options, 1):
                click.echo(f"  {i}) {text if text else '(delete it)'}")
            while True:
                answer = click.prompt("  accept [number], e(dit), s(kip), r(skip rule here), q(uit and save), x(quit, discard)",
                                      default="s", show_default=False).strip().lower()
                if answer == "s":
                    return None
                if answer == "r":
                    skipped_rules.add(diag.rule)
                    return None
                if answer == "q":
                    state["quit"] = True
                    return None
                if answer == "x":
                    state["quit"] = state["discard"] = True
                    return None
                if answer == "e":
                    text = click.prompt("  your rewrite", default="", show_default=False)
                elif answer.isdigit() and 1 <= int(answer) <= len(options):
                    text = options[int(answer) - 1]
                else:
                    click.echo("  please answer with a number, e, s, r, q or x")
                    continue
                chosen = Finding(finding.rule, finding.start, finding.end, finding.confidence, text, Applicability.UNSAFE)
                fix = fix_for(unit, chosen)
                if fix is None:
                    click.echo("  this match spans markup or a placeholder; edit it by hand")
                    return None
                return list(fix.edits)

        try:
            result = fix_file_with(linter, path, choose, keep=lambda: not state.get("discard"), force=force)
        except Exception as exc:  # a bug of ours: this file is left as it is, the review goes on
            broken += 1
            click.echo(f"{path}: {internal_error(path, exc).message}", err=True)
            continue
        finally:
            state.pop("discard", None)
        if result.error:
            unwritten += 1
            click.echo(f"{path}: {result.error}", err=True)
        elif result.changed:
            total_applied += len(result.applied)
            click.echo(f"{path}: applied {len(result.applied)} rewrite(s)")
    click.echo(f"Applied {total_applied} rewrite(s).")
    return 2 if broken else 1 if unwritten else 0
