"""``macrolint report``: a library's health page for content leads.

The files are found, configured, read and linted as ``check`` does it (its ``_prepare``, the same
workers), each worker also writing down the items of its files (``Linter.survey_file``); the figures
are added up as the results come (``linting.library.build.Collector``) and rendered as one HTML
page, Markdown or JSON (``reporters.library``), written whole or not at all.

Exit codes: 0 when the report was written from every file, 1 when it was written but some file
could not be read (each named on standard error, as ``check`` reports it), 2 on a usage or config
error, when the report could not be written, or when macrolint failed on a file.
"""
from __future__ import annotations

import os
import sys

import click

from macrolint import readers
from macrolint.cli.app import (
    EXIT_CLEAN,
    EXIT_ERROR,
    EXIT_FINDINGS,
    FORCE_WRITE,
    emit,
    fail,
    main,
)
from macrolint.cli.check import _a_number
from macrolint.cli.inputs import Options, nothing_checked

FORMATS = ("html", "markdown", "json")


@main.command("report")
@click.argument("paths", nargs=-1, type=click.Path(readable=False))
@click.option("-o", "--output-file", type=click.Path(dir_okay=False),
              help="Write the report to this file (default: standard output).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="html", show_default=True,
              help="html: one self-contained page; markdown: for a pull request or $GITHUB_STEP_SUMMARY; "
                   "json: every figure, for dashboards.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False),
              help="A baseline file (check --write-baseline): show what is new and what was fixed since.")
@click.option("--similarity", type=click.FloatRange(50, 100), default=90.0, show_default=True,
              help="How alike (in %) two items' words must be to count as near-duplicates.")
@click.option("--top", type=click.IntRange(min=1), default=100, show_default=True,
              help="Items, phrases and clusters the long lists of the page show (JSON has them all).")
@click.option("--select", multiple=True, help="Only these codes, prefixes, categories or rule names (comma-separated).")
@click.option("--extend-select", multiple=True,
              help="Also these codes, prefixes, categories or rule names, besides the config's select.")
@click.option("--ignore", multiple=True, help="Skip these codes, prefixes, categories or rule names (comma-separated).")
@click.option("--config", "config_path", type=click.Path(),
              help="Config file (default: nearest .macrolint.toml or pyproject.toml).")
@click.option("--min-confidence", type=click.FloatRange(0, 1), callback=_a_number,
              help="Leave out near-variant findings below this confidence.")
@click.option("--preview", is_flag=True, default=None, help="Also run preview rules.")
@click.option("--input-format", type=click.Choice(readers.FORMATS), help="Read every input as this format.")
@click.option("--isolated", is_flag=True, help="Ignore every config file: built-in defaults and the flags only.")
@click.option("--no-respect-gitignore", "no_gitignore", is_flag=True,
              help="Also read what .gitignore and .ignore files ignore.")
@click.option("--timeout-per-file", type=click.FloatRange(min=0), metavar="SECONDS",
              help="Stop a file that takes longer (IO003) and go on (default 60; 0: no limit).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), metavar="N",
              help="Processes to lint files on (default and most: the machine's cores; 1 = serial).")
