"""Markdown files that hold many replies, and Discord-bot tag files.

* A Markdown file with YAML front matter is one article (``markdown.read``).
* A file with ``---- TITLE`` sentinel lines, or with two or more ``## Title`` headings, is a
  library: each section is an item titled by its heading. When a section quotes its reply in a
  ``>`` blockquote (the rest being notes for agents, like "**Use when:**"), only the quote is
  linted.
* A ``.tag`` file is a ``key: value`` header, a ``---`` line and a Markdown body; its title is the
  ``title:`` header or the file name.
"""
from __future__ import annotations

import bisect
import re
from pathlib import PurePath
from typing import Optional

from macrolint.readers import markdown
from macrolint.readers.common import make_unit, trimmed_span
from macrolint.text.document import Item, OffsetMap, Unit, ViewBuilder
from macrolint.text.masking import find_placeholders

# Titles run to the end of their line (``trimmed_span`` drops what ends them): a lazy title
# followed by optional spaces backtracks for each character of a long line.
_SENTINEL = re.compile(r"^-{3,}[ \t]+(?P<title>\S[^\n]*)$", re.M)
_H2 = re.compile(r"^[ ]{0,3}##[ \t]+(?P<title>[^\n]*)$", re.M)
_H2_END = " \t#"
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]{0,3}\1[`~]*[ \t]*$|\Z)", re.M | re.S)
_QUOTE_LINE = re.compile(r"^[ \t]{0,3}>[^\n]*(?:\n|\Z)", re.M)
# A fenced block kept for copying: in a saved-reply library, one with no language (or text,
# markdown) that holds prose is the reply itself.
_REPLY_FENCE = re.compile(r"^[ ]{0,3}(?P<fc>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)\n(?P<body>.*?)^[ ]{0,3}(?P=fc)[`~]*[ \t]*$",
                          re.M | re.S)
_PROSE_INFO = frozenset({"", "text", "txt", "plain", "plaintext", "md", "markdown"})
_CODE_LINE = re.compile(r"^[ \t]*(?:[$#>] |import |from \w+ import|def |function |const |let |var |class |public |<\?|#include|\{|\}|[\w.]+\(.*\);?$)", re.M)
_WORDS = re.compile(r"[A-Za-z]{2,}")
_TAG_HEADER = re.compile(r"^(?P<key>[A-Za-z][\w-]*)[ \t]*:[ \t]*(?P<value>[^\n]*)$")
_TAG_RULE = re.compile(r"^---[ \t]*\r?$", re.M)


def concat(parts: list[tuple[str, OffsetMap]], sep_at: list[int]) -> tuple[str, OffsetMap]:
    """Join views, with a paragraph break (an atom at ``sep_at[i]``) between part i and i+1."""
    b = ViewBuilder()
    for i, (view, omap) in enumerate(parts):
        if i:
            b.atom(sep_at[i - 1], sep_at[i - 1], "\n\n")
        for vs, ve, rs, re_ in omap.runs():
            if re_ is None:
                b.text(rs, view[vs:ve])
            else:
                b.atom(rs, re_, view[vs:ve])
    return b.build()


def _headings(raw: str) -> tuple[list[re.Match], str]:
    # Each pattern needs its marker ("```" or "~~~", "---", "##"): most replies have none, and a
    # scan for a line-start pattern tries every position.
    fenced = [m.span() for m in _FENCE.finditer(raw)] if "```" in raw or "~~~" in raw else []
    fence_starts = [s for s, _ in fenced]

    def outside(m: re.Match) -> bool:
        i = bisect.bisect_right(fence_starts, m.start()) - 1
        return i < 0 or m.start() >= fenced[i][1]

    sentinels = [m for m in _SENTINEL.finditer(raw) if outside(m)] if "---" in raw else []
    if len(sentinels) >= 2:
        return sentinels, "sentinel"
    h2 = [m for m in _H2.finditer(raw) if outside(m)] if "##" in raw else []
    return (h2, "heading") if len(h2) >= 2 else ([], "")


def _title_unit(raw: str, s: int, e: int, item: Item) -> Unit:
    b = ViewBuilder()
    b.text(s, raw[s:e])
    return make_unit(*b.build(), item=item)


