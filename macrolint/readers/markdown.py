"""Markdown: prose only, with every character mapped to the raw file.

Fenced code, inline code, images, HTML comments, link destinations and reference definitions are
left out or masked; emphasis, heading, quote and list markers and inline HTML tags vanish from the
view, so ``the **system** says`` reads as ``the system says``. A YAML front matter block is not
prose, but its ``title`` is linted as a unit of its own.
"""
from __future__ import annotations

import bisect
import heapq
import html as _html
import re
from typing import Iterator, Optional

from macrolint.readers.common import make_unit, trimmed_span
from macrolint.readers.html import BLOCK_TAGS, SKIP_TAGS
from macrolint.text.document import MASK, Item, Unit, ViewBuilder
from macrolint.text.masking import HTML_ELEMENT

TOKENS = re.compile(
    r"""
      (?P<fence>^[ \t]{0,3}(?P<fc>`{3,}|~{3,})[^\n]*\n(?:.*?\n)??[ \t]{0,3}(?P=fc)[`~]*[ \t]*(?:\n|\Z)
               |^[ \t]{0,3}(?:`{3,}|~{3,})[^\n]*(?:\n.*)?\Z)
    | (?P<comment><!--.*?(?:-->|\Z))
    | (?P<keep>\{\{\{.{0,300}?\}\}\}|\{\{.{0,300}?\}\}|\{%.{0,300}?%\}|<attribute\b[^<>]{0,300}>|\#?<(?!""" + HTML_ELEMENT + r""")[A-Z][A-Z0-9_ \-]{0,40}>)
    | (?P<rawblock><(?P<rb>pre|code|script|style)\b[^>]*>.*?(?:</(?P=rb)\s*>|\Z))
    | (?P<code>(?P<tick>`+)(?!`).+?(?<!`)(?P=tick)(?!`))
    | (?P<image>!\[[^\]\n]*\]\([^)\n]*\))
    | (?P<refdef>^[ ]{0,3}\[[^\]\n]+\]:[ \t]*\S+[^\n]*)
    | (?P<linkdest>\]\((?:<[^>\n]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:[ \t]+"[^"\n]*")?\)|\]\[[^\]\n]*\])
    | (?P<linkopen>\[(?=[^\]\n]*\](?:\(|\[)))
    | (?P<autolink><(?:https?|ftp|mailto):[^>\s]*>)
    | (?P<tag></?(?P<tn>[A-Za-z][A-Za-z0-9-]*)\b[^<>]*>)
    | (?P<entity>&(?:\#[0-9]{1,7}|\#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)
    | (?P<escape>\\[!-/:-@\[-`{-~])
    | (?P<hardbreak>\\(?=\n))
    | (?P<esm>^import[ \t][^\n]*\bfrom[ \t]*['"][^'"\n]+['"];?[ \t]*$|^import[ \t]+['"][^'"\n]+['"];?[ \t]*$
             |^export[ \t]+(?:const|let|var|default|function|async|class|\{)[^\n]*$)
    | (?P<heading>^[ ]{0,3}\#{1,6}(?=[ \t]|$)|[ \t]+\#+[ \t]*$)
    | (?P<quote>^[ \t]{0,3}(?:>[ \t]?)+)
    | (?P<list>^[ \t]*(?:[-*+]|[0-9]{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?)
    | (?P<rule>^[ \t]{0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$)
    | (?P<emph>\*{1,3}|(?<![\w\\])_{1,3}(?=\S)|(?<=\S)_{1,3}(?!\w))
    """,
    re.X | re.M | re.S,
)
#: The characters a token can start with (it can also start at a line start, or at spaces before
#: a closing ``#``).
_MARKS = re.compile(r"[`~<{#!\[\]&\\*_]")
#: Besides those, what a token that starts at a line start can start with (an indent, a quote, a
#: list or rule marker): a line of prose, or a blank line, starts none.
_LINE_MARKS = frozenset(" \t>-+0123456789ie")  # "i", "e": MDX import and export lines
_CLOSING_HASHES = re.compile(r"\#+[ \t]*$", re.M)
_TICKS = re.compile(r"`+")
#: How a block quote that is the writer's own callout starts: GitHub alerts, a bold or plain label.
_CALLOUT = re.compile(r"[ \t]*(?:\[!(?:note|tip|important|warning|caution)\]|[*_]{0,2}(?:note|tip|important|warning|"
                      r"caution|heads up|info|remember)[*_]{0,2}[ \t]*[:.!\-–—]?[*_]{0,2}[ \t]*(?:$|\n|[:\-–—]))", re.I | re.M)


