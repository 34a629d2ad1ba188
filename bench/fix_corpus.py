#!/usr/bin/env python3
"""Apply every fix (``fix --unsafe-fixes``) to a copy of the reference corpus and check the result.

The corpus is copied to a temporary folder (the original is never written). For every file the
fixes change, it checks that
  * a JSON, YAML or CSV file still parses with the standard parser (json, yaml.safe_load_all, csv);
  * the placeholders the readers find are the same, in the same order, before and after;
  * only lines holding fixed text changed: each changed line is a line of an applied fix (its
    match or one of its edits: a rewrite may add words after the clause it keeps), and
    no line was added or removed;
  * the prose a fix edited reads well: no joined words, no stray capital, no doubled space or
    punctuation, numbers, negations and quoted lines kept (``prose_damage``).
Then it prints counts: files changed, fixes applied by rule, lines changed (``git diff --no-index
--numstat`` when git is available), files that parse, files whose placeholders are intact.

Usage: python bench/fix_corpus.py [CORPUS_DIR] [--keep DIR] [--json]
       (default corpus: ../shared/corpus next to the repo; exit 1 when a check fails)
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import yaml

from macrolint.fixing.apply import fix_file
from macrolint.linting.files import iter_files
from macrolint.linting.linter import Linter
from macrolint.model import Applicability
from macrolint.packs.config import Config, find_config, load_config

sys.path.insert(0, str(Path(__file__).resolve().parent))
from prose_damage import file_damage  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"


@dataclass
class Report:
    files: int = 0
    changed: int = 0
    fixes: Counter = field(default_factory=Counter)
    dropped: int = 0
    not_converged: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    data_changed: int = 0
    parse_ok: int = 0
    placeholders_ok: int = 0
    lines_changed: int = 0
    numstat: Optional[tuple[int, int]] = None
    failures: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures


def placeholders(linter: Linter, path: str) -> list[str]:
    """The placeholders the readers find in a file, in file order."""
    source = linter.read_file(path)
    return [source.raw[s:e] for unit in source.units for s, e, _ in unit.placeholders]


def parse_problem(path: str, data: bytes) -> Optional[str]:
    """Why a data file no longer parses with the standard parser, or None."""
    suffix = Path(path).suffix.lower()
    text = data.decode("utf-8-sig") if not data.startswith((b"\xff\xfe", b"\xfe\xff")) else data.decode("utf-16")
    try:
        if suffix == ".json":
            json.loads(text)
        elif suffix in (".yaml", ".yml"):
            list(yaml.safe_load_all(text))
        elif suffix in (".csv", ".tsv"):
            list(csv.reader(io.StringIO(text, newline="")))
        else:
            return None
    except (ValueError, yaml.YAMLError, csv.Error) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def changed_lines(before: str, after: str) -> Optional[set[int]]:
    """1-based numbers of the lines that differ, or None when lines were added or removed."""
    old, new = before.splitlines(), after.splitlines()
    if len(old) != len(new):
        return None
    return {i + 1 for i, (a, b) in enumerate(zip(old, new)) if a != b}


def git_numstat(original: Path, copy: Path) -> Optional[tuple[int, int]]:
    """Lines added and deleted between two folders, as ``git diff --no-index --numstat`` counts them."""
    try:
        out = subprocess.run(["git", "diff", "--no-index", "--numstat", str(original), str(copy)],
                             capture_output=True, text=True, timeout=120).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    added = deleted = 0
    for line in out.splitlines():
        a, d, _ = line.split("\t", 2)
        if a != "-":
            added, deleted = added + int(a), deleted + int(d)
    return added, deleted


def copy_writable(corpus: Path, root: Path) -> None:
    """Copy ``corpus`` to ``root`` with the owner's write bit on: the corpus may be read-only (a
    shared checkout), and fixing leaves a read-only file alone."""
    shutil.copytree(corpus, root)
    for path in (root, *root.rglob("*")):
        path.chmod(path.stat().st_mode | stat.S_IWUSR)


def fix_corpus(corpus: Path, work: Path) -> Report:
    """Copy ``corpus`` into ``work``, fix it with unsafe fixes, and check every changed file."""
    started = time.perf_counter()
    root = work / corpus.name
    copy_writable(corpus, root)
    found = find_config(root)
    linter = Linter(load_config(found) if found else Config())
    report = Report()
    for path in iter_files([str(root)], linter.config):
        report.files += 1
        data = Path(path).read_bytes()
        before = placeholders(linter, path)
        result = fix_file(linter, path, Applicability.UNSAFE)
        report.dropped += len(result.dropped)
        if not result.converged:
            report.not_converged.append(path)
        if result.error:
            report.errors.append(f"{path}: {result.error}")
        after_data = Path(path).read_bytes()
        if after_data == data:
            continue
        rel = str(Path(path).relative_to(root))
        report.changed += 1
        report.fixes.update(d.rule for d in result.applied)
        problem = parse_problem(path, after_data)
        if Path(path).suffix.lower() in (".json", ".yaml", ".yml", ".csv", ".tsv"):
            report.data_changed += 1
            if problem is None:
                report.parse_ok += 1
            else:
                report.failures.append(f"{rel}: no longer parses ({problem})")
        if placeholders(linter, path) == before:
            report.placeholders_ok += 1
        else:
            report.failures.append(f"{rel}: placeholders changed")
        for problem in file_damage(linter, path, result.original, result.text, linter.read_file(path).format):
            report.failures.append(f"{rel}: {problem}")
        lines = changed_lines(result.original, result.text)
        if lines is None:
            report.failures.append(f"{rel}: lines were added or removed")
            continue
        report.lines_changed += len(lines)
        fixed_lines = {n for d in result.applied for n in range(d.line, d.end_line + 1)}
        fixed_lines |= {n for d in result.applied for pos in d.edit_positions for n in range(pos[0], pos[2] + 1)}
        stray = sorted(lines - fixed_lines)
        if stray:
            report.failures.append(f"{rel}: lines {stray[:5]} changed but hold no fixed text")
    report.numstat = git_numstat(corpus, root)
    report.seconds = time.perf_counter() - started
    return report


def render(report: Report) -> str:
    out = [f"files checked:        {report.files}",
           f"files changed:        {report.changed}",
           f"fixes applied:        {sum(report.fixes.values())}"]
    for rule, n in sorted(report.fixes.items(), key=lambda kv: (-kv[1], kv[0])):
        out.append(f"  {rule:<8} {n}")
    out.append(f"fixes dropped:        {report.dropped}")
    out.append(f"lines changed:        {report.lines_changed}")
    if report.numstat is not None:
        out.append(f"git diff --numstat:   {report.numstat[0]} insertions(+), {report.numstat[1]} deletions(-)")
    out.append(f"data files parse OK:  {report.parse_ok} of {report.data_changed} changed JSON/YAML/CSV files")
    out.append(f"placeholders intact:  {report.placeholders_ok} of {report.changed} changed files")
    out.append(f"not converged:        {len(report.not_converged)}")
    out.append(f"left unchanged (error): {len(report.errors)}")
    out += [f"  {e}" for e in report.errors]
    out.append(f"failures:             {len(report.failures)}")
    out += [f"  {f}" for f in report.failures]
    out.append(f"time:                 {report.seconds:.1f} s")
    return "\n".join(out)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(CORPUS))
    parser.add_argument("--keep", help="fix the copy in this folder and keep it (default: a temporary folder)")
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")
    args = parser.parse_args(argv)
    corpus = Path(args.corpus).resolve()
    if not corpus.is_dir():
        print(f"no corpus at {corpus}", file=sys.stderr)
        return 2
    if args.keep:
        Path(args.keep).mkdir(parents=True, exist_ok=True)
        report = fix_corpus(corpus, Path(args.keep))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            report = fix_corpus(corpus, Path(tmp))
    if args.json:
        print(json.dumps({"files": report.files, "changed": report.changed, "fixes": dict(report.fixes),
                          "dropped": report.dropped, "lines_changed": report.lines_changed,
                          "numstat": report.numstat, "data_changed": report.data_changed,
                          "parse_ok": report.parse_ok, "placeholders_ok": report.placeholders_ok,
                          "errors": report.errors, "failures": report.failures,
                          "seconds": round(report.seconds, 1)}, indent=2))
    else:
        print(render(report))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
