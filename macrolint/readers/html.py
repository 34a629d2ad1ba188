"""HTML: text content only, entities decoded, with every character mapped to the raw file.

Uses the standard library's ``html.parser`` with character references left unconverted, so each
text run and each entity arrives with its own position. Inline tags (``<b>``, ``<a>``) vanish from
the view, so ``the <b>system</b> says`` reads as ``the system says``; block tags and ``<br>``
become line breaks, so no phrase runs from one paragraph into the next. ``script``, ``style``,
``code`` and ``pre`` contents are masked, as are Intercom ``<attribute/>`` placeholders.
"""
from __future__ import annotations

import html as _html
import re
from html.parser import HTMLParser
from typing import Optional

from macrolint.readers.common import make_unit
from macrolint.text.document import MASK, Item, LineIndex, OffsetMap, Unit, ViewBuilder
from macrolint.text.masking import HTML_ELEMENTS

BLOCK_TAGS = frozenset(
    "address article aside blockquote body dd details div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 head header hr html li main nav ol p section summary table tbody td tfoot th thead "
    "title tr ul".split()
)
SKIP_TAGS = frozenset(("script", "style", "code", "pre", "textarea", "template"))
_VOID = frozenset("br hr img input meta link wbr col area base embed source track param".split())
#: Elements whose start tag adds nothing to the view outside a skipped element: inline ones.
_QUIET = HTML_ELEMENTS - BLOCK_TAGS - SKIP_TAGS - {"br"}


def encode(text: str) -> str:
    """How replacement text is written into HTML."""
    return _html.escape(text, quote=False)


#: Elements whose content is a scope of its own (a ``div`` only when its class says it quotes,
#: as mail clients mark a quoted message).
_SCOPED = {"h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading",
           "h6": "heading", "blockquote": "quote", "a": "link", "div": "quote"}


class _ViewParser(HTMLParser):
    def __init__(self, raw: str, base: int = 0) -> None:
        super().__init__(convert_charrefs=False)
        self.raw = raw
        self.base = base
        #: Headings, block quotes and link text, as ``(start, end, scope)`` in offsets of ``raw``.
        self.scopes: list[tuple[int, int, str]] = []
        self._open: dict[str, list[int]] = {}
        self.lines = LineIndex(raw)
        self.b = ViewBuilder()
        self.skip_depth = 0
        self.skip_start = 0

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.lines.starts[line - 1] + col

    def _tag_end(self, start: int) -> int:
        end = self.raw.find(">", start)
        return len(self.raw) if end == -1 else end + 1

    def handle_starttag(self, tag, attrs):
        if tag in _SCOPED and not self.skip_depth:
            quoted = tag == "blockquote" or (tag == "div" and any(k == "class" and v and "quote" in v for k, v in attrs))
            if tag != "div" or quoted:
                self._open.setdefault("div-quote" if tag == "div" else tag, []).append(self._offset())
            elif self._open.get("div-quote"):
                self._open.setdefault("div", []).append(self._offset())
        if tag in _QUIET and not self.skip_depth:
            return
        start = self._offset()
        text = self.get_starttag_text() or ""
        end = start + len(text)
        if self.skip_depth:
            if tag in SKIP_TAGS and tag not in _VOID:
                self.skip_depth += 1
            return
        if tag in SKIP_TAGS:
            self.skip_depth = 1
            self.skip_start = start
            return
        if tag == "attribute" or (text[1:-1].replace("_", "").replace(" ", "").isupper() and tag not in HTML_ELEMENTS):
            # Intercom <attribute key=… default=…/> and <ISSUE_NUMBER>-style slots: hand the raw
            # text to the masker, which turns it into a placeholder.
            self.b.text(self.base + start, text)
        elif tag == "br":
            self.b.atom(self.base + start, self.base + end, "\n")
        elif tag in BLOCK_TAGS:
            self.b.atom(self.base + start, self.base + end, "\n\n")

    def handle_startendtag(self, tag, attrs):
        if tag == "attribute" or tag == "br" or tag in BLOCK_TAGS:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in _SCOPED and not self.skip_depth:
            self._close_scope(tag)
        if not self.skip_depth and tag not in BLOCK_TAGS:
            return
        start = self._offset()
        end = self._tag_end(start)
        if self.skip_depth:
            if tag in SKIP_TAGS:
                self.skip_depth -= 1
                if not self.skip_depth:
                    self.b.atom(self.base + self.skip_start, self.base + end, MASK)
            return
        self.b.atom(self.base + start, self.base + end, "\n\n")  # a block element's end

    def _close_scope(self, tag: str) -> None:
        if tag == "div":  # a div inside a quoting div closes first
            tag = "div" if self._open.get("div") else "div-quote"
        opened = self._open.get(tag)
        if opened:
            start = opened.pop()
            self.scopes.append((start, self._tag_end(self._offset()), _SCOPED[tag.split("-")[0]] if tag != "div" else ""))

    def handle_data(self, data):
        if not self.skip_depth:
            self.b.text(self.base + self._offset(), data.replace(_LT, "<") if _LT in data else data)

    def _reference(self, decoded: str, prefix_len: int, name: str) -> None:
        if self.skip_depth:
            return
        start = self._offset()
        end = start + prefix_len + len(name)
        if end < len(self.raw) and self.raw[end] == ";":
            end += 1
        self.b.atom(self.base + start, self.base + end, decoded)

    def handle_entityref(self, name):
        raw = self.raw[self._offset():self._offset() + len(name) + 2]
        reference = raw if raw.endswith(";") else "&" + name + ";"
        decoded = _html.unescape(reference)
        if decoded == reference:  # no such entity: the text as written ("&amp;" decodes to "&")
            self.handle_data(raw if raw.endswith(";") else raw[:len(name) + 1])
            return
        self._reference(decoded, 1, name)

    def handle_charref(self, name):
        self._reference(_html.unescape("&#" + name + ";"), 2, name)

    def close_view(self):
        self.close()
        if self.skip_depth:
            self.b.atom(self.base + self.skip_start, self.base + len(self.raw), MASK)
        return self.b.build()


