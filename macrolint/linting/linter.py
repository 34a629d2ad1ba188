"""The Python API: lint texts and paths, get diagnostics back. Nothing here prints."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Optional, Sequence

from macrolint import readers
from macrolint.linting import files
from macrolint.linting.budget import Budget, FileTimeout
from macrolint.linting.diagnostics import (
    MALFORMED,
    TIMEOUT,
    TOO_MANY,
    UNREADABLE,
    input_diagnostic,
    internal_error,
)
from macrolint.linting.edits import fix_for
from macrolint.linting.judgment import TONE, Judge
from macrolint.linting.rules import load_rule_sets
from macrolint.matching.engine import Engine
from macrolint.matching.finding import Finding
from macrolint.model import Diagnostic
from macrolint.packs.config import Config, ConfigError
from macrolint.packs.load import PackError
from macrolint.packs.model import Rule
from macrolint.packs.selection import (
    INTERNAL,
    internal_ignored,
)
from macrolint.text.decoding import decode
from macrolint.text.document import ReadProblem, Source, Unit
from macrolint.text.paths import config_relative

#: Findings reported for one file at most: 100,000 stray braces made 890 MB of diagnostics.
MAX_FINDINGS = 10_000
#: Characters of the raw line kept on each side of a match for display.
SOURCE_CONTEXT = 240

__all__ = ["Linter", "Report", "lint_text", "lint_paths", "ConfigError", "PackError"]


class Report:
    """What a run found: diagnostics in file order, and how many files were read."""

    __slots__ = ("diagnostics", "files", "skipped")

    def __init__(self, diagnostics: Optional[list[Diagnostic]] = None, files: int = 0,
                 skipped: Optional[list[tuple[str, str]]] = None):
        self.diagnostics: list[Diagnostic] = [] if diagnostics is None else diagnostics
        self.files = files
        #: ``(path, reason)`` of data files that were not linted (no known shape).
        self.skipped: list[tuple[str, str]] = [] if skipped is None else skipped

    def __repr__(self) -> str:
        return f"Report(diagnostics={len(self.diagnostics)}, files={self.files}, skipped={len(self.skipped)})"


def _format_message(rule: Rule, match: str, replacement: Optional[str], suggestion: Optional[str] = None) -> str:
    match = " ".join(match.split())
    if suggestion is None:
        suggestion = replacement if replacement else (rule.suggest[0] if rule.suggest else "")
    return (rule.message.replace("{match}", match).replace("{replacement}", replacement or "")
            .replace("{suggestion}", suggestion))


def _suggestions(f: Finding, match: str, unit: Unit) -> tuple[str, ...]:
    """Rewrites to show: the match's own rewrite first (a deletion reads "Remove …"), then the rule's."""
    own: tuple[str, ...] = ()
    if f.replacement:
        own = (f.rewrite_text(unit),)
    elif f.replacement == "":
        own = (f"Remove “{' '.join(match.split())}”",)
    return own + tuple(s for s in f.rule.suggest if s not in own)


def _unread(path: str, fmt: Optional[str], code: tuple[str, str], message: str) -> Source:
    """A file not read, with the problem that says why."""
    source = Source(path=path, raw="", format=fmt or "text")
    source.problems.append(ReadProblem(code[0], message))
    return source


class Linter:
    """Rules loaded and compiled once; lints any number of texts and files."""

    def __init__(self, config: Optional[Config] = None, rules: Optional[Sequence[Rule]] = None):
        self.config = config or Config()
        if rules is not None:
            self.rules, self._left_out = list(rules), []
        else:
            enabled, self._left_out = load_rule_sets(self.config)
            self.rules = list(enabled)
        self.engine = Engine(self.rules)
        self.judge = Judge(self.config)
        #: Every phrase and pattern rule is a tone rule: a unit no tone rule reads needs only its code checks.
        self._phrases_tone = all(r.category in TONE for r in self.rules if not r.check)
        self.budget = Budget(self.config.timeout_per_file)
        self._ignored_internal = {code for code in INTERNAL if internal_ignored(code, self.config.ignore)}
        self._report_unused = "ML001" not in self._ignored_internal
        self._report_in_text = "ML002" not in self._ignored_internal

    def slow_entries(self) -> list[str]:
        """``file:line: ...`` for each match entry that runs in full on every text (nothing for
        its matcher to look for first): each one slows every run, so its author should know."""
        out = []
        for rule, entry in self.engine.full_scans():
            if entry.pattern is not None:
                what = ("its pattern has no text every match must contain, so it runs over every text; "
                        'add a word it always matches under "anchors:", or spell one out in the pattern')
            else:
                what = ("its phrase has no part whose every form has a word of three letters or more, "
                        'so it runs over every text; name a word it always matches under "anchors:"')
            out.append(f"{rule.path}:{entry.line}: {rule.code} “{entry.source}”: {what}")
        return out

    # -- texts ---------------------------------------------------------------------------------

    def lint_source(self, source: Source) -> list[Diagnostic]:
        """Diagnostics for a read source, in file order."""
        return [d for d, _, _ in self.analyze(source, keep=False)]

    def analyze(self, source: Source, keep: bool = True) -> list[tuple[Diagnostic, Optional[Unit], Optional[Finding]]]:
        """Each diagnostic with the unit and finding behind it (None for file-level problems, and
        for every diagnostic without ``keep``); fixing and review need the unit to turn a rewrite
        into raw edits, a check does not hold every unit of an export until its end."""
        out: list[tuple[Diagnostic, Optional[Unit], Optional[Finding]]] = []
        made, dropped = 0, False
        minimum = self.config.min_confidence
        for problem in source.problems:
            code = UNREADABLE if problem.code == UNREADABLE[0] else MALFORMED
            out.append((input_diagnostic(source.path, code, problem.message, source.raw, problem.offset), None, None))
        budget = self.budget
        stopped: set[str] = set()
        for unit in source.units:
            budget.at("matching its text")
            # past the findings a file may report, the rest of a long unit need not be matched;
            # twice as many are read as can be reported, for the judging below to drop some
            phrases = not (self._phrases_tone and self.judge.silent(source, unit, self.rules))
            findings = self.engine.scan(unit.text, unit, source, limit=2 * (MAX_FINDINGS - made) + 1000, phrases=phrases)
            if self.engine.truncated and len(self.judge.judge(source, unit, findings)) <= MAX_FINDINGS - made:
                findings = self.engine.scan(unit.text, unit, source, phrases=phrases)  # judging dropped too many: read it all
            for rule in self.engine.timed_out:  # that rule stopped; every other rule's findings stay
                if rule.code not in stopped:
                    stopped.add(rule.code)
                    rs, _ = unit.omap.raw_span(0, 0)
                    out.append((input_diagnostic(
                        source.path, TIMEOUT, f"rule {rule.code} ({rule.path}): its patterns ran out of time in "
                        "this file and were stopped; the other rules' findings are reported", source.raw, rs),
                        None, None))
            # a file of garbage (100,000 stray braces): memory and output stay bounded
            if findings:
                budget.at("judging its findings")
                findings = self.judge.judge(source, unit, findings)
                found = [f for f in findings if f.confidence >= minimum]
                if len(found) > MAX_FINDINGS - made or self.engine.truncated:
                    found, dropped = found[:MAX_FINDINGS - made], True
                made += len(found)
                out.extend((self._diagnostic(source, unit, f), unit if keep else None, f if keep else None)
                           for f in found)
        if dropped:
            out.append((input_diagnostic(source.path, TOO_MANY, (
                f"over {MAX_FINDINGS:,} findings in this file; only the first {MAX_FINDINGS:,} are reported "
                "(is it a reply library, or a file damaged into noise?)")), None, None))
        out.sort(key=lambda t: (t[0].start, t[0].end, t[0].rule))
        budget.at("applying its suppressions")
        return self._suppress(source, out)

    def _suppress(self, source: Source, out: list) -> list:
        """Drop what inline comments and per-file / per-macro ignores silence; report unused comments
        and directives in text customers receive."""
        config = self.config
        if self._ignored_internal:
            out = [t for t in out if t[0].rule not in self._ignored_internal]
        if not (config.per_file_ignores or config.per_item_ignores or "macrolint" in source.raw):
            return out
        from macrolint.linting import suppressions

        glob_path = config_relative(source.path, config.root)
        kept = suppressions.apply(
            source.path, [d for d, _, _ in out], source.raw, source.format,
            dict(config.per_file_ignores), dict(config.per_item_ignores),
            report_unused=self._report_unused, glob_path=glob_path, report_in_text=self._report_in_text,
            left_out=self._left_out)
        keep = {id(d) for d in kept}
        result = [t for t in out if id(t[0]) in keep]
        result += [(d, None, None) for d in kept if d.rule in (suppressions.UNUSED[0], suppressions.IN_TEXT[0])]
        result.sort(key=lambda t: (t[0].start, t[0].end, t[0].rule))
        return result

    def _diagnostic(self, source: Source, unit: Unit, f: Finding) -> Diagnostic:
        """A finding placed in its file (a code check's finding may carry the match to report,
        its span being a placeholder, and a suggestion)."""
        match, suggestion = f.match, f.suggestion
        rs, re_ = unit.omap.raw_span(f.start, f.end)
        line, col = source.lines.position(rs)
        end_line, end_col = source.lines.position(re_)
        if match is None:
            match = unit.text[f.start:f.end]
        suggestions = ((suggestion,) if suggestion else ()) + _suggestions(f, match, unit)
        # The line of the match, bounded: a minified export is one line of many megabytes.
        raw, line_start = source.raw, source.lines.starts[line - 1]
        lo = max(line_start, rs - SOURCE_CONTEXT)
        hi = min(len(raw), re_ + SOURCE_CONTEXT)
        line_end = raw.find("\n", rs, hi)
        src_line = raw[lo: line_end if line_end != -1 else hi].rstrip("\r")
        fix = fix_for(unit, f)
        positions = tuple((*source.lines.position(e.start), *source.lines.position(e.end)) for e in fix.edits) if fix else ()
        return Diagnostic(
            path=source.path, start=rs, end=re_, line=line, column=col, end_line=end_line, end_column=end_col,
            rule=f.rule.code, name=f.rule.name, category=f.rule.category, severity=f.rule.severity,
            message=_format_message(f.rule, match, f.replacement, suggestion), match=match, confidence=round(f.confidence, 3),
            suggestions=suggestions, fix=fix, edit_positions=positions, related=f.related,
            item=unit.item.as_dict() if unit.item else None, source_line=src_line, source_column=lo - line_start + 1,
        )

    def lint_text(self, text: str, format: str = "text", path: str = "<text>") -> list[Diagnostic]:
        if format not in readers.FORMATS:
            raise ValueError(f"unknown format {format!r}; one of {', '.join(readers.FORMATS)}")
        return self.lint_source(readers.read(path, text, format, self.config))

    # -- files ---------------------------------------------------------------------------------

    def read_bytes(self, path: str, data: bytes, fmt: Optional[str] = None) -> Source:
        """Decode and read a file's bytes (format by ``fmt``, else extension, else content);
        a problem (undecodable bytes, malformed data) lands in ``Source.problems``."""
        text, problem, encoding = decode(data)
        del data  # a large file's bytes are not kept beside its text while it is read
        if text is None:
            source = Source(path=path, raw="", format=fmt or "text")
            source.problems.append(ReadProblem(UNREADABLE[0], problem or "cannot decode"))
            return source
        fmt = fmt or readers.detect(path) or readers.sniff(text) or "text"
        source = readers.read(path, text, fmt, self.config)
        source.encoding = encoding
        return source

    def read_file(self, path: str, fmt: Optional[str] = None) -> Source:
        """Read one file into a ``Source``; a too large, unreadable or special file (a FIFO, a
        device: what a link planted in a repository may point to) carries one problem."""
        try:
            data = [files.read_bytes(path)]
        except files.Unread as exc:
            if exc.malformed:
                return _unread(path, fmt or readers.detect(path), MALFORMED, exc.message)
            return _unread(path, fmt, UNREADABLE, exc.message)
        return self.read_bytes(path, data.pop(), fmt)  # the only reference is read_bytes' own

    def check_file(self, path: str, fmt: Optional[str] = None) -> tuple[Optional[str], list[Diagnostic]]:
        """Read and lint one file, whatever happens: ``(why it was skipped, diagnostics)``. An
        unexpected error in macrolint itself becomes one ``IO900`` diagnostic for this file, so
        the other files of a run are still linted and reported."""
        try:
            with self.budget.file():
                source = self.read_file(path, fmt)
                if source.skipped is not None:
                    return source.skipped, []
                return None, self.lint_source(source)
        except FileTimeout as exc:
            return None, [self._timed_out(path, exc)]
        except Exception as exc:  # a bug of ours, whatever the input: reported, never the run's end
            return None, [internal_error(path, exc)]

    def survey_file(self, path: str, fmt: Optional[str] = None) -> tuple[Optional[str], list[Diagnostic], object]:
        """``check_file`` that also says what the library report needs of the file: its items,
        their words and texts (``library.facts.FileFacts``; None when the file was not read)."""
        from macrolint.linting.library.facts import file_facts

        try:
            with self.budget.file():
                source = self.read_file(path, fmt)
                if source.skipped is not None:
                    return source.skipped, [], None
                found = self.analyze(source)
                return None, [d for d, _, _ in found], file_facts(source, found)
        except FileTimeout as exc:
            return None, [self._timed_out(path, exc)], None
        except Exception as exc:  # as in check_file: one IO900, and the run goes on
            return None, [internal_error(path, exc)], None

    def _timed_out(self, path: str, exc: "FileTimeout") -> Diagnostic:
        return input_diagnostic(path, TIMEOUT, f"linting took longer than {self.budget.seconds:g} s "
                                f"(--timeout-per-file) and was stopped while {exc.stage}; the other files are linted")

    def check_bytes(self, path: str, data: bytes, fmt: Optional[str] = None) -> list[Diagnostic]:
        """``check_file`` for bytes already read (standard input)."""
        try:
            with self.budget.file():
                return self.lint_bytes(path, data, fmt)
        except FileTimeout as exc:
            return [self._timed_out(path, exc)]
        except Exception as exc:
            return [internal_error(path, exc)]

    def lint_bytes(self, path: str, data: bytes, fmt: Optional[str] = None) -> list[Diagnostic]:
        return self.lint_source(self.read_bytes(path, data, fmt))

    def pack_folders(self) -> list[Path]:
        """The folders of the packs this linter's config loads."""
        from macrolint.packs.load import resolve

        return [resolve(spec, self.config.root) for spec in (*self.config.packs, *self.config.extend_packs)]

    def lint_file(self, path: str, fmt: Optional[str] = None) -> list[Diagnostic]:
        return self.lint_source(self.read_file(path, fmt))

    def lint_paths(self, paths: Iterable[str], fmt: Optional[str] = None) -> Report:
        """Lint files and folders; data files of no known shape are listed in ``skipped``."""
        report = Report()
        for path in files.iter_files(paths, self.config):
            skipped, diagnostics = self.check_file(path, fmt)
            if skipped is not None:
                report.skipped.append((path, skipped))
                continue
            report.files += 1
            report.diagnostics.extend(diagnostics)
        return report


