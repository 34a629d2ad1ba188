"""The command line: thin wrappers that call the API, render, and exit 0, 1 or 2."""
from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import Iterable, Optional

import click

from macrolint import readers
from macrolint._records import record
from macrolint._version import __version__
from macrolint.linting.diagnostics import (
    INTERNAL_ERROR,
    UNREADABLE,
    input_diagnostic,
    internal_error,
)
from macrolint.linting.files import iter_files
from macrolint.linting.linter import Linter, Report
from macrolint.linting.rules import load_packs, read_pack
from macrolint.model import Applicability, Severity
from macrolint.packs.config import Config, ConfigError, discover
from macrolint.packs.load import PackError, resolve
from macrolint.reporters import FORMATS

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


def _fail(message: str) -> "click.exceptions.Exit":
    click.echo(f"macrolint: error: {message}", err=True)
    return click.exceptions.Exit(EXIT_ERROR)


def _a_number(ctx, param, value):
    """``FloatRange`` lets NaN through (no comparison fails on it), and NaN would hide every finding."""
    if value is not None and value != value:
        raise click.BadParameter("must be a number from 0 to 1, not nan")
    return value


def _warn(message: str) -> None:
    click.echo(f"macrolint: warning: {message}", err=True)


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
        config = discover(list(paths), config_path, warn=_warn)
    except ConfigError as exc:
        raise _fail(str(exc))
    return config.with_overrides(**overrides)


def _linter(config: Config) -> Linter:
    try:
        linter = Linter(config)
    except (PackError, ConfigError) as exc:
        raise _fail(f"invalid rule packs or config:\n{exc}")
    # The rules live until the process ends: keep the collector (and its pass at exit) off them.
    gc.freeze()
    return linter


def run() -> None:
    """The ``macrolint`` command: ``main``, then exit without tearing the interpreter down.

    Everything a run opens is closed by then and its output is flushed here; what is left is
    freeing the loaded packs object by object, a few milliseconds of every pre-commit hook."""
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe: what Python itself reports when it cannot flush at exit
        code = code or 120
    os._exit(code or 0)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="macrolint")
def main() -> None:
    """Lint support macros, saved replies and help-center articles for script-speak."""


_FORCE_WRITE = click.option(
    "--force-write", is_flag=True,
    help="Also write files that are read-only, hard-linked or reached through a symbolic link "
         "(the link stays; the file it points to is fixed).")


def _common_options(f):
    """Options shared by ``check`` and ``fix``."""
    options = [
        click.argument("paths", nargs=-1, type=click.Path(readable=False)),
        click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="text", show_default=True,
                     help="Output format."),
        click.option("--select", multiple=True, help="Only these codes, prefixes, categories or rule names (comma-separated)."),
        click.option("--ignore", multiple=True, help="Skip these codes, prefixes, categories or rule names (comma-separated)."),
        click.option("--config", "config_path", type=click.Path(),
                     help="Config file (default: nearest .macrolint.toml or pyproject.toml)."),
        click.option("--min-confidence", type=click.FloatRange(0, 1), callback=_a_number,
                     help="Hide near-variant findings below this confidence."),
        click.option("--preview", is_flag=True, default=None, help="Also run preview rules."),
        click.option("--input-format", type=click.Choice(readers.FORMATS), help="Read every input as this format."),
        click.option("--stdin-filename", help="Name (and format, by extension) of the text read from '-'."),
        click.option("--no-color", is_flag=True, help="No colour (also: NO_COLOR)."),
        click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff: also apply fixes that may shift the voice."),
        click.option("--diff", is_flag=True, help="Print the fixes as a unified diff; write nothing (exit 1 if anything would change)."),
        click.option("--show-fixes", is_flag=True, help="List every fix applied."),
        _FORCE_WRITE,
    ]
    for option in reversed(options):
        f = option(f)
    return f


