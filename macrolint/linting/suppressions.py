"""Inline suppressions, per-file and per-item ignores, and the reports of directives that do nothing.

In Markdown and HTML (comments are invisible to readers of the article)::

    <!-- macrolint-disable-next-line BL001 -- quoting the customer -->
    <!-- macrolint-disable RB --> ... <!-- macrolint-enable RB -->
    <!-- macrolint: disable --> ... <!-- macrolint: enable -->

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

import bisect
import fnmatch
import re
from typing import Callable, Iterable, Mapping, NamedTuple, Optional, Sequence

from macrolint.model import Diagnostic, Severity
from macrolint.readers import comments
from macrolint.text.document import LineIndex
from macrolint.text.paths import glob_match

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
_PREFIX = re.compile(r"^[A-Z]{1,4}[0-9]{0,2}$")
_HTML = re.compile(
    r"<!--\s*macrolint(?:-|:\s*)(?P<verb>disable-next-line|disable-line|disable|enable)\b(?P<rest>.*?)-->", re.S)
_YAML = re.compile(r"#\s*macrolint:\s*ignore\b(?P<rest>[^\n]*)")
_HEADER = r"[|>](?:[1-9][+-]?|[+-][1-9]?)?"  # block scalar header: indentation and chomping, either order
_BLOCK_KEY = re.compile(rf":\s*{_HEADER}\s*(?:#.*)?$|^\s*-\s*{_HEADER}\s*(?:#.*)?$")
#: Markdown code (fenced blocks and inline spans): a suppression shown there is an example, not a directive.
_MD_CODE = re.compile(r"(?ms)^[ ]{0,3}(?P<fence>`{3,}|~{3,})[^\n]*\n.*?(?:^[ ]{0,3}(?P=fence)[ \t]*$|\Z)|(?P<ticks>`+)[^`].*?(?P=ticks)")


class Suppression(NamedTuple):
    """Lines ``first..last`` (1-based, inclusive) where ``codes`` (None = all) are silenced."""

    first: int
    last: int
    codes: Optional[tuple[str, ...]]
    offset: int
    line: int
    column: int
    text: str
    reason: Optional[str] = None
    #: With ``codes`` None: rules re-enabled inside a disable-all block.
    exempt: tuple[str, ...] = ()

    def covers(self, d: Diagnostic) -> bool:
        if not (self.first <= d.line <= self.last):
            return False
        if self.codes is None:
            return not any(names_rule(c, d) for c in self.exempt)
        return any(names_rule(c, d) for c in self.codes)


class Stray(NamedTuple):
    """A directive in text customers receive, at ``place`` (a ``PLACES`` key): it suppresses nothing."""

    offset: int
    line: int
    column: int
    text: str
    head: str  # the directive without its codes, as the message quotes it
    place: str


def names_rule(selector: str, d: Diagnostic) -> bool:
    """Whether a selector (code, prefix, category, rule name, ``all``) names a diagnostic's rule."""
    if selector.lower() == "all":
        return True
    return (selector in (d.rule, d.name, d.category)
            or (_PREFIX.match(selector) is not None and d.rule.startswith(selector)))


def _codes_and_reason(rest: str) -> tuple[Optional[tuple[str, ...]], Optional[str]]:
    rest, _, reason = rest.partition("--")
    codes = tuple(c for c in re.split(r"[\s,]+", rest.strip()) if c)
    return (codes or None), (reason.strip() or None)


def _next_content_line(lines: list[str]) -> Callable[[int], int]:
    """A function giving the first non-blank line after a line (1-based; the next one when none
    is left). It remembers: directives on one line all ask from it, and a long blank run after
    it is walked once."""
    found: dict[int, int] = {}

    def after(line: int) -> int:
        if line not in found:
            i = line
            while i < len(lines) and not lines[i].strip():
                i += 1
            found[line] = i + 1 if i < len(lines) else line + 1
        return found[line]

    return after


