"""``macrolint check`` and ``macrolint fix``: lint paths and report, or fix them in place.

A run reads its options into two records: ``Options`` (how to read, which rules, how to print and
to fix; shared by both commands) and ``Policy`` (what ``check`` does with the findings: baseline,
statistics, where to write, how to exit). The steps are functions of their own: ``_prepare``
(config, linter, the files), ``_lint``, ``_report``, and ``_fix`` for fixing.
"""
from __future__ import annotations

import os
import sys
from typing import Iterable, NamedTuple, Optional

import click

from macrolint import readers
from macrolint.cli.app import (
    EXIT_CLEAN,
    EXIT_ERROR,
    EXIT_FINDINGS,
    FORCE_WRITE,
    Linters,
    emit,
    fail,
    main,
    split,
    use_color,
    warn,
)
from macrolint.cli.fixrun import fix_paths
from macrolint.cli.inputs import Options, nothing_checked, read_stdin
from macrolint.cli.progress import Progress
from macrolint.linting.diagnostics import (
    BAD_CONFIG,
    INTERNAL_ERROR,
    UNKNOWN_SHAPE,
    UNREADABLE,
    input_diagnostic,
)
from macrolint.linting.files import iter_files
from macrolint.linting.linter import Report
from macrolint.model import Severity
from macrolint.packs.config import ConfigError
from macrolint.reporters import FORMATS, MACHINE_FORMATS


def _a_number(ctx, param, value):
    """``FloatRange`` lets NaN through (no comparison fails on it), and NaN would hide every finding."""
    if value is not None and value != value:
        raise click.BadParameter("must be a number from 0 to 1, not nan")
    return value


def _common_options(f):
    """Options shared by ``check`` and ``fix``: they become an ``Options``."""
    options = [
        click.argument("paths", nargs=-1, type=click.Path(readable=False)),
        click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="text", show_default=True,
                     help="Output format."),
        click.option("--select", multiple=True, help="Only these codes, prefixes, categories or rule names (comma-separated)."),
        click.option("--extend-select", multiple=True,
                     help="Also these codes, prefixes, categories or rule names, besides the config's select."),
        click.option("--ignore", multiple=True, help="Skip these codes, prefixes, categories or rule names (comma-separated)."),
        click.option("--config", "config_path", type=click.Path(),
                     help="Config file (default: nearest .macrolint.toml or pyproject.toml)."),
        click.option("--min-confidence", type=click.FloatRange(0, 1), callback=_a_number,
                     help="Hide near-variant findings below this confidence."),
        click.option("--preview", is_flag=True, default=None, help="Also run preview rules."),
        click.option("--input-format", type=click.Choice(readers.FORMATS), help="Read every input as this format."),
        click.option("--stdin-filename", help="Name (and format, by extension) of the text read from '-'."),
        click.option("--no-color", is_flag=True, help="No colour (also: NO_COLOR)."),
        click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
                     help="Colour: auto (a terminal without NO_COLOR), always or never."),
        click.option("-q", "--quiet", is_flag=True, help="Print the findings only: no summary line."),
        click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff: also apply fixes that may shift the voice."),
        click.option("--diff", is_flag=True, help="Print the fixes as a unified diff; write nothing (exit 1 if anything would change)."),
        click.option("--show-fixes", is_flag=True, help="List every fix applied."),
        click.option("--isolated", is_flag=True, help="Ignore every config file: built-in defaults and the flags only."),
        click.option("--no-respect-gitignore", "no_gitignore", is_flag=True,
                     help="Also lint what .gitignore and .ignore files ignore."),
        click.option("--timeout-per-file", type=click.FloatRange(min=0), metavar="SECONDS",
                     help="Stop a file that takes longer (IO003) and go on (default 60; 0: no limit)."),
        click.option("--no-progress", is_flag=True, help="No progress line on a terminal during long runs."),
        click.option("--no-cache", is_flag=True,
                     help="Lint every file afresh: no results kept from earlier runs (also MACROLINT_NO_CACHE=1)."),
        click.option("--allow-empty", is_flag=True, help="Exit 0 when no file was found to check (else exit 2)."),
        FORCE_WRITE,
    ]
    for option in reversed(options):
        f = option(f)
    return f


