"""Applying fixes to whole files, safely.

Fixes at or above the requested applicability are applied in passes: in each pass, findings are
taken in file order and a fix is skipped when it overlaps one already taken (it is picked up by
the next pass, after re-linting). Passes repeat until nothing applies, at most ``MAX_PASSES``
times; a file still changing then is reported as not converging.

Every edit is checked before it is taken: it may not touch or create a placeholder, an HTML
tag or a masked region. After the passes the new text must read back cleanly (same number of
units, same items, no new read problems) with the same placeholders and tags as before, or the
file is left alone. Files are written in their own encoding, BOM and line endings, through
``safewrite.replace``: a file that changed since it was read, a link, a hard-linked or read-only
file is not written (unless forced), and the refusal is the file's ``error``.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Optional

from macrolint import readers
from macrolint.linting.linter import Linter
from macrolint.model import Applicability, Diagnostic, Edit
from macrolint.storage import safewrite
from macrolint.text.decoding import encode
from macrolint.text.document import MASK, Source
from macrolint.text.masking import find_placeholders

MAX_PASSES = 10
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")


class FixResult:
    """The outcome of fixing one text (filled in as fixing goes)."""

    __slots__ = ("path", "original", "text", "applied", "remaining", "dropped", "converged", "error")

    def __init__(self, path: str, original: str, text: str, applied: Optional[list[Diagnostic]] = None,
                 remaining: Optional[list[Diagnostic]] = None, dropped: Optional[list[tuple[Diagnostic, str]]] = None,
                 converged: bool = True, error: Optional[str] = None):
        self.path = path
        self.original = original
        self.text = text
        self.applied: list[Diagnostic] = [] if applied is None else applied
        self.remaining: list[Diagnostic] = [] if remaining is None else remaining
        self.dropped: list[tuple[Diagnostic, str]] = [] if dropped is None else dropped
        self.converged = converged
        self.error = error

    def __repr__(self) -> str:
        return (f"FixResult(path={self.path!r}, applied={len(self.applied)}, remaining={len(self.remaining)}, "
                f"dropped={len(self.dropped)}, converged={self.converged}, error={self.error!r})")

    @property
    def changed(self) -> bool:
        return self.text != self.original and self.error is None


def _protected(source: Source) -> Counter:
    """Placeholders and tags of a source: what no fix may change."""
    found: Counter = Counter()
    for unit in source.units:
        for s, e, _ in unit.placeholders:
            found[source.raw[s:e]] += 1
    if source.format in ("html", "markdown") or any(u.encode is not str for u in source.units):
        found.update("tag:" + t for t in _TAG.findall(source.raw))
    return found


def _shape(source: Source) -> list:
    """What must survive a fix: the units and the items they belong to (titles may be fixed)."""
    return [(u.item.id, u.item.field) if u.item else None for u in source.units]


def content_problem(text: str, where: str = "replacement") -> Optional[str]:
    """Why ``text`` may not be written or replaced by a fix: it holds a placeholder or markup."""
    if find_placeholders(text):
        return f"the {where} contains a placeholder"
    if _TAG.search(text) or MASK in text:
        return f"the {where} contains markup"
    return None


def _edit_problem(raw: str, edit: Edit) -> Optional[str]:
    return content_problem(raw[edit.start:edit.end], "replaced text") or content_problem(edit.content)


def apply_edits(raw: str, edits: list[Edit]) -> str:
    """Apply sorted, non-overlapping edits."""
    parts, pos = [], 0
    for e in edits:
        parts.append(raw[pos:e.start])
        parts.append(e.content)
        pos = e.end
    parts.append(raw[pos:])
    return "".join(parts)


def _reread(path: str, text: str, fmt: str, config, shape: list, protected: Counter) -> tuple[Optional[str], Source]:
    """Read ``text`` back; the reason it is not the same document with the same placeholders, or None."""
    source = readers.read(path, text, fmt, config)
    if source.problems or _shape(source) != shape:
        return "the fixed text no longer reads as the same document", source
    if _protected(source) != protected:
        return "a fix would change a placeholder or a tag", source
    return None, source


def _refusal_key(diag: Diagnostic, text: str, edits: list[Edit]) -> tuple:
    """A fix refused once stays refused in later passes, where offsets may have moved."""
    return (diag.rule, text[max(0, edits[0].start - 40):edits[-1].end + 40],
            tuple((text[e.start:e.end], e.content) for e in edits))


def fix_text(linter: Linter, path: str, raw: str, fmt: str, at_least: Applicability = Applicability.SAFE,
             choose=None) -> FixResult:
    """Fix ``raw`` (a whole file's decoded text) with every fix at or above ``at_least``.

    ``choose(diagnostic) -> Optional[list[Edit]]`` may override which edits a finding gets
    (interactive review); by default it is the finding's own fix. When the text of a pass does
    not read back as the same document, its fixes are tried one by one and those that break it
    are dropped (and reported) on their own."""
    result = FixResult(path, raw, raw)
    config = linter.config
    source = readers.read(path, raw, fmt, config)
    protected = _protected(source)
    shape = _shape(source)
    refused: set = set()
    text = raw
    for _ in range(MAX_PASSES):
        analyzed = linter.analyze(source)
        candidates: list[tuple[Diagnostic, list[Edit]]] = []
        last_end = -1
        for diag, unit, finding in analyzed:
            if choose is not None:
                chosen = choose(diag, unit, finding)
            elif diag.fix is not None and diag.fix.applicability >= at_least:
                chosen = list(diag.fix.edits)
            else:
                chosen = None
            if not chosen:
                continue
            if chosen[0].start < last_end:
                continue  # overlaps a fix taken in this pass: next pass
            if _refusal_key(diag, text, chosen) in refused:
                continue
            problem = next(filter(None, (_edit_problem(text, e) for e in chosen)), None)
            if problem:
                result.dropped.append((diag, problem))
                continue
            candidates.append((diag, chosen))
            last_end = chosen[-1].end
        if not candidates:
            break
        new_text = apply_edits(text, [e for _, chosen in candidates for e in chosen])
        problem, new_source = _reread(path, new_text, fmt, config, shape, protected)
        if problem:
            kept: list[tuple[Diagnostic, list[Edit]]] = []
            for diag, chosen in candidates:
                trial = apply_edits(text, [e for _, c in kept for e in c] + chosen)
                problem, trial_source = _reread(path, trial, fmt, config, shape, protected)
                if problem:
                    refused.add(_refusal_key(diag, text, chosen))
                    result.dropped.append((diag, problem))
                else:
                    kept.append((diag, chosen))
                    new_text, new_source = trial, trial_source
            if not kept:
                break
            candidates = kept
        text, source = new_text, new_source
        result.applied.extend(diag for diag, _ in candidates)
        if choose is not None:
            break  # a review applies each accepted rewrite once
    else:
        result.converged = False
    if text != raw:
        result.error, _ = _reread(path, text, fmt, config, shape, protected)
        if result.error:
            result.error += "; left unchanged"
    result.text = raw if result.error else text
    final = readers.read(path, result.text, fmt, config)
    result.remaining = linter.lint_source(final)
    return result


def fix_file(linter: Linter, path: str, at_least: Applicability = Applicability.SAFE, write: bool = True,
             fmt: Optional[str] = None, force: bool = False) -> FixResult:
    """Fix one file; writes it only when something changed and it reads back identically."""
    return fix_file_with(linter, path, None, write=write, at_least=at_least, fmt=fmt, force=force)


def fix_file_with(linter: Linter, path: str, choose, write: bool = True, keep=lambda: True,
                  at_least: Applicability = Applicability.SAFE, fmt: Optional[str] = None,
                  force: bool = False) -> FixResult:
    """Fix one file with ``choose`` picking edits (see ``fix_text``), then write it safely.

    ``write=False`` computes the fixed text without writing it (``--diff``); ``keep()`` returning
    False throws the fixes away (a review abandoned with ``x``); ``force`` writes what
    ``safewrite`` refuses by default (links, hard-linked and read-only files)."""
    from macrolint.text.decoding import decode

    try:  # before reading: an edit made during the read or the fixing is then seen at the write
        stamp = safewrite.FileStamp.of(path, follow_links=force)
    except OSError:
        stamp = None  # the read says why; a file that only appeared meanwhile is linted, not fixed
    source = linter.read_file(path, fmt)
    if stamp is None or source.problems or source.skipped is not None:
        return FixResult(path, source.raw, source.raw, remaining=linter.lint_source(source))
    encoding = source.encoding
    result = fix_text(linter, path, source.raw, source.format, at_least, choose=choose)
    if result.changed and not keep():
        result.text = result.original
        result.applied = []
    if result.changed and decode(encode(result.text, encoding))[0] != result.text:
        result.error = "the fixed text would not read back the same; left unchanged"
        result.text = result.original
    if result.changed and write:
        try:
            safewrite.replace(path, encode(result.text, encoding), stamp, force)
        except safewrite.WriteRefused as exc:
            result.error = f"not written: {exc.reason}"
            result.text, result.applied = result.original, []
            result.remaining = linter.lint_source(source)  # what the file, as it is, still holds
    return result


def unified_diff(results) -> str:
    """The changes of ``results`` as one unified diff ``git apply`` takes (``a/path``, ``b/path``)."""
    import difflib
    import os

    out = []
    for r in results:
        if r.changed:
            name = os.path.normpath(r.path).replace(os.sep, "/")
            out.append("".join(difflib.unified_diff(r.original.splitlines(True), r.text.splitlines(True),
                                                    f"a/{name}", f"b/{name}")))
    return "".join(out)