@main.command()
@_common_options
@click.option("--fix", is_flag=True, help="Apply safe fixes in place.")
@click.option("--statistics", is_flag=True, help="Print counts per rule instead of each finding.")
@click.option("-o", "--output-file", type=click.Path(dir_okay=False, writable=True),
              help="Write the report to this file instead of standard output.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default="info", show_default=True,
              help="Exit 1 only for findings of this severity or higher.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--max-findings", type=click.IntRange(min=0), metavar="N",
              help="Exit 1 only when there are more than N failing findings.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False),
              help="Report only findings not recorded in this baseline file.")
@click.option("--write-baseline", type=click.Path(dir_okay=False),
              help="Record today's findings in this file and exit 0.")
@click.option("--changed-since", metavar="REF", help="Lint only files changed since this git revision.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), metavar="N",
              help="Processes to lint files on (default and most: the machine's cores; 1 = serial).")
@click.option("-v", "--verbose", is_flag=True, help="Also list data files skipped as not macros or articles.")
def check(paths, fix, verbose, statistics, output_file, fail_on, exit_zero, max_findings, baseline_path,
          write_baseline, changed_since, jobs, **opts):
    """Lint PATHS (files or folders; '-' reads standard input)."""
    policy = _Policy(statistics, output_file, fail_on, exit_zero, max_findings, baseline_path, write_baseline,
                     changed_since, jobs)
    _run(paths, fix=fix, verbose=verbose, policy=policy, **opts)


@record
class _Policy:
    """What ``check`` does with the findings once they are found."""

    statistics: bool = False
    output_file: Optional[str] = None
    fail_on: str = "info"
    exit_zero: bool = False
    max_findings: Optional[int] = None
    baseline: Optional[str] = None
    write_baseline: Optional[str] = None
    changed_since: Optional[str] = None
    jobs: Optional[int] = None

    def exit_code(self, diagnostics) -> int:
        if any(d.rule == INTERNAL_ERROR[0] for d in diagnostics):
            return EXIT_ERROR  # macrolint itself failed on a file: never mistaken for findings
        if self.exit_zero:
            return EXIT_CLEAN
        if any(d.category == "input" for d in diagnostics):
            return EXIT_FINDINGS  # a file could not be linted
        threshold = Severity.parse(self.fail_on)
        failing = sum(1 for d in diagnostics if d.severity >= threshold)
        return EXIT_FINDINGS if failing > (self.max_findings or 0) else EXIT_CLEAN


@main.command("fix")
@_common_options
def fix_command(paths, **opts):
    """Apply safe fixes to PATHS in place (same as `check --fix`)."""
    _run(paths, fix=True, **opts)


