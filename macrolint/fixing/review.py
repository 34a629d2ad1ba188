"""Interactive review: each finding with its rewrites, accepted, edited or skipped one by one.

Answers come line by line from standard input, so tests and scripts can drive it. The rule's
own rewrite is offered when it applies, shown as the sentence will read after it; the rule's
suggestions are shown as help for writing your own (``e``). A rewrite with a ``[slot]`` asks
for each slot before it is taken. Accepted rewrites of a file are written once, at the end, through the same
safe path as ``--fix``; when input ends (or Ctrl-C) the answers given so far are kept and
written, and the review says so.
"""
from __future__ import annotations

from typing import Callable, NamedTuple, Optional

import click

from macrolint.fixing.apply import content_problem, fix_file_with, unified_diff
from macrolint.linting.diagnostics import internal_error
from macrolint.linting.edits import plan_fix, view_edits_of
from macrolint.linting.files import iter_files
from macrolint.linting.linter import Linter
from macrolint.matching.contexts import sentence_bounds
from macrolint.matching.finding import Finding
from macrolint.model import Applicability
from macrolint.text.document import MASK, Unit
from macrolint.text.templates import SLOT

_CONTEXT = 60


class InputEnded(Exception):
    """Standard input ended (or the reviewer pressed Ctrl-C)."""


class Option(NamedTuple):
    """One rewrite the reviewer may take: the finding that puts it in place, and how the
    sentence reads after it."""

    finding: Finding
    preview: str


def _ask(text: str, default: str = "") -> str:
    try:
        return click.prompt(text, default=default, show_default=False)
    except click.exceptions.Abort:
        raise InputEnded from None


def _shown(text: str) -> str:
    return " ".join(text.replace(MASK, "{…}").split())


def _preview(text: str, edits: list[tuple[int, int, str]]) -> str:
    """The sentence(s) the edits touch, as they read after the edits."""
    lo, hi = sentence_bounds(text, edits[0][0], max(edits[-1][0], edits[-1][1] - 1))
    parts, pos = [], lo
    for s, e, content in edits:
        parts.append(text[pos:s])
        parts.append(content)
        pos = e
    parts.append(text[pos:hi])
    return _shown("".join(parts))


def _option(unit: Unit, finding: Finding, taken: list[tuple[int, int]]) -> Optional[Option]:
    """``finding`` as an option, or None when it would not apply (or touches a rewrite taken)."""
    fix, _why = plan_fix(unit, finding)
    if fix is None or any(content_problem(e.content) for e in fix.edits):
        return None
    if any(e.start < t_end and t_start < max(e.end, e.start + 1) for e in fix.edits for t_start, t_end in taken):
        return None
    return Option(finding, _preview(unit.text, view_edits_of(unit.text, finding)))


def options_for(unit: Unit, finding: Finding, taken: list[tuple[int, int]] = ()) -> list[Option]:
    """The rewrites to offer for ``finding``: the rule's own rewrite of the match, when it applies
    cleanly. The rule's suggestions are advice for the writer, shown but never pasted in: a stock
    sentence put over the writer's own drops what the sentence said."""
    if finding.replacement is None:
        return []
    option = _option(unit, finding._replace(applicability=Applicability.UNSAFE), list(taken))
    return [option] if option is not None else []


def _fill_slots(option: Option) -> Optional[Finding]:
    """Ask for each slot of the option's rewrite; None when the reviewer leaves one empty."""
    f = option.finding
    head = f.replacement or ""
    tail = f.tail[2] if f.tail else ""
    for slot in SLOT.findall(head + tail):
        answer = _ask(f"  fill in {slot} (empty: back)").strip()
        if not answer:
            return None
        if slot in head:
            head = head.replace(slot, answer, 1)
        else:
            tail = tail.replace(slot, answer, 1)
    return f._replace(replacement=head, tail=(f.tail[0], f.tail[1], tail) if f.tail else None)


