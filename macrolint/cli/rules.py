"""``macrolint rules`` (list the rules, or print the reference), ``rules test`` (run every rule's
examples) and ``explain`` (one rule in full)."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from macrolint.cli.app import EXIT_CLEAN, EXIT_FINDINGS, fail, load_config, main
from macrolint.linting.linter import Linter
from macrolint.linting.rules import load_packs
from macrolint.packs.config import ConfigError
from macrolint.packs.definitions import REF
from macrolint.packs.load import PackError, builtin_names, pack_definitions, resolve


@main.group(invoke_without_command=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table", show_default=True,
              help="markdown prints the rule reference (docs/rules.md).")
@click.option("--config", "config_path", type=click.Path())
@click.option("--all", "show_all", is_flag=True, help="Include rules that config or status leave off.")
@click.pass_context
def rules(ctx, fmt, config_path, show_all):
    """List the rules (code, category, severity, fix); `rules test` runs their examples."""
    if ctx.invoked_subcommand is not None:
        return
    config = load_config([], config_path)
    try:
        if fmt == "markdown":
            from macrolint.reporters.guide import GUIDE
            from macrolint.reporters.reference import rule_reference

            packs = load_packs(_documented(config), base=config.root)
            click.echo(rule_reference(packs, lambda p: pack_definitions(Path(p.path)), GUIDE), nl=False)
            return
        if show_all:
            packs = load_packs(_documented(config), base=config.root)
            selected = [r for p in packs for r in p.rules]
        else:
            selected = Linter(config).rules
    except (PackError, ConfigError) as exc:
        raise fail(str(exc))
    if fmt == "json":
        import json
        click.echo(json.dumps([_rule_dict(r) for r in selected], ensure_ascii=False, indent=2))
        return
    rows = [(r.code, r.category, str(r.severity), str(r.best_fix), r.name, r.summary) for r in selected]
    widths = [max(len(row[i]) for row in rows + [("CODE", "CATEGORY", "SEVERITY", "FIX", "NAME", "")]) for i in range(5)]
    header = ("CODE", "CATEGORY", "SEVERITY", "FIX", "NAME")
    click.echo("  ".join(h.ljust(w) for h, w in zip(header, widths)) + "  SUMMARY")
    for row in rows:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths)) + "  " + row[5])
    click.echo(f"\n{len(rows)} rules.")


def _documented(config) -> list[str]:
    """The packs a config uses, then every other built-in pack (the opt-in industry packs): the
    reference, `rules --all` and `explain` cover them all."""
    specs = [*config.packs, *config.extend_packs]
    return specs + [name for name in builtin_names() if name not in specs]


def _rule_dict(r) -> dict:
    return {
        "code": r.code, "name": r.name, "pack": r.pack, "category": r.category, "severity": str(r.severity),
        "status": r.status, "fix": str(r.best_fix), "summary": r.summary, "why": r.why, "message": r.message,
        "phrases": [m.phrase.source for m in r.matches if m.phrase is not None],
        "patterns": [m.pattern for m in r.matches if m.pattern is not None],
        "suggestions": [m.replace for m in r.matches if m.replace] + list(r.suggest),
        "link": r.link, "path": r.path,
    }


@rules.command("test")
@click.argument("pack_dirs", nargs=-1, type=click.Path())
@click.option("-v", "--verbose", is_flag=True, help="List every example, not only failures.")
@click.option("--strict", is_flag=True, help="Fail on warnings too: unused definitions, copies of a definition, "
                                             "fixes no `fixed:` example shows.")
def rules_test(pack_dirs, verbose, strict):
    """Run the examples of every rule in PACK_DIRS (default: the built-in packs): each `bad` text
    must be flagged by its rule, each `good` and `ok` text must not, and each `fixed` text must be
    what the rule's fixes (safe and unsafe, as --fix --unsafe-fixes applies them) make of `bad`."""
    from macrolint.matching.checks import CHECKS
    from macrolint.packs import load as packs
    from macrolint.packs.schema import Problems

    specs = list(pack_dirs) or packs.builtin_names()
    failed = total = warned = 0
    for spec in specs:
        notes = Problems()
        try:  # read afresh, not from the cache: the notes are found while reading
            pack = packs.read_pack(resolve(spec, Path.cwd()), CHECKS, notes=notes)
        except PackError as exc:
            raise fail(f"invalid rule pack:\n{exc}")
        checked, failures, warnings = _test_pack(pack, notes.items, verbose)
        total, failed, warned = total + checked, failed + failures, warned + warnings
    click.echo(f"{total - failed} passed, {failed} failed" + (f", {warned} warnings" if warned else ""))
    sys.exit(EXIT_FINDINGS if failed or (strict and warned) else EXIT_CLEAN)