def _within(spans: Sequence[tuple[int, int]], starts: Sequence[int], offset: int) -> bool:
    """Whether ``offset`` lies in one of ``spans`` (sorted, not overlapping; ``starts`` theirs)."""
    i = bisect.bisect_right(starts, offset) - 1
    return i >= 0 and offset < spans[i][1]


def _html_matches(raw: str, start: int, end: int) -> Iterable[re.Match]:
    """The ``<!-- macrolint… -->`` directives in ``raw[start:end]``. Searching no further than
    the last ``-->`` keeps it linear: an unclosed ``<!-- macrolint`` would make the lazy match
    run on to the end, once for each one."""
    last = raw.rfind("-->", start, end)
    return _HTML.finditer(raw, start, last + 3) if last != -1 else ()


def _stray(m: re.Match, index: LineIndex, place: str) -> Stray:
    line, col = index.position(m.start())
    head = " ".join(m.string[m.start():m.start("rest")].split())
    return Stray(m.start(), line, col, m.group().strip(), head + (" -->" if head.startswith("<!--") else ""), place)


def _indented_end(lines: list[str], line: int) -> int:
    """Last line (1-based) of what hangs under ``line``: the lines after it indented deeper."""
    head = lines[line - 1]
    indent = len(head) - len(head.lstrip())
    last = line
    for i in range(line, len(lines)):
        text = lines[i]
        if not text.strip():
            continue
        if len(text) - len(text.lstrip()) <= indent:
            break
        last = i + 1
    return last


def _block_end(lines: list[str], key_line: int) -> int:
    """Last line of a YAML block scalar whose indicator is on ``key_line`` (1-based); a line past
    the end (a comment on the last line points at the line after it) is its own last line."""
    if key_line > len(lines):
        return key_line
    key = lines[key_line - 1]
    if not _BLOCK_KEY.search(key.split(" #")[0] if " #" in key else key):
        return key_line
    return _indented_end(lines, key_line)


def parse(raw: str, fmt: str) -> list[Suppression]:
    """Every suppression comment in a file."""
    return scan(raw, fmt)[0]


def scan(raw: str, fmt: str) -> tuple[list[Suppression], list[Stray]]:
    """Every suppression comment in a file, and every directive in its text, by offset."""
    if fmt in ("markdown", "html"):
        out, strays = _scan_html(raw, fmt)
    elif fmt == "tag":
        out, strays = _scan_tag(raw)
    elif fmt.startswith("yaml"):
        out, strays = _scan_yaml(raw)
    else:
        return [], []
    return sorted(out, key=lambda s: s.offset), strays


def _scan_html(raw: str, fmt: str) -> tuple[list[Suppression], list[Stray]]:
    out: list[Suppression] = []
    strays: list[Stray] = []
    lines = raw.split("\n")
    index = LineIndex(raw)
    next_content_line = _next_content_line(lines)
    code = [m.span() for m in _MD_CODE.finditer(raw)] if fmt == "markdown" else []
    #: Open ``disable`` comments: [match, codes still disabled (None = all), first line, exempt codes].
    open_blocks: list[list] = []

    def close(block: list, codes: Optional[tuple[str, ...]], last: int) -> None:
        m, _, first, exempt = block
        b_codes, reason = _codes_and_reason(m.group("rest"))
        line, col = index.position(m.start())
        out.append(Suppression(first, last, codes, m.start(), line, col, m.group(), reason, tuple(exempt)))

    for start, end, kind in comments.html_regions(raw, code, markdown=fmt == "markdown"):
        for m in _html_matches(raw, start, end):
            if kind != comments.COMMENT:
                strays.append(_stray(m, index, kind))
                continue
            verb = m.group("verb")
            codes, reason = _codes_and_reason(m.group("rest"))
            line, col = index.position(m.start())
            end_line = index.position(m.end())[0]
            if verb == "disable-next-line":
                target = next_content_line(end_line)
                out.append(Suppression(target, target, codes, m.start(), line, col, m.group(), reason))
            elif verb == "disable-line":
                out.append(Suppression(line, end_line, codes, m.start(), line, col, m.group(), reason))
            elif verb == "disable":
                open_blocks.append([m, set(codes) if codes else None, line, set()])
            elif codes is None:  # enable everything
                for block in open_blocks:
                    close(block, None if block[1] is None else tuple(sorted(block[1])), line)
                open_blocks = []
            else:
                for block in open_blocks:
                    if block[1] is None:  # disable-all: close what ran so far, go on without these codes
                        close(block, None, line)
                        block[2] = line + 1
                        block[3] |= set(codes)
                    else:
                        ending = block[1] & set(codes)
                        if ending:
                            close(block, tuple(sorted(ending)), line)
                            block[1] -= ending
                open_blocks = [b for b in open_blocks if b[1] is None or b[1]]
    for block in open_blocks:
        close(block, None if block[1] is None else tuple(sorted(block[1])), len(lines))
    return out, strays