_DEFAULT: dict[int, Linter] = {}


def _linter(config: Optional[Config]) -> Linter:
    if config is None:
        if 0 not in _DEFAULT:
            _DEFAULT[0] = Linter(Config())
        return _DEFAULT[0]
    return Linter(config)


def lint_text(text: str, *, format: str = "text", config: Optional[Config] = None) -> list[Diagnostic]:
    """Lint one text (``format``: text, markdown, html, tag, json, yaml or csv); offsets refer to ``text``."""
    return _linter(config).lint_text(text, format)


def lint_paths(paths: Iterable[str] | str, config: Optional[Config] = None) -> list[Diagnostic]:
    """Lint files and directories; returns every diagnostic, in file order. Without ``config``
    each file uses the nearest config above it, as the command line does."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [str(paths)]
    paths = [str(p) for p in paths]
    if config is not None:
        return _linter(config).lint_paths(paths).diagnostics
    from macrolint.packs.configtree import ConfigTree

    tree = ConfigTree()
    made: dict[int, Linter] = {}
    out: list[Diagnostic] = []
    for path in files.iter_files(paths, tree):
        cfg = tree.for_path(path)
        linter = made.get(id(cfg)) or made.setdefault(id(cfg), Linter(cfg))
        out.extend(linter.check_file(path)[1])
    return out
