"""Inline suppressions, per-file and per-item ignores, and the reports of directives that do nothing.

In Markdown and HTML (comments are invisible to readers of the article)::

    <!-- macrolint-disable-next-line BL001 -- quoting the customer -->
    <!-- macrolint-disable RB --> ... <!-- macrolint-enable RB -->
    <!-- macrolint: disable --> ... <!-- macrolint: enable -->

In reStructuredText and AsciiDoc, in a comment line::

    .. macrolint-disable-next-line BL001 -- quoting the customer
    // macrolint-disable-next-line BL001 -- quoting the customer

In YAML (and ``.tag`` headers)::

    comment: |   # macrolint: ignore BL002 -- legal wording
    # macrolint: ignore VG001            (on its own line: the next line, or block)

Codes may be rule codes, prefixes, categories or rule names; none means every rule. A
suppression that silences nothing is reported as ``ML001 unused-suppression``.

A directive counts only in a comment readers never see (``comments`` finds them): not in a YAML
string, a ``.tag`` body or title, an HTML attribute value or ``<textarea>``. There it is part of
the text customers receive, so a reply could carry both the phrase and a visible "macrolint:
ignore": it suppresses nothing and is reported as ``ML002 suppression-in-text`` (``Stray``). One
shown in Markdown code is an example, and one in ``<script>`` or ``<style>`` is code: neither
counts nor is reported.
"""
from __future__ import annotations

import fnmatch
from typing import Mapping, NamedTuple, Optional, Sequence

from macrolint.linting.directives import (
    HTML_DIRECTIVE,
    Stray,
    Suppression,
    codes_and_reason,
    names_rule,
    parse,
    scan,
)
from macrolint.model import Diagnostic, Severity
from macrolint.readers import comments
from macrolint.text.paths import glob_match

__all__ = ["Stray", "Suppression", "apply", "names_rule", "parse", "scan"]

UNUSED = ("ML001", "unused-suppression")
IN_TEXT = ("ML002", "suppression-in-text")
#: Where a stray directive sits (``Stray.place``), and what to do instead, for ML002's message.
PLACES = {
    "yaml": ("a YAML string", "put it in a YAML comment outside the reply (or use per-file-ignores)"),
    "tag-title": ("the tag's title", "put it on a header line of its own above the title (or use per-file-ignores)"),
    "tag-body": ("the tag's body", "a tag's body has no comments: use per-file-ignores"),
    comments.ATTRIBUTE: ("an HTML attribute value", "put it in an HTML comment outside the tag (or use per-file-ignores)"),
    **{name: (f"a <{name}> element", f"put it in an HTML comment outside the <{name}> (or use per-file-ignores)")
       for name in comments.SHOWN_RAW_TEXT},
}


def _item_matches(item: Optional[dict], key: str) -> bool:
    if not item:
        return False
    kind, sep, pattern = key.partition(":")
    if not sep or kind not in ("id", "title"):  # a bare glob: the macro's id or its title
        return (item.get("id") is not None and fnmatch.fnmatchcase(str(item["id"]), key)) or (
            item.get("title") is not None and fnmatch.fnmatch(str(item["title"]), key))
    if kind == "id":
        return item.get("id") is not None and fnmatch.fnmatchcase(str(item["id"]), pattern)
    if kind == "title":
        return item.get("title") is not None and fnmatch.fnmatch(str(item["title"]), pattern)
    return False


def _ignored(d: Diagnostic, per_file_hit: list[Sequence[str]], per_item: Mapping[str, Sequence[str]]) -> bool:
    """Whether a per-file or per-item ignore names ``d``."""
    return (any(names_rule(c, d) for codes in per_file_hit for c in codes)
            or any(_item_matches(d.item, key) and any(names_rule(c, d) for c in codes) for key, codes in per_item.items()))