def _run(paths, fmt, select, ignore, config_path, min_confidence, preview, input_format, stdin_filename, no_color,
         unsafe_fixes, diff, show_fixes, force_write, fix, verbose=False, policy: Optional[_Policy] = None):
    policy = policy or _Policy()
    if not paths:
        paths = (".",)
    for p in paths:
        if p != "-" and not os.path.exists(p):
            raise _fail(f"{p}: no such file or folder")
    if unsafe_fixes and not (fix or diff):
        raise _fail("--unsafe-fixes goes with --fix or --diff")
    if policy.baseline and policy.write_baseline:
        raise _fail("--baseline and --write-baseline do not go together")
    config = _config(paths, config_path, select=_split(select), ignore=_split(ignore),
                     min_confidence=min_confidence, preview=preview)
    linter = _linter(config)
    files = _files([p for p in paths if p != "-"], config, policy.changed_since, walking=not (fix or diff))
    if fix or diff:
        _run_fixes(linter, config, paths, files, fmt, input_format, stdin_filename, no_color,
                   Applicability.UNSAFE if unsafe_fixes else Applicability.SAFE, diff, show_fixes, force_write)
        return
    baseline = None
    if policy.baseline:
        from macrolint.linting import baseline as baselines

        try:
            baseline = baselines.load(policy.baseline)
        except baselines.BaselineError as exc:
            raise _fail(str(exc))
    report = Report()
    if "-" in paths:
        name = stdin_filename or "-"
        report.files += 1
        data, problem = _read_stdin()
        if problem is not None:
            report.diagnostics.append(input_diagnostic(name, UNREADABLE, problem))
        else:
            report.diagnostics.extend(linter.check_bytes(name, data, input_format or readers.detect(name)))
    from macrolint.linting.parallel import default_jobs, lint_files

    jobs = min(policy.jobs or default_jobs(), default_jobs())
    try:
        for path, skipped, diagnostics in lint_files(linter, files, input_format, jobs):
            if skipped is not None:
                report.skipped.append((path, skipped))
                continue
            report.files += 1
            report.diagnostics.extend(diagnostics)
    except ConfigError as exc:
        raise _fail(str(exc))
    if verbose:
        for path, why in report.skipped:
            click.echo(f"{path}: skipped: {why}", err=True)
    diagnostics = report.diagnostics
    if policy.write_baseline:
        from macrolint.linting import baseline as baselines
        from macrolint.storage.safewrite import WriteRefused

        try:
            n = baselines.write(policy.write_baseline, diagnostics, force=force_write)
        except WriteRefused as exc:
            raise _fail(f"{policy.write_baseline}: cannot write baseline: {exc.reason}")
        click.echo(f"Recorded {n} finding{'s' if n != 1 else ''} in {policy.write_baseline}.", err=True)
        sys.exit(EXIT_CLEAN)
    if baseline is not None:
        from macrolint.linting import baseline as baselines

        before = len(diagnostics)
        diagnostics = baselines.new_only(diagnostics, baseline)
        if verbose:
            click.echo(f"{before - len(diagnostics)} findings are in the baseline; {len(diagnostics)} new.", err=True)
    if policy.statistics:
        from macrolint.reporters.text import statistics

        output = statistics(diagnostics)
    else:
        output = FORMATS[fmt](diagnostics, report.files, _use_color(no_color) and not policy.output_file,
                              rules=linter.rules)
    if policy.output_file:
        try:
            _write_report(policy.output_file, output)
        except OSError as exc:
            raise _fail(f"{policy.output_file}: cannot write: {exc.strerror or exc}")
    else:
        click.echo(output, nl=False)
    sys.exit(policy.exit_code(diagnostics))