def _prose_fences(raw: str, s: int, e: int) -> list[tuple[int, int]]:
    """The bodies of the fenced blocks in ``raw[s:e]`` that hold a reply kept for copying: no
    language (or text, markdown), sentences of words, no lines of code."""
    if "```" not in raw[s:e] and "~~~" not in raw[s:e]:
        return []
    out = []
    for m in _REPLY_FENCE.finditer(raw, s, e):
        body = m.group("body")
        if m.group("info").strip().lower() not in _PROSE_INFO:
            continue
        if len(_WORDS.findall(body)) < 4 or not any(c in body for c in ".!?") or _CODE_LINE.search(body):
            continue
        # placeholders and links are not code: {{ author }}, {%user.name%}, https://…?a=b
        plain = body
        for a, z, _ in reversed(find_placeholders(body)):
            plain = plain[:a] + plain[z:]
        symbols = sum(plain.count(c) for c in ";=<>[]{}()")
        if symbols > len(plain) / 25:
            continue
        out.append(m.span("body"))
    return out


def _section_unit(raw: str, s: int, e: int, item: Item) -> Unit:
    fences = _prose_fences(raw, s, e)
    if fences:  # the replies are the fenced blocks; the rest of the section is for agents
        parts = [markdown.markdown_view(raw, bs, be) for bs, be in fences]
        view, omap = concat(parts, [be for _, be in fences[:-1]])
        return make_unit(view, omap, item=Item(item.id, item.title, "reply"))
    quotes = [m.span() for m in _QUOTE_LINE.finditer(raw, s, e)]
    if not quotes:
        scopes: list = []
        view, omap = markdown.markdown_view(raw, s, e, scopes=scopes)
        return make_unit(view, omap, item=item, scopes=scopes)
    # Merge adjacent quote lines into blocks; each block is one part of the reply.
    blocks: list[list[int]] = []
    for qs, qe in quotes:
        if blocks and blocks[-1][1] == qs:
            blocks[-1][1] = qe
        else:
            blocks.append([qs, qe])
    parts = [markdown.markdown_view(raw, bs, be) for bs, be in blocks]
    view, omap = concat(parts, [be for _, be in blocks[:-1]])
    return make_unit(view, omap, item=Item(item.id, item.title, "reply"))


def read_markdown(raw: str) -> list[Unit]:
    """A Markdown file: an article with front matter, a library of replies, or one text."""
    fields, _ = markdown.front_matter(raw)
    if fields:
        return markdown.read(raw)
    heads, kind = _headings(raw)
    if not heads:
        return markdown.read(raw)
    units: list[Unit] = []
    first = heads[0].start()
    if raw[:first].strip():
        # what precedes the first reply: a note to the agents who use the library
        units.append(make_unit(*markdown.markdown_view(raw, 0, first), item=Item(None, None, "preamble")))
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(raw)
        ts, te = trimmed_span(m, "title", _H2_END if kind == "heading" else " \t")
        title = raw[ts:te]
        units.append(_title_unit(raw, ts, te, Item(None, title, "title")))
        body_start = raw.find("\n", m.end())
        body_start = end if body_start == -1 or body_start > end else body_start + 1
        units.append(_section_unit(raw, body_start, end, Item(None, title, "body")))
    return units


def tag_layout(raw: str) -> tuple[int, int, Optional[tuple[int, int]]]:
    """Where a tag file's header ends and its body starts (both 0 with no ``---`` line: all body),
    and the raw span of its ``title:`` value."""
    rule = _TAG_RULE.search(raw)
    header_end, body_start = (rule.start(), rule.end()) if rule else (0, 0)
    title_span: Optional[tuple[int, int]] = None
    pos = 0
    for line in raw[:header_end].splitlines(keepends=True):
        m = _TAG_HEADER.match(line)
        if m and m.group("key").lower() == "title":
            s, e = trimmed_span(m, "value")
            if e > s:
                title_span = (pos + s, pos + e)
        pos += len(line)
    return header_end, body_start, title_span


def read_tag(raw: str, path: str = "") -> list[Unit]:
    """A tag file: ``key: value`` header, ``---``, Markdown body."""
    stem = PurePath(path).stem if path else None
    _, body_start, title_span = tag_layout(raw)
    title = raw[slice(*title_span)] if title_span else stem
    units = []
    if title_span:
        units.append(_title_unit(raw, *title_span, Item(stem, title, "title")))
    view, omap = markdown.markdown_view(raw, body_start)
    units.append(make_unit(view, omap, item=Item(stem, title, "body")))
    return units