def _silenced(diagnostics: Sequence[Diagnostic], suppressions: Sequence[Suppression], used: dict[int, bool]) -> set[int]:
    """The indices of the diagnostics an inline suppression covers; each suppression that covers
    one is marked ``used``. A sweep in line order: a diagnostic is checked against the
    suppressions open on its line, not against every one in the file."""
    pending = sorted(suppressions, key=lambda s: s.first)
    open_: list[Suppression] = []
    j = 0
    out: set[int] = set()
    for i in sorted(range(len(diagnostics)), key=lambda i: diagnostics[i].line):
        d = diagnostics[i]
        while j < len(pending) and pending[j].first <= d.line:
            open_.append(pending[j])
            j += 1
        open_ = [s for s in open_ if s.last >= d.line]
        for s in open_:
            if s.covers(d):
                used[s.offset] = True
                out.add(i)
    return out


def apply(path: str, diagnostics: Sequence[Diagnostic], raw: str, fmt: str,
          per_file: Mapping[str, Sequence[str]] = {}, per_item: Mapping[str, Sequence[str]] = {},
          report_unused: bool = True, glob_path: Optional[str] = None,
          report_in_text: bool = True, left_out: Sequence = ()) -> list[Diagnostic]:
    """Drop suppressed diagnostics; add one ``ML001`` for each inline suppression that silenced
    nothing, and one ``ML002`` for each directive in text customers receive.

    ``left_out``: the rules ``--select`` / ``--ignore`` left out of this run; a suppression that
    names one of them (or all rules) may be needed by the full run, so it is not reported.

    ``per_file`` globs match ``glob_path`` (the path relative to the config file) when given."""
    glob_path = glob_path if glob_path is not None else path
    per_file_hit = [codes for g, codes in per_file.items() if glob_match(glob_path, g)]
    suppressions, strays = scan(raw, fmt) if raw and ("macrolint" in raw) else ([], [])
    used: dict[int, bool] = {s.offset: False for s in suppressions}  # one comment may cover several ranges
    inline = [d for d in diagnostics if d.category != "input" and not _ignored(d, per_file_hit, per_item)]
    silenced = _silenced(inline, suppressions, used)
    left = {id(d) for i, d in enumerate(inline) if i not in silenced}
    kept = [d for d in diagnostics if d.category == "input" or id(d) in left]
    if report_unused:
        reported = set()
        for s in suppressions:
            if not used[s.offset] and s.offset not in reported and not _may_be_needed(s, left_out):
                reported.add(s.offset)
                kept.append(unused_diagnostic(path, s))
    if report_in_text:
        kept.extend(in_text_diagnostic(path, s) for s in strays)
    return kept


_Named = NamedTuple("_Named", [("rule", str), ("name", str), ("category", str)])  # what names_rule reads


def _may_be_needed(s: "Suppression", left_out: Sequence) -> bool:
    """Whether a rule the run left out could be what ``s`` is there for."""
    if not left_out:
        return False
    if s.codes is None:
        return True
    return any(names_rule(c, _Named(r.code, r.name, r.category)) for r in left_out for c in s.codes)


def _directive_diagnostic(path: str, offset: int, line: int, column: int, text: str,
                          code: tuple[str, str], message: str) -> Diagnostic:
    return Diagnostic(
        path=path, start=offset, end=offset + len(text), line=line, column=column,
        end_line=line, end_column=column + len(text.split("\n")[0]), rule=code[0], name=code[1],
        category="suppression", severity=Severity.WARNING, message=message, match=text,
        source_line=text.split("\n")[0], source_column=column,
    )


def unused_diagnostic(path: str, s: Suppression) -> Diagnostic:
    codes, _ = codes_and_reason(HTML_DIRECTIVE.match(s.text).group("rest")) if HTML_DIRECTIVE.match(s.text) else (s.codes, None)
    what = ", ".join(codes) if codes else "all rules"
    return _directive_diagnostic(path, s.offset, s.line, s.column, s.text, UNUSED,
                                 f"suppression of {what} silences nothing here; remove it")


def in_text_diagnostic(path: str, s: Stray) -> Diagnostic:
    where, instead = PLACES[s.place]
    return _directive_diagnostic(
        path, s.offset, s.line, s.column, s.text, IN_TEXT,
        f"“{s.head}” is in {where}, part of the text customers receive; it suppresses nothing here — {instead}")
