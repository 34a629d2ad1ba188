"""Where a file's inline suppression directives are, and what each one covers.

``scan(raw, fmt)`` finds the directives of one file: in Markdown and HTML comments, in
reStructuredText and AsciiDoc comment lines, in YAML comments and in a ``.tag`` file's header
(``suppressions`` documents the syntax and applies them). A directive in text customers receive
is a ``Stray``: it suppresses nothing.
"""
from __future__ import annotations

import bisect
import re
from typing import Callable, Iterable, NamedTuple, Optional, Sequence

from macrolint.model import Diagnostic
from macrolint.readers import comments
from macrolint.text.document import LineIndex

_PREFIX = re.compile(r"^[A-Z]{1,4}[0-9]{0,2}$")
HTML_DIRECTIVE = re.compile(
    r"<!--\s*macrolint(?:-|:\s*)(?P<verb>disable-next-line|disable-line|disable|enable)\b(?P<rest>.*?)-->", re.S)
#: A directive in a comment line: ``.. macrolint-…`` (reStructuredText), ``// macrolint-…`` (AsciiDoc).
_LINE_COMMENT = {
    fmt: re.compile(rf"^[ \t]*{lead}[ \t]*macrolint(?:-|:[ \t]*)(?P<verb>disable-next-line|disable-line|disable|enable)\b"
                    r"(?P<rest>[^\n]*)", re.M)
    for fmt, lead in (("rst", r"\.\.(?=[ \t])"), ("asciidoc", "//(?!/)"))
}
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


def codes_and_reason(rest: str) -> tuple[Optional[tuple[str, ...]], Optional[str]]:
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
    return HTML_DIRECTIVE.finditer(raw, start, last + 3) if last != -1 else ()


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
    elif fmt in _LINE_COMMENT:
        out, strays = _scan_line_comments(raw, fmt)
    elif fmt.startswith("yaml"):
        out, strays = _scan_yaml(raw)
    else:
        return [], []
    return sorted(out, key=lambda s: s.offset), strays


def _scan_html(raw: str, fmt: str) -> tuple[list[Suppression], list[Stray]]:
    code = [m.span() for m in _MD_CODE.finditer(raw)] if fmt == "markdown" else []
    found = ((m, kind) for start, end, kind in comments.html_regions(raw, code, markdown=fmt == "markdown")
             for m in _html_matches(raw, start, end))
    return _directives(raw, found)


def _scan_line_comments(raw: str, fmt: str) -> tuple[list[Suppression], list[Stray]]:
    """reStructuredText and AsciiDoc: a directive is a comment line, ``.. macrolint-disable
    RB001`` or ``// macrolint-disable RB001``."""
    return _directives(raw, ((m, comments.COMMENT) for m in _LINE_COMMENT[fmt].finditer(raw)))


def _directives(raw: str, found: Iterable[tuple[re.Match, str]]) -> tuple[list[Suppression], list[Stray]]:
    """The suppressions of comment directives (``disable``, ``enable``, ``disable-line``,
    ``disable-next-line``) in file order, and the directives found where they are text."""
    out: list[Suppression] = []
    strays: list[Stray] = []
    lines = raw.split("\n")
    index = LineIndex(raw)
    next_content_line = _next_content_line(lines)
    #: Open ``disable`` comments: [match, codes still disabled (None = all), first line, exempt codes].
    open_blocks: list[list] = []

    def close(block: list, codes: Optional[tuple[str, ...]], last: int) -> None:
        m, _, first, exempt = block
        b_codes, reason = codes_and_reason(m.group("rest"))
        line, col = index.position(m.start())
        out.append(Suppression(first, last, codes, m.start(), line, col, m.group(), reason, tuple(exempt)))

    for m, kind in found:
        if kind != comments.COMMENT:
            strays.append(_stray(m, index, kind))
            continue
        verb = m.group("verb")
        codes, reason = codes_and_reason(m.group("rest"))
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
    codes, reason = codes_and_reason(m.group("rest"))
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
