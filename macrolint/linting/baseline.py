"""Baselines: record today's findings, then report only new ones.

An entry names what a finding is, not where it sits: path (relative to the baseline file), the
macro's id or title, the rule and the matched words. Editing elsewhere in a file therefore does
not bring recorded findings back, and a phrase recorded twice in a file may appear twice.
"""
from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Optional, Sequence

from macrolint._version import __version__
from macrolint.model import Diagnostic
from macrolint.storage import safewrite
from macrolint.text.paths import posix_path

VERSION = 1


class BaselineError(Exception):
    """A baseline file that cannot be read."""


def _key(d: Diagnostic, base: Path) -> tuple[str, str, str, str]:
    try:
        rel = os.path.relpath(os.path.realpath(d.path), base)
    except ValueError:  # another drive on Windows
        rel = d.path
    item = d.item or {}
    label = item.get("id") or item.get("title") or ""
    return posix_path(rel), str(label), d.rule, " ".join(d.match.casefold().split())


def write(path: str, diagnostics: Sequence[Diagnostic], force: bool = False) -> int:
    """Record ``diagnostics`` in a baseline file; returns how many entries it holds.

    The file is written whole or not at all through ``safewrite.replace``: ``WriteRefused`` when
    it may not be (a link, a hard-linked or read-only file, unless ``force``; anything but a
    regular file) or cannot be (a folder that cannot be written)."""
    base = Path(path).resolve().parent
    counts = Counter(_key(d, base) for d in diagnostics if d.category != "input")
    entries = [{"path": p, "item": i or None, "rule": r, "match": m, "count": n}
               for (p, i, r, m), n in sorted(counts.items())]
    doc = {"version": VERSION, "tool": {"name": "macrolint", "version": __version__}, "findings": entries}
    text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a file name that is not UTF-8: its bytes kept as \udcXX escapes
        data = (json.dumps(doc, ensure_ascii=True, indent=1) + "\n").encode("ascii")
    safewrite.replace(path, data, None, force)
    return sum(counts.values())


def load(path: str) -> tuple[Path, Counter]:
    """The folder entries are relative to, and the recorded counts."""
    try:
        doc = json.loads(_read(path))
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
    except (ValueError, RecursionError) as exc:
        raise BaselineError(f"{path}: not a macrolint baseline (invalid JSON: {str(exc)[:200]})") from None
    if not isinstance(doc, dict) or doc.get("version") != VERSION or not isinstance(doc.get("findings"), list):
        raise BaselineError(f"{path}: not a version {VERSION} macrolint baseline; write a new one with --write-baseline")
    counts: Counter = Counter()
    for n, e in enumerate(doc["findings"], 1):
        key = _entry_key(e)
        count = e.get("count", 1) if isinstance(e, dict) else None
        if key is None or type(count) is not int or count < 1:
            raise BaselineError(f"{path}: finding #{n} is malformed (it needs path, item, rule, match as text "
                                f"and a whole count of 1 or more): {str(e)[:200]}")
        counts[key] += count
    return Path(path).resolve().parent, counts


def _read(path: str) -> bytes:
    """A baseline's bytes; a FIFO or device named as one is refused, not waited on."""
    import stat

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, "not a regular file")
        with os.fdopen(os.dup(fd), "rb") as fh:
            return fh.read()
    finally:
        os.close(fd)


def _entry_key(e) -> Optional[tuple[str, str, str, str]]:
    """The key a baseline entry records, or None when it is not one."""
    if not isinstance(e, dict):
        return None
    fields = (e.get("path"), e.get("item") or "", e.get("rule"), e.get("match"))
    return fields if all(isinstance(f, str) for f in fields) else None


def compare(diagnostics: Sequence[Diagnostic], baseline: tuple[Path, Counter]) -> tuple[list[Diagnostic], list[dict]]:
    """``(new, fixed)``: the diagnostics the baseline does not account for (``new_only``), and
    the baseline's entries no diagnostic accounts for any more, as ``{path, item, rule, match,
    count}`` (``count``: how many of that entry are gone)."""
    base, counts = baseline
    new = new_only(diagnostics, baseline)
    left = Counter(counts)
    left.subtract(_key(d, base) for d in diagnostics if d.category != "input")
    fixed = [{"path": p, "item": i or None, "rule": r, "match": m, "count": n}
             for (p, i, r, m), n in sorted(left.items()) if n > 0]
    return new, fixed


def new_only(diagnostics: Sequence[Diagnostic], baseline: tuple[Path, Counter]) -> list[Diagnostic]:
    """The diagnostics the baseline does not account for (in file order, the first ones are)."""
    base, counts = baseline
    left = Counter(counts)
    out = []
    for d in sorted(diagnostics, key=lambda d: (d.path, d.start, d.end, d.rule)):
        key = _key(d, base)
        if d.category != "input" and left[key] > 0:
            left[key] -= 1
            continue
        out.append(d)
    order = {id(d): i for i, d in enumerate(diagnostics)}
    return sorted(out, key=lambda d: order[id(d)])