#: Stands in for a "<" that opens no tag (see ``_defuse``): one character, as the "<" was, so
#: every offset the parser reports holds.
_LT = "\ue000"
#: A "<" whose ">" is further than this, with another "<" before it, opens no tag.
_TAG_REACH = 1024


def _defuse(raw: str) -> str:
    """``raw`` with each "<" that opens no tag (another "<" comes before its ">", which is far
    away or missing) replaced by ``_LT``: the standard library's parser rescans the rest of
    the text at every such "<" ("<a" a million times took minutes)."""
    if "<" not in raw:
        return raw
    lts = [i for i, c in enumerate(raw) if c == "<"] if len(raw) < 4096 else _positions(raw, "<")
    if len(lts) < 2:
        return raw
    out, g, n = None, 0, len(raw)
    for k, p in enumerate(lts[:-1]):
        if g <= p:
            g = raw.find(">", p)
            if g == -1:
                g = n
        if g - p > _TAG_REACH and lts[k + 1] < g:
            if out is None:
                out = list(raw)
            out[p] = _LT
    return raw if out is None else "".join(out)


def _positions(text: str, ch: str) -> list[int]:
    out, i = [], text.find(ch)
    while i != -1:
        out.append(i)
        i = text.find(ch, i + 1)
    return out


#: The tags of most help-desk HTML values: paragraphs, line breaks and plain divisions.
_SIMPLE_TAG = re.compile(r"<(/?)(p|br|div)\s*(/?)>", re.I)


def _simple_view(raw: str, base: int):
    """The view ``_ViewParser`` gives of a value whose only tags are bare ``<p>``, ``<br>`` and
    ``<div>`` (and no entity), without a parser; None for any other value. Such values are most
    of an export's, and a parser costs tens of microseconds each."""
    tags = list(_SIMPLE_TAG.finditer(raw))
    if raw.count("<") != len(tags):
        return None
    if not tags and raw:  # no markup: the text is its own view
        return raw, OffsetMap.identity(len(raw), base)
    b = ViewBuilder()
    pos = 0
    for m in tags:
        if m.start() > pos:
            b.text(base + pos, raw[pos:m.start()])
        closing, tag = m.group(1), m.group(2).lower()
        if tag == "br":
            if not closing:  # "</br>" adds nothing, as the parser has it
                b.atom(base + m.start(), base + m.end(), "\n")
        else:
            b.atom(base + m.start(), base + m.end(), "\n\n")
        pos = m.end()
    if pos < len(raw):
        b.text(base + pos, raw[pos:])
    return b.build()


def html_view(raw: str, base: int = 0, scopes: Optional[list] = None):
    """The text view of an HTML fragment and its map (offsets shifted by ``base``); ``scopes``,
    when given, receives its headings, block quotes and link text (offsets into ``raw``)."""
    if "&" not in raw:
        simple = _simple_view(raw, base)
        if simple is not None:
            return simple
    parser = _ViewParser(raw, base)
    parser.feed(_defuse(raw))
    built = parser.close_view()
    if scopes is not None:
        scopes.extend(s for s in parser.scopes if s[2])
    return built


def read(raw: str, item: Optional[Item] = None) -> list[Unit]:
    scopes: list = []
    view, omap = html_view(raw, scopes=scopes)
    return [make_unit(view, omap, item=item, encode=encode, scopes=scopes)]