class Policy(NamedTuple):
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
        if any(d.rule in (INTERNAL_ERROR[0], BAD_CONFIG[0]) for d in diagnostics):
            return EXIT_ERROR  # macrolint itself failed on a file: never mistaken for findings
        if self.exit_zero:
            return EXIT_CLEAN
        if any(d.category == "input" for d in diagnostics):
            return EXIT_FINDINGS  # a file could not be linted
        threshold = Severity.parse(self.fail_on)
        failing = sum(1 for d in diagnostics if d.severity >= threshold)
        return EXIT_FINDINGS if failing > (self.max_findings or 0) else EXIT_CLEAN


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
    policy = Policy(statistics, output_file, fail_on, exit_zero, max_findings, baseline_path, write_baseline,
                    changed_since, jobs)
    _run(paths or (".",), Options(**opts), fix, verbose, policy)


@main.command("fix")
@_common_options
def fix_command(paths, **opts):
    """Apply safe fixes to PATHS in place (same as `check --fix`)."""
    _run(paths or (".",), Options(**opts), fix=True)


def _run(paths, opts: Options, fix: bool, verbose: bool = False, policy: Optional[Policy] = None) -> None:
    policy = policy or Policy()
    _check_arguments(paths, opts, fix, policy)
    linters, files = _prepare(paths, opts, policy, walking=not (fix or opts.diff))
    if fix or opts.diff:
        fix_paths(linters, paths, files, opts)
    baseline = _read_baseline(policy.baseline)
    report = _lint(linters, paths, files, opts, policy)
    if verbose:
        for path, why in report.skipped:
            click.echo(f"{path}: skipped: {why}", err=True)
    if report.files == 0 and not opts.allow_empty and not policy.changed_since:
        raise fail(nothing_checked(paths, report.skipped))
    if policy.write_baseline:
        _write_baseline(policy.write_baseline, report.diagnostics, opts.force_write)
    _report(linters, report, opts, policy, baseline, verbose)


def _check_arguments(paths, opts: Options, fix: bool, policy: Policy) -> None:
    for p in paths:
        if p != "-" and not os.path.exists(p):
            raise fail(f"{p}: no such file or folder")
    if opts.unsafe_fixes and not (fix or opts.diff):
        raise fail("--unsafe-fixes goes with --fix or --diff")
    if policy.baseline and policy.write_baseline:
        raise fail("--baseline and --write-baseline do not go together")


def _prepare(paths, opts: Options, policy: Policy, walking: bool) -> tuple[Linters, Iterable[str]]:
    """The run's linters (one per config: each file's nearest, or ``--config`` / ``--isolated``
    for all), and the files to lint (a walk that may still be under way when ``walking``)."""
    linters = Linters(paths, opts.config_path, opts.isolated, select=split(opts.select), ignore=split(opts.ignore),
                      extend_select=split(opts.extend_select), min_confidence=opts.min_confidence,
                      preview=opts.preview, respect_gitignore=False if opts.no_gitignore else None,
                      timeout_per_file=opts.timeout_per_file)
    linters.first()  # config and pack errors before any file is read
    return linters, _files([p for p in paths if p != "-"], linters.tree, policy.changed_since, walking)


def _files(paths, config, changed_since: Optional[str], walking: bool = False) -> Iterable[str]:
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
            raise fail(f"--changed-since {changed_since}: {exc}")
    return files