def token_starts(raw: str, start: int, end: int) -> Iterator[int]:
    """Every place in ``raw[start:end]`` a token can start, in order: a character of ``_MARKS``,
    a line start (``^``: the start of ``raw`` or just after a line break) before a character of
    ``_LINE_MARKS``, or a space or tab in the run before ``#`` signs that end their line (a
    closing heading mark). Given as they are found (two runs in order, merged): a text of
    millions of marks holds no set or list of them."""
    last = -1
    for p in heapq.merge(_mark_starts(raw, start, end), _line_starts(raw, start, end)):
        if p != last:
            yield p
            last = p


def _mark_starts(raw: str, start: int, end: int) -> Iterator[int]:
    for m in _MARKS.finditer(raw, start, end):
        p = m.start()
        if raw[p] == "#" and p > start and raw[p - 1] in " \t" and _CLOSING_HASHES.match(raw, p, end):
            q = p
            while q > start and raw[q - 1] in " \t":
                q -= 1
            yield from range(q, p)  # the spaces before: after every mark found so far
        yield p


def _line_starts(raw: str, start: int, end: int) -> Iterator[int]:
    if start == 0 and end and raw[0] in _LINE_MARKS:
        yield 0
    i = raw.find("\n", max(start - 1, 0), end - 1) if end > start else -1
    while i != -1:
        if raw[i + 1] in _LINE_MARKS:
            yield i + 1
        i = raw.find("\n", i + 1, end - 1)


def tokens(raw: str, start: int, end: int):
    """``TOKENS.finditer(raw, start, end)``, trying the pattern only where a token can start.

    Inside a line, a backtick can only open inline code, a ``[`` a link and ``![`` an image; the
    pattern would look ahead for each of them to where it closes, which costs the square of a long
    run of them (100,000 ``[`` on one line took minutes). ``_Closers`` answers those from what it
    has found ahead once; the pattern then runs only over a token known to be there."""
    match = TOKENS.match
    closers = None
    last = start
    for p in token_starts(raw, start, end):
        if p < last:
            continue
        if p == 0 or raw[p - 1] == "\n" or raw[p] not in "`[!":  # a line start: every kind of token
            m = match(raw, p, end)
        else:
            if closers is None:
                closers = _Closers(raw, start, end)
            m = closers.token(p)
        if m is not None:
            last = m.end()
            yield m


class _LinkOpen:
    """The ``[`` that opens a link, as the pattern's ``linkopen`` match would show it."""

    __slots__ = ("string", "_at")
    lastgroup = "linkopen"

    def __init__(self, string: str, at: int) -> None:
        self.string = string
        self._at = at

    def span(self, group=0) -> tuple[int, int]:
        return self._at, self._at + 1

    def start(self, group=0) -> int:
        return self._at

    def end(self, group=0) -> int:
        return self._at + 1

    def group(self, name=0) -> Optional[str]:
        return "[" if name in (0, "linkopen") else None


class _Closers:
    """Where inline code, links and images close, for ``tokens``: each is found by a scan that
    only moves forward (the next ``]``, ``)`` and line break), or by a table of the backtick
    runs of ``raw[start:end]``, so a line full of openers costs no more than its length."""

    def __init__(self, raw: str, start: int, end: int) -> None:
        self._raw, self._end = raw, end
        self._start = start
        self._next: dict[str, int] = {}
        self._runs: Optional[list[tuple[int, int]]] = None
        self._by_length: dict[int, list[int]] = {}

    def token(self, p: int):
        """The token at ``p``, a backtick, ``[`` or ``!`` inside a line, or None."""
        c = self._raw[p]
        if c == "[":
            return _LinkOpen(self._raw, p) if self.opens_link(p) else None
        e = self.code(p) if c == "`" else self.image(p)
        return TOKENS.match(self._raw, p, e) if e else None

    def _first(self, char: str, at: int) -> int:
        """The first ``char`` at or after ``at`` (``end`` when there is none), remembered: callers
        ask in increasing order."""
        found = self._next.get(char, -1)
        if found < at:
            found = self._raw.find(char, at, self._end)
            found = self._next[char] = self._end if found == -1 else found
        return found

    def _stop(self, at: int) -> int:
        """The first ``]`` or line break at or after ``at``."""
        return min(self._first("]", at), self._first("\n", at))

    def opens_link(self, p: int) -> bool:
        r"""``\[(?=[^\]\n]*\](?:\(|\[))`` at ``p``."""
        k = self._stop(p + 1)
        return k + 1 < self._end and self._raw[k] == "]" and self._raw[k + 1] in "(["

    def image(self, p: int) -> Optional[int]:
        r"""Where ``!\[[^\]\n]*\]\([^)\n]*\)`` at ``p`` ends, or None."""
        raw = self._raw
        if not raw.startswith("[", p + 1):
            return None
        k = self._stop(p + 2)
        if not (k + 1 < self._end and raw[k] == "]" and raw[k + 1] == "("):
            return None
        close = min(self._first(")", k + 2), self._first("\n", k + 2))
        return close + 1 if close < self._end and raw[close] == ")" else None

    def code(self, p: int) -> Optional[int]:
        r"""Where ``(`+)(?!`).+?(?<!`)\1(?!`)`` at ``p`` ends, or None: the backticks from ``p`` to
        the end of their run open it, and it closes at the next run of as many backticks."""
        if self._runs is None:
            self._runs = [m.span() for m in _TICKS.finditer(self._raw, self._start, self._end)]
            for s, e in self._runs:
                self._by_length.setdefault(e - s, []).append(s)
        i = bisect.bisect_right(self._runs, (p, self._end)) - 1
        run_end = self._runs[i][1]
        later = self._by_length.get(run_end - p, ())
        j = bisect.bisect_right(later, run_end)
        return later[j] + run_end - p if j < len(later) else None


