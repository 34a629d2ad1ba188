"""``check --fix``, ``fix`` and ``check --diff``: fix every file (and standard input), report what
is left, and exit."""
from __future__ import annotations

import sys
from typing import Iterable

import click

from macrolint.cli.app import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, fail, use_color
from macrolint.cli.inputs import Options, nothing_checked, read_stdin
from macrolint.linting.diagnostics import BAD_CONFIG, INTERNAL_ERROR, internal_error
from macrolint.model import Applicability
from macrolint.reporters import FORMATS


def fix_paths(linters, paths, files: Iterable[str], opts: Options) -> None:
    """Fix (or with ``--diff`` show the fixes of) every file and standard input, report what is
    left, and exit."""
    results = _fix_all(linters, paths, files, opts)
    # With '-', the fixed text goes to stdout and the report to stderr.
    to_stderr = "-" in paths and not opts.diff

    def out(message: str = "", err: bool = False, nl: bool = True) -> None:
        click.echo(message, err=err or to_stderr, nl=nl)

    if not results and not opts.allow_empty:
        raise fail(nothing_checked(paths, []))
    remaining = [d for r in results for d in r.remaining]
    if opts.diff:
        from macrolint.fixing.apply import unified_diff

        out(unified_diff(results), nl=False)
    else:
        quiet = {"summary_line": False} if opts.quiet and opts.fmt in ("text", "concise") else {}
        out(FORMATS[opts.fmt](remaining, len(results), use_color(opts.no_color, opts.color), rules=linters.rules(),
                              **quiet), nl=False)
    if opts.show_fixes:
        for r in results:
            for d in r.applied:
                out(f"{d.path}:{d.line}:{d.column}: {d.rule} fixed: {d.fix.title if d.fix else d.match}")
    for line in _fix_problems(results):
        out(line, err=True)
    fixed = sum(len(r.applied) for r in results if r.changed)
    if (opts.fmt == "text" or opts.diff) and not opts.quiet:
        more = sum(1 for d in remaining if d.fix is not None and d.fix.applicability == Applicability.UNSAFE)
        hint = f" {more} more with --unsafe-fixes." if more and not opts.unsafe_fixes else ""
        out(f"{'Would fix' if opts.diff else 'Fixed'} {fixed}, remaining {len(remaining)}.{hint}")
    if any(d.rule in (INTERNAL_ERROR[0], BAD_CONFIG[0]) for d in remaining):
        sys.exit(EXIT_ERROR)
    if opts.diff:
        sys.exit(EXIT_FINDINGS if any(r.changed for r in results) else EXIT_CLEAN)
    sys.exit(EXIT_FINDINGS if remaining or any(r.error for r in results) else EXIT_CLEAN)


def _fix_all(linters, paths, files: Iterable[str], opts: Options) -> list:
    """The ``FixResult`` of standard input (its fixed text printed at once) and of every file."""
    from macrolint.fixing.apply import FixResult, fix_file, fix_text

    at_least = Applicability.UNSAFE if opts.unsafe_fixes else Applicability.SAFE
    results = []
    if "-" in paths:
        name = opts.stdin_name
        data, problem = read_stdin()
        if problem is not None:
            raise fail(f"{name}: {problem}")
        linter = linters.first()
        source = linter.read_bytes(name, data, opts.format_of(name))
        if source.problems:
            raise fail(f"{name}: {source.problems[0].message}")
        result = fix_text(linter, name, source.raw, source.format, at_least)
        if not opts.diff:
            sys.stdout.write(result.text)  # fixed text to stdout, report to stderr
        results.append(result)
    for path in files:
        linter = linters.for_path(path)
        if getattr(linter, "unusable", False):
            results.append(FixResult(path, "", "", remaining=linter.check_file(path)[1]))
            continue
        try:
            results.append(fix_file(linter, path, at_least, write=not opts.diff, fmt=opts.input_format,
                                    force=opts.force_write))
        except Exception as exc:  # a bug of ours: this file is reported, the others are still fixed
            results.append(FixResult(path, "", "", remaining=[internal_error(path, exc)]))
    return results


def _fix_problems(results) -> Iterable[str]:
    """What went wrong, file by file: fixes dropped, files not written, fixes that did not settle."""
    for r in results:
        for d, why in r.dropped:
            yield f"{d.path}:{d.line}:{d.column}: {d.rule} fix not applied: {why}"
        if r.error:
            yield f"{r.path}: {r.error}"
        if not r.converged:
            codes = ", ".join(sorted({d.rule for d in r.applied}))
            yield f"{r.path}: fixes did not settle after {len(r.applied)} edits (rules {codes}); stopped"