def _test_pack(pack, notes: list, verbose: bool) -> tuple[int, int, int]:
    """Print what testing one pack finds; ``(checks, failures, warnings)``."""
    from macrolint.fixing.examples import (
        describe_unshown,
        run_fixed_examples,
        unshown_fixes,
    )
    from macrolint.linting.examples import examples_linter, run_examples

    linter = examples_linter(pack.rules)
    warnings = list(notes) + [describe_unshown(r, m) for r in pack.rules for m in unshown_fixes(r)]
    warnings += linter.slow_entries()
    for note in warnings:
        click.echo(f"warn {note}")
    results = run_examples(pack.rules, linter=linter)
    fixed = run_fixed_examples(pack.rules, linter=linter)
    failed = 0
    for res, ok in [(r, f"{'bad' if r.expect_finding else 'clean'}: {r.text!r}") for r in results] + [
            (r, f"fixed: {r.actual!r}") for r in fixed]:
        if not res.passed:
            failed += 1
            click.echo(f"FAIL {res.describe()}")
        elif verbose:
            click.echo(f"ok   {res.rule.code} {ok}")
    drafts = [r for r in pack.rules if r.status == "draft"]
    for rule in drafts:
        _report_draft(rule)
    click.echo(f"{pack.name}: {len(pack.rules)} rules, {len(results)} examples, {len(fixed)} fixed texts"
               + (f", {len(drafts)} draft{'s' if len(drafts) > 1 else ''}" if drafts else ""))
    return len(results) + len(fixed) + len(drafts), failed + len(drafts), len(warnings)


def _report_draft(rule) -> None:
    """A draft fails: what is still to write, line by line, and how to finish."""
    from macrolint.packs.scaffold import todo_lines

    todos = todo_lines(rule.path)
    head = f"FAIL {rule.path}: {rule.code} {rule.name} is a draft, which `check` never runs"
    if not todos:
        click.echo(f"{head}; nothing is left to write: remove `status: draft` (or set `status: preview` "
                   "to try it with `check --preview` first)")
        return
    click.echo(f"{head}; {len(todos)} TODO{'s' if len(todos) > 1 else ''} left to write:")
    for number, line in todos:
        click.echo(f"     {rule.path}:{number}: {line}")
    click.echo("     then run `rules test` again and remove `status: draft`")


@main.command()
@click.argument("code")
@click.option("--config", "config_path", type=click.Path())
def explain(code, config_path):
    """Explain a rule (by code or name): what it flags, why, examples and rewrites; or a pack's
    definition (def:NAME)."""
    config = load_config([], config_path)
    try:
        packs = load_packs(_documented(config), base=config.root)
        from macrolint.reporters.reference import (
            explain_definition,
            explain_rule,
            find_rule,
        )

        rule = None if code.startswith(REF) else find_rule([r for p in packs for r in p.rules], code)
        if rule is not None:
            pack = next(p for p in packs if p.name == rule.pack and rule in p.rules)
            click.echo(explain_rule(rule, definitions=pack_definitions(Path(pack.path))))
            return
        name = code[len(REF):] if code.startswith(REF) else code
        for pack in packs:
            defs = pack_definitions(Path(pack.path))
            if name in defs:
                click.echo(explain_definition(defs.items[name], defs.users(pack.rules).get(name, ())))
                return
    except (PackError, ConfigError) as exc:
        raise fail(str(exc))
    raise fail(f"no rule or definition {code!r}; `macrolint rules` lists the rules, `macrolint rules --format "
               "markdown` the definitions too")