_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)(?:\r?\n)(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_FM_FIELD = re.compile(r"^(?P<key>title|id)[ \t]*:[ \t]*(?P<value>[^\n]*)$", re.M)  # see trimmed_span


def markdown_view(raw: str, start: int = 0, end: Optional[int] = None,
                  scopes: Optional[list] = None) -> tuple[str, object]:
    """The prose view of ``raw[start:end]`` with offsets into ``raw``; ``scopes``, when given,
    receives its heading lines, block-quote lines and link text (offsets into ``raw``)."""
    end = len(raw) if end is None else end
    b = ViewBuilder()
    pos = start
    link_open = -1
    callout_until = -2  # the end of the last line of a block quote that is the writer's callout
    for m in tokens(raw, start, end):
        s, e = m.span()
        if s > pos:
            b.text(pos, raw[pos:s])
        kind = m.lastgroup
        if kind in ("fc", "tick", "rb", "tn"):  # inner groups: find the outer alternative
            kind = next(k for k in ("fence", "rawblock", "code", "tag") if m.group(k) is not None)
        if kind in ("fence", "comment", "rawblock", "code", "image", "refdef", "autolink", "esm"):
            b.atom(s, e, "\n\n" if kind in ("fence", "refdef", "esm") else MASK)
        elif kind == "keep":
            b.text(s, m.group())
        elif kind == "tag":
            name = m.group("tn").lower()
            if name in SKIP_TAGS:
                b.atom(s, e, MASK)
            elif name == "br":
                b.atom(s, e, "\n")
            elif name in BLOCK_TAGS:
                b.atom(s, e, "\n\n")
        elif kind == "entity":
            decoded = _html.unescape(m.group())
            b.atom(s, e, decoded if decoded != m.group() else m.group())
        elif kind == "escape":
            b.atom(s, e, m.group()[1])
        elif kind == "rule":
            b.atom(s, e, "\n")
        elif scopes is not None:
            if kind in ("heading", "quote") and (s == 0 or raw[s - 1] == "\n"):
                line_end = raw.find("\n", e, end)
                line_end = end if line_end == -1 else line_end
                if kind == "quote" and (s == callout_until + 1 or _CALLOUT.match(raw, e)):
                    callout_until = line_end  # "> [!NOTE]", "> **Tip:**": the writer's own aside
                else:
                    scopes.append((s, line_end, kind))
            elif kind == "linkopen":
                link_open = s
            elif kind == "linkdest" and link_open >= 0:
                scopes.append((link_open, s, "link"))
                link_open = -1
        # heading, quote, list, emph, linkopen, linkdest, hardbreak: markup, not prose
        pos = e
    if end > pos:
        b.text(pos, raw[pos:end])
    return b.build()


def front_matter(raw: str) -> tuple[dict[str, tuple[int, int]], int]:
    """Spans of ``title`` and ``id`` values in a leading YAML block, and where the body starts."""
    m = _FRONT.match(raw)
    if not m:
        return {}, 0
    fields: dict[str, tuple[int, int]] = {}
    for f in _FM_FIELD.finditer(raw, m.start(1), m.end(1)):
        s, e = trimmed_span(f, "value")
        if e - s >= 2 and raw[s] in "'\"" and raw[e - 1] == raw[s]:
            s, e = s + 1, e - 1
        fields[f.group("key")] = (s, e)
    return fields, m.end()


def read(raw: str) -> list[Unit]:
    fields, body_start = front_matter(raw)
    title = raw[slice(*fields["title"])] if "title" in fields else None
    ident = raw[slice(*fields["id"])] if "id" in fields else None
    units = []
    if "title" in fields:
        s, e = fields["title"]
        b = ViewBuilder()
        b.text(s, raw[s:e])
        units.append(make_unit(*b.build(), item=Item(ident, title, "title")))
    scopes: list = []
    view, omap = markdown_view(raw, body_start, scopes=scopes)
    item = Item(ident, title, "body") if fields else None
    units.append(make_unit(view, omap, item=item, scopes=scopes))
    return units