def review_paths(linter_for: Callable[[str], Linter], config, paths, color: bool, force: bool = False,
                 dry_run: bool = False) -> int:
    """Review every file, each with its own linter (``linter_for(path)``; ``config`` is a
    ``Config`` or a ``ConfigTree`` for the walk); returns the exit code (0 when everything was
    written or skipped, 1 when a file was left unwritten, 2 when macrolint itself failed on one).
    ``force`` writes read-only, hard-linked and linked files; ``dry_run`` prints the diff instead
    of writing."""
    state = {"quit": False, "ended": False}
    total_applied = 0
    unwritten = broken = 0
    results = []
    for path in iter_files(list(paths), config):
        if state["quit"]:
            break
        skipped_rules: set[str] = set()
        taken: list[tuple[int, int]] = []
        linter = linter_for(path)
        if getattr(linter, "unusable", False):
            broken += 1
            click.echo(f"{path}: {linter.check_file(path)[1][0].message}", err=True)
            continue

        def choose(diag, unit, finding) -> Optional[list]:
            if state["quit"] or unit is None or finding is None or diag.rule in skipped_rules:
                return None
            options = options_for(unit, finding, taken)
            click.echo("")
            click.echo(f"{diag.path}:{diag.line}:{diag.column}: {diag.rule} [{diag.category}] {diag.message}")
            if diag.item and (diag.item.get("title") or diag.item.get("id")):
                click.echo(f"  in “{diag.item.get('title') or diag.item.get('id')}” ({diag.item.get('field')})")
            click.echo("  " + _context(unit.text, finding.start, finding.end, color))
            for i, option in enumerate(options, 1):
                click.echo(f"  {i}) {option.preview or '(the sentence goes)'}")
            for advice in finding.rule.suggest[:2]:
                click.echo(f"  help: {advice}")
            if not options:
                click.echo("  (no rewrite applies here: e types your own)")
            try:
                return _answer(unit, finding, options, skipped_rules, diag.rule, state, taken)
            except InputEnded:
                state["quit"] = state["ended"] = True
                return None

        try:
            result = fix_file_with(linter, path, choose, write=not dry_run,
                                   keep=lambda: not state.get("discard"), force=force)
        except Exception as exc:  # a bug of ours: this file is left as it is, the review goes on
            broken += 1
            click.echo(f"{path}: {internal_error(path, exc).message}", err=True)
            continue
        finally:
            state.pop("discard", None)
        for d, why in result.dropped:
            click.echo(f"{d.path}:{d.line}:{d.column}: {d.rule} rewrite not applied: {why}", err=True)
        if result.error:
            unwritten += 1
            click.echo(f"{path}: {result.error}", err=True)
        elif result.changed:
            total_applied += len(result.applied)
            results.append(result)
            if not dry_run:
                click.echo(f"{path}: applied {len(result.applied)} rewrite(s)")
    if state["ended"]:
        click.echo("Input ended: the rewrites accepted so far are kept.", err=True)
    if dry_run:
        click.echo(unified_diff(results), nl=False)
        click.echo(f"Would apply {total_applied} rewrite(s).")
    else:
        click.echo(f"Applied {total_applied} rewrite(s).")
    return 2 if broken else 1 if unwritten else 0


def _answer(unit: Unit, finding: Finding, options: list[Option], skipped_rules: set, rule: str, state: dict,
            taken: list) -> Optional[list]:
    """Ask until the reviewer decides; the edits of the rewrite taken, or None."""
    while True:
        answer = _ask("  accept [number], e(dit), s(kip), r(skip rule here), q(uit and save), x(quit, discard)",
                      default="s").strip().lower()
        if answer == "s":
            return None
        if answer == "r":
            skipped_rules.add(rule)
            return None
        if answer == "q":
            state["quit"] = True
            return None
        if answer == "x":
            state["quit"] = state["discard"] = True
            return None
        if answer == "e":
            text = _ask("  your rewrite of the highlighted words")
            chosen: Optional[Finding] = Finding(finding.rule, finding.start, finding.end, finding.confidence, text,
                                                Applicability.UNSAFE)
        elif answer.isdigit() and 1 <= int(answer) <= len(options):
            chosen = _fill_slots(options[int(answer) - 1])
            if chosen is None:
                continue
        else:
            click.echo("  please answer with a number, e, s, r, q or x")
            continue
        fix, why = plan_fix(unit, chosen)
        if fix is None:
            click.echo(f"  not applied: {why}; choose again")
            continue
        click.echo(f"  → {_preview(unit.text, view_edits_of(unit.text, chosen))}")
        taken.extend((e.start, max(e.end, e.start + 1)) for e in fix.edits)
        return list(fix.edits)


def _context(unit_text: str, s: int, e: int, color: bool) -> str:
    before = " ".join(unit_text[max(0, s - _CONTEXT):s].split())
    after = " ".join(unit_text[e:e + _CONTEXT].split())
    match = " ".join(unit_text[s:e].split())
    shown = click.style(match, fg="red", bold=True) if color else f"[[{match}]]"
    gap = "" if after[:1] in tuple(",.;:!?") else " "
    return f"…{before} {shown}{gap}{after}…".replace(MASK, "{…}")