def _yaml_suppression(m: re.Match, lines: list[str], index: LineIndex,
                      next_content_line: Callable[[int], int]) -> Suppression:
    """What a ``# macrolint: ignore`` comment covers: its own line, or the next entry."""
    codes, reason = _codes_and_reason(m.group("rest"))
    line, col = index.position(m.start())
    before = lines[line - 1][: col - 1]
    target = line if before.strip() else next_content_line(line)
    last = _block_end(lines, target)
    if not before.strip() and target <= len(lines) and lines[target - 1].lstrip().startswith("- "):
        last = max(last, _indented_end(lines, target))  # a comment above a list entry covers the entry
    return Suppression(target, last, codes, m.start(), line, col, m.group().strip(), reason)


def _scan_yaml(raw: str) -> tuple[list[Suppression], list[Stray]]:
    """YAML: a comment is a ``#`` outside every scalar. A file that is no YAML honours nothing
    (it gets its own malformed-file diagnostic)."""
    matches = list(_YAML.finditer(raw))
    text = comments.yaml_text_spans(raw) if matches else None
    if text is None:
        return [], []
    lines = raw.split("\n")
    index = LineIndex(raw)
    next_content_line = _next_content_line(lines)
    starts = [s for s, _ in text]
    out: list[Suppression] = []
    strays: list[Stray] = []
    for m in matches:
        if _within(text, starts, m.start()):
            strays.append(_stray(m, index, "yaml"))
        else:
            out.append(_yaml_suppression(m, lines, index, next_content_line))
    return out, strays


def _scan_tag(raw: str) -> tuple[list[Suppression], list[Stray]]:
    """A ``.tag`` file: comments only in the header; its title and its body are sent as they are.
    A directive in the body's Markdown code is an example."""
    from macrolint.readers.mdlib import tag_layout

    header_end, body_start, title = tag_layout(raw)
    lines = raw.split("\n")
    index = LineIndex(raw)
    next_content_line = _next_content_line(lines)
    code = [m.span() for m in _MD_CODE.finditer(raw, body_start)]
    code_starts = [s for s, _ in code]
    out: list[Suppression] = []
    strays: list[Stray] = []
    for m in _YAML.finditer(raw):
        at = m.start()
        if title is not None and title[0] <= at < title[1]:
            strays.append(_stray(m, index, "tag-title"))
        elif at < header_end:
            out.append(_yaml_suppression(m, lines, index, next_content_line))
        elif not _within(code, code_starts, at):
            strays.append(_stray(m, index, "tag-body"))
    return out, strays


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
    codes, _ = _codes_and_reason(_HTML.match(s.text).group("rest")) if _HTML.match(s.text) else (s.codes, None)
    what = ", ".join(codes) if codes else "all rules"
    return _directive_diagnostic(path, s.offset, s.line, s.column, s.text, UNUSED,
                                 f"suppression of {what} silences nothing here; remove it")


def in_text_diagnostic(path: str, s: Stray) -> Diagnostic:
    where, instead = PLACES[s.place]
    return _directive_diagnostic(
        path, s.offset, s.line, s.column, s.text, IN_TEXT,
        f"“{s.head}” is in {where}, part of the text customers receive; it suppresses nothing here — {instead}")