@click.option("--no-progress", is_flag=True, help="No progress line on a terminal during long runs.")
@click.option("--allow-empty", is_flag=True, help="Write a report even when no file was found (else exit 2).")
@click.option("-q", "--quiet", is_flag=True, help="No summary line on standard error.")
@click.option("-v", "--verbose", is_flag=True, help="Also list data files skipped as not macros or articles.")
@FORCE_WRITE
def report(paths, output_file, fmt, baseline_path, similarity, top, jobs, quiet, verbose, **opts):
    """Write a health report of the reply library under PATHS: where the script-speak is, which
    items to fix first, the phrases to retire, near-duplicates, placeholder hygiene."""
    paths = paths or (".",)
    if "-" in paths:
        raise fail("report reads files and folders; '-' (standard input) is not one")
    for p in paths:
        if not os.path.exists(p):
            raise fail(f"{p}: no such file or folder")
    options = Options(fmt=fmt, **opts)
    from macrolint.cli.check import Policy, _prepare, _read_baseline

    baseline = _read_baseline(baseline_path)
    linters, files = _prepare(paths, options, Policy(), walking=True)
    if output_file:  # a report written into the library is not part of it on the next run
        written = os.path.realpath(output_file)
        files = (f for f in files if os.path.realpath(f) != written)
    collector = _survey(linters, paths, files, options, jobs, similarity)
    if verbose:
        for path, why in collector.skipped:
            click.echo(f"{path}: skipped: {why}", err=True)
    if collector.files == 0 and not options.allow_empty:
        raise fail(nothing_checked(paths, collector.skipped))
    for p in collector.problems:
        click.echo(f"{p.path}:{p.line}:{p.column}: {p.rule} {p.message}", err=True)
    library = collector.finish(linters.rules(), baseline, baseline_path or "", list(paths))
    from macrolint.reporters.library import FORMATS as RENDER

    output = RENDER[fmt](library, top)
    if output_file:
        _write(output_file, output, options.force_write)
    else:
        emit(output, machine=fmt == "json")
    if not quiet:
        where = f"Wrote {output_file}" if output_file else "Report"
        click.echo(f"{where}: {_count(len(library.items), 'item')} in {_count(library.files, 'file')}, "
                   f"{_count(library.findings, 'finding')}, {library.clean_share:.0%} of items clean, "
                   f"{_count(len(library.clusters), 'near-duplicate cluster')}"
                   + (f"; {_count(len(library.problems), 'file problem')} listed above" if library.problems else "")
                   + ".", err=True)
    sys.exit(_exit_code(library))


def _count(n: int, what: str) -> str:
    return f"{n:,} {what}{'s' if n != 1 else ''}"


def _survey(linters, paths, files, options: Options, jobs, threshold):
    """Lint every file as ``check`` does, and collect what the report needs of it."""
    from macrolint.cli.progress import Progress
    from macrolint.linting.diagnostics import UNKNOWN_SHAPE, input_diagnostic
    from macrolint.linting.library.build import Collector
    from macrolint.linting.parallel import default_jobs, lint_files_with
    from macrolint.packs.config import ConfigError

    collector = Collector(threshold)
    jobs = min(jobs or default_jobs(), default_jobs())
    progress = Progress(enabled=False if options.no_progress else None)
    named = {os.path.normpath(p) for p in paths if os.path.isfile(p)}
    findings = 0
    try:
        for path, skipped, diagnostics, *facts in lint_files_with(linters.for_path, files, options.input_format, jobs,
                                                                  "survey_file"):
            if skipped is not None and os.path.normpath(path) in named:  # asked for by name: an error
                collector.add(path, None, [input_diagnostic(path, UNKNOWN_SHAPE, f"cannot lint {path}: {skipped}")])
                continue
            collector.add(path, skipped, diagnostics, facts[0] if facts else None)
            findings += len(diagnostics)
            progress.tick(collector.files, findings)
    except ConfigError as exc:
        raise fail(str(exc))
    finally:
        progress.done()
    return collector


def _write(path: str, output: str, force: bool) -> None:
    """The report written whole or not at all (``storage.safewrite``)."""
    from macrolint.storage.safewrite import WriteRefused, replace

    data = output.encode("utf-8", "replace")
    try:
        replace(path, data, None, force)
    except WriteRefused as exc:
        raise fail(f"{path}: cannot write the report: {exc.reason}")
    except OSError as exc:
        raise fail(f"{path}: cannot write the report: {exc.strerror or exc}")


def _exit_code(library) -> int:
    from macrolint.linting.diagnostics import BAD_CONFIG, INTERNAL_ERROR

    if any(p.rule in (INTERNAL_ERROR[0], BAD_CONFIG[0]) for p in library.problems):
        return EXIT_ERROR
    return EXIT_FINDINGS if library.problems else EXIT_CLEAN