def _lint(linters: Linters, paths, files: Iterable[str], opts: Options, policy: Policy) -> Report:
    """Every file's diagnostics (standard input first), in order, on ``--jobs`` processes."""
    from macrolint.linting.parallel import default_jobs
    from macrolint.linting.results import ResultsCache, lint_kept

    report = Report()
    if "-" in paths:
        report.files += 1
        data, problem = read_stdin()
        if problem is not None:
            report.diagnostics.append(input_diagnostic(opts.stdin_name, UNREADABLE, problem))
        else:
            report.diagnostics.extend(linters.first().check_bytes(opts.stdin_name, data,
                                                                  opts.format_of(opts.stdin_name)))
    jobs = min(policy.jobs or default_jobs(), default_jobs())
    progress = Progress(enabled=False if opts.no_progress else None)
    named = {os.path.normpath(p) for p in paths if p != "-" and os.path.isfile(p)}
    cache = None if opts.no_cache else ResultsCache.open()
    try:
        for path, skipped, diagnostics in lint_kept(cache, linters.for_path, files, opts.input_format, jobs):
            if skipped is not None and os.path.normpath(path) in named:  # asked for by name: an error
                report.files += 1
                report.diagnostics.append(input_diagnostic(path, UNKNOWN_SHAPE, f"cannot lint {path}: {skipped}"))
                continue
            if skipped is not None:
                report.skipped.append((path, skipped))
                continue
            report.files += 1
            report.diagnostics.extend(diagnostics)
            progress.tick(report.files, len(report.diagnostics))
    except ConfigError as exc:
        raise fail(str(exc))
    finally:
        progress.done()
    if cache is not None:
        cache.save()
    return report


def _read_baseline(path: Optional[str]):
    if not path:
        return None
    from macrolint.linting import baseline as baselines

    try:
        return baselines.load(path)
    except baselines.BaselineError as exc:
        raise fail(str(exc))


def _write_baseline(path: str, diagnostics, force: bool) -> None:
    """Record the findings and exit 0 (or 2 when the baseline cannot be written)."""
    from macrolint.linting import baseline as baselines
    from macrolint.storage.safewrite import WriteRefused

    try:
        n = baselines.write(path, diagnostics, force=force)
    except WriteRefused as exc:
        raise fail(f"{path}: cannot write baseline: {exc.reason}")
    click.echo(f"Recorded {n} finding{'s' if n != 1 else ''} in {path}.", err=True)
    sys.exit(EXIT_CLEAN)


def _report(linters: Linters, report: Report, opts: Options, policy: Policy, baseline, verbose: bool) -> None:
    """Print (or write) the report of what the baseline does not account for, and exit."""
    diagnostics = report.diagnostics
    if baseline is not None:
        from macrolint.linting import baseline as baselines

        before = len(diagnostics)
        diagnostics = baselines.new_only(diagnostics, baseline)
        if verbose:
            click.echo(f"{before - len(diagnostics)} findings are in the baseline; {len(diagnostics)} new.", err=True)
    if policy.statistics:
        from macrolint.reporters.text import statistics, statistics_json

        output = statistics_json(diagnostics) if opts.fmt == "json" else statistics(diagnostics)
    else:
        quiet = {"summary_line": False} if opts.quiet and opts.fmt in ("text", "concise") else {}
        output = FORMATS[opts.fmt](diagnostics, report.files, use_color(opts.no_color, opts.color) and not policy.output_file,
                                   rules=linters.rules(), **quiet)
    if opts.fmt == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        _append_step_summary(os.environ["GITHUB_STEP_SUMMARY"], diagnostics, report.files)
    if policy.output_file:
        try:
            _write_report(policy.output_file, output)
        except OSError as exc:
            raise fail(f"{policy.output_file}: cannot write: {exc.strerror or exc}")
    else:
        emit(output, machine=opts.fmt in MACHINE_FORMATS and not policy.statistics,
             color=True if opts.color == "always" else None)
    sys.exit(policy.exit_code(diagnostics))


def _append_step_summary(path: str, diagnostics, files: int) -> None:
    """Add the run's Markdown summary to the job summary GitHub Actions shows."""
    from macrolint.reporters.github import step_summary

    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(step_summary(diagnostics, files))
    except OSError as exc:
        warn(f"GITHUB_STEP_SUMMARY {path}: cannot write: {exc.strerror or exc}")


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