def _read_stdin() -> tuple[bytes, Optional[str]]:
    """Standard input's bytes, or why there are none (it is closed, or cannot be read)."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        return b"", "standard input (stdin) is closed; nothing to lint"
    try:
        return stream.read(), None
    except (OSError, ValueError) as exc:  # a closed or unreadable descriptor
        return b"", f"cannot read standard input (stdin): {getattr(exc, 'strerror', None) or exc}"


def _write_report(path: str, output: str) -> None:
    """Write the report to ``path``: opened without blocking (a FIFO nobody reads is an error,
    not a hang; ``/dev/stdout`` still works), in UTF-8."""
    nonblocking = getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | nonblocking | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        if nonblocking:
            os.set_blocking(fd, True)  # a pipe's reader may be slow: wait for it
        data = output.encode("utf-8", "replace")
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def _files(paths, config: Config, changed_since: Optional[str], walking: bool = False) -> Iterable[str]:
    """The files to lint under ``paths``; with ``changed_since``, only those git sees as changed.
    ``walking``: the walk may still be under way as they are used (a lint run starts on the first
    files found); else they come as a list."""
    if walking and not changed_since:
        return iter_files(paths, config)
    files = list(iter_files(paths, config))
    if changed_since:
        from macrolint.linting.vcs import VcsError, keep_changed
        from macrolint.linting.vcs import changed_since as changed

        where = paths[0] if paths else "."
        if not os.path.isdir(where):
            where = os.path.dirname(where) or "."
        try:
            files = keep_changed(files, changed(changed_since, where))
        except VcsError as exc:
            raise _fail(f"--changed-since {changed_since}: {exc}")
    return files


def _run_fixes(linter, config, paths, files, fmt, input_format, stdin_filename, no_color, at_least, diff, show_fixes,
               force_write):
    import difflib

    from macrolint.fixing.apply import FixResult, fix_file, fix_text

    color = _use_color(no_color)
    results = []
    if "-" in paths:
        name = stdin_filename or "-"
        data, problem = _read_stdin()
        if problem is not None:
            raise _fail(f"{name}: {problem}")
        source = linter.read_bytes(name, data, input_format or readers.detect(name))
        if source.problems:
            raise _fail(f"{name}: {source.problems[0].message}")
        result = fix_text(linter, name, source.raw, source.format, at_least)
        if not diff:
            sys.stdout.write(result.text)  # fixed text to stdout, report to stderr
        results.append(result)
    for path in files:
        try:
            results.append(fix_file(linter, path, at_least, write=not diff, fmt=input_format, force=force_write))
        except Exception as exc:  # a bug of ours: this file is reported, the others are still fixed
            results.append(FixResult(path, "", "", remaining=[internal_error(path, exc)]))
    fixed_text_on_stdout = "-" in paths and not diff

    def out(message: str = "", err: bool = False, nl: bool = True) -> None:
        click.echo(message, err=err or fixed_text_on_stdout, nl=nl)

    if diff:
        for r in results:
            if r.changed:
                out("".join(difflib.unified_diff(r.original.splitlines(True), r.text.splitlines(True),
                                                 f"a/{r.path}", f"b/{r.path}")), nl=False)
    remaining = [d for r in results for d in r.remaining]
    if not diff:
        out(FORMATS[fmt](remaining, len(results), color, rules=linter.rules), nl=False)
    if show_fixes:
        for r in results:
            for d in r.applied:
                out(f"{d.path}:{d.line}:{d.column}: {d.rule} fixed: {d.fix.title if d.fix else d.match}")
    for r in results:
        for d, why in r.dropped:
            out(f"{d.path}:{d.line}:{d.column}: {d.rule} fix not applied: {why}", err=True)
        if r.error:
            out(f"{r.path}: {r.error}", err=True)
        if not r.converged:
            codes = ", ".join(sorted({d.rule for d in r.applied}))
            out(f"{r.path}: fixes did not settle after {len(r.applied)} edits (rules {codes}); stopped", err=True)
    fixed = sum(len(r.applied) for r in results if r.changed)
    verb = "Would fix" if diff else "Fixed"
    if fmt == "text" or diff:
        out(f"{verb} {fixed}, remaining {len(remaining)}.")
    if any(d.rule == INTERNAL_ERROR[0] for d in remaining):
        sys.exit(EXIT_ERROR)
    if diff:
        sys.exit(EXIT_FINDINGS if any(r.changed for r in results) else EXIT_CLEAN)
    sys.exit(EXIT_FINDINGS if remaining or any(r.error for r in results) else EXIT_CLEAN)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, readable=False))
@click.option("--config", "config_path", type=click.Path())
@click.option("--select", multiple=True, help="Only these codes, prefixes, categories or rule names.")
@click.option("--ignore", multiple=True, help="Skip these codes, prefixes, categories or rule names.")
@click.option("--no-color", is_flag=True)
@_FORCE_WRITE
def review(paths, config_path, select, ignore, no_color, force_write):
    """Go through findings one by one and accept, edit or skip each rewrite.

    Answers are read line by line, so a script can drive it: a number accepts that rewrite,
    `e` types your own, `s` skips, `r` skips the rule for the rest of the file, `q` stops and
    saves, `x` stops without saving this file."""
    from macrolint.fixing.review import review_paths

    config = _config(paths, config_path, select=_split(select), ignore=_split(ignore))
    linter = _linter(config)
    sys.exit(review_paths(linter, config, paths, _use_color(no_color), force=force_write))


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
            from macrolint.reporters.reference import rule_reference
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
    from macrolint.linting.examples import run_examples
    from macrolint.packs.load import builtin_names

    specs = list(pack_dirs) or builtin_names()
    failed = total = 0
    for spec in specs:
        try:
            pack = read_pack(resolve(spec, Path.cwd()))
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
    from macrolint.reporters.reference import explain_rule, find_rule

    rule = find_rule([r for p in packs for r in p.rules], code)
    if rule is None:
        raise _fail(f"no rule {code!r}; `macrolint rules` lists them")
    click.echo(explain_rule(rule))
