"""The command line: thin wrappers that call the API, render, and exit 0, 1 or 2."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

import click

from . import __version__, readers
from .api import Linter, Report
from .config import Config, ConfigError, discover
from .packs import PackError, load_pack, load_packs, resolve
from .reporters import FORMATS

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


def _fail(message: str) -> "click.exceptions.Exit":
    click.echo(f"macrolint: error: {message}", err=True)
    return click.exceptions.Exit(EXIT_ERROR)


def _split(values) -> Optional[tuple[str, ...]]:
    if not values:
        return None
    return tuple(v.strip() for item in values for v in item.split(",") if v.strip())


def _use_color(no_color: bool) -> bool:
    if no_color or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def _config(paths, config_path, **overrides) -> Config:
    try:
        config = discover(list(paths), config_path)
    except ConfigError as exc:
        raise _fail(str(exc))
    return config.with_overrides(**overrides)


def _linter(config: Config) -> Linter:
    try:
        return Linter(config)
    except (PackError, ConfigError) as exc:
        raise _fail(f"invalid rule packs or config:\n{exc}")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="macrolint")
def main() -> None:
    """Lint support macros, saved replies and help-center articles for script-speak."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="text", show_default=True, help="Output format.")
@click.option("--select", multiple=True, help="Only these codes, prefixes, categories or rule names (comma-separated).")
@click.option("--ignore", multiple=True, help="Skip these codes, prefixes, categories or rule names (comma-separated).")
@click.option("--config", "config_path", type=click.Path(), help="Config file (default: nearest .macrolint.toml or pyproject.toml).")
@click.option("--min-confidence", type=click.FloatRange(0, 1), help="Hide near-variant findings below this confidence.")
@click.option("--preview", is_flag=True, default=None, help="Also run preview rules.")
@click.option("--input-format", type=click.Choice(readers.FORMATS), help="Read every input as this format.")
@click.option("--stdin-filename", help="Name (and format, by extension) of the text read from '-'.")
@click.option("--no-color", is_flag=True, help="No colour (also: NO_COLOR).")
def check(paths, fmt, select, ignore, config_path, min_confidence, preview, input_format, stdin_filename, no_color):
    """Lint PATHS (files or folders; '-' reads standard input)."""
    if not paths:
        paths = (".",)
    for p in paths:
        if p != "-" and not os.path.exists(p):
            raise _fail(f"{p}: no such file or folder")
    config = _config(paths, config_path, select=_split(select), ignore=_split(ignore),
                     min_confidence=min_confidence, preview=preview)
    linter = _linter(config)
    report = Report()
    files = [p for p in paths if p != "-"]
    try:
        if "-" in paths:
            name = stdin_filename or "-"
            data = sys.stdin.buffer.read()
            report.files += 1
            report.diagnostics.extend(linter.lint_bytes(name, data, input_format or readers.detect(name) or "text"))
        if input_format:
            from .api import iter_files
            for path in iter_files(files, config):
                report.files += 1
                report.diagnostics.extend(linter.lint_file(path, input_format))
        else:
            sub = linter.lint_paths(files)
            report.files += sub.files
            report.diagnostics.extend(sub.diagnostics)
    except ConfigError as exc:
        raise _fail(str(exc))
    click.echo(FORMATS[fmt](report.diagnostics, report.files, _use_color(no_color)), nl=False)
    sys.exit(EXIT_FINDINGS if report.diagnostics else EXIT_CLEAN)


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
    config = _config([], config_path)
    try:
        if fmt == "markdown":
            from .docs import rule_reference
            click.echo(rule_reference(load_packs([*config.packs, *config.extend_packs], base=config.root)), nl=False)
            return
        if show_all:
            packs = load_packs([*config.packs, *config.extend_packs], base=config.root)
            selected = [r for p in packs for r in p.rules]
        else:
            selected = Linter(config).rules
    except (PackError, ConfigError) as exc:
        raise _fail(str(exc))
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
def rules_test(pack_dirs, verbose):
    """Run the examples of every rule in PACK_DIRS (default: the built-in packs)."""
    from .packs import builtin_names
    from .testing import run_examples

    specs = list(pack_dirs) or builtin_names()
    failed = total = 0
    for spec in specs:
        try:
            pack = load_pack(resolve(spec, Path.cwd()))
        except PackError as exc:
            raise _fail(f"invalid rule pack:\n{exc}")
        results = run_examples(pack.rules)
        total += len(results)
        for res in results:
            if not res.passed:
                failed += 1
                click.echo(f"FAIL {res.describe()}")
            elif verbose:
                click.echo(f"ok   {res.rule.code} {'bad' if res.expect_finding else 'clean'}: {res.text!r}")
        click.echo(f"{pack.name}: {len(pack.rules)} rules, {len(results)} examples")
    click.echo(f"{total - failed} passed, {failed} failed")
    sys.exit(EXIT_FINDINGS if failed else EXIT_CLEAN)


@main.command()
@click.argument("code")
@click.option("--config", "config_path", type=click.Path())
def explain(code, config_path):
    """Explain a rule: what it flags, why, examples and rewrites."""
    config = _config([], config_path)
    try:
        packs = load_packs([*config.packs, *config.extend_packs], base=config.root)
    except (PackError, ConfigError) as exc:
        raise _fail(str(exc))
    from .docs import explain_rule, find_rule

    rule = find_rule([r for p in packs for r in p.rules], code)
    if rule is None:
        raise _fail(f"no rule {code!r}; `macrolint rules` lists them")
    click.echo(explain_rule(rule))
