"""AsciiDoc (Antora and Asciidoctor help centres, ``.adoc``): prose only, every character mapped to
the raw file.

The file is one article. The document title, section titles (``== Title``) and block titles
(``.Title``) are headings. Left out: comments (``//`` lines and ``////`` blocks), attribute
entries (``:name: value``), block attribute and anchor lines (``[source,java]``, ``[[id]]``),
listing, literal and passthrough blocks (``----``, ``....``, ``++++``), literal paragraphs (an
indented first line) and list continuation marks. Kept: paragraphs, lists, tables, sidebars,
examples, quotes and admonitions (``NOTE: ...``, ``[TIP]`` blocks) without their labels. Inline
monospace, passthroughs and images are masked; a link's or a cross-reference's own text is kept
as link text (``https://example.com[our site]``, ``xref:page.adoc[the guide]``, ``<<id,the
guide>>``); emphasis marks vanish.
"""
from __future__ import annotations

import re
from typing import Optional

from macrolint.readers.common import make_unit
from macrolint.readers.lineblocks import Lines, assemble, blank, kept_or_masked
from macrolint.text.document import MASK, Unit, ViewBuilder

_TITLE = re.compile(r"(?P<mark>={1,6}|\#{1,6})[ \t]+(?=\S)")
_BLOCK_TITLE = re.compile(r"\.(?=[^\s.])")
_ATTRIBUTE_ENTRY = re.compile(r":!?[\w][\w-]*!?:(?:[ \t]|\r?$)")
_BLOCK_ATTRIBUTES = re.compile(r"\[[^\[\]\n]*(?:\[[^\]\n]*\][^\[\]\n]*)*\][ \t]*\r?")
#: Delimited blocks whose content is not prose (listing, literal, passthrough, comment).
_CODE_DELIMITER = re.compile(r"(-{4,}|\.{4,}|\+{4,}|/{4,}|`{3,}[\w+-]*)[ \t]*\r?")
#: Delimiters of blocks whose content is prose: sidebar, example, quote, open block, table.
_PROSE_DELIMITER = re.compile(r"(\*{4,}|={4,}|_{4,}|--|[|!,:]={3,})[ \t]*\r?")
_COMMENT_LINE = re.compile(r"//(?!/{2,})")
_ADMONITION = re.compile(r"(?:NOTE|TIP|IMPORTANT|WARNING|CAUTION):[ \t]+")
#: A list item's marker, a description list's term separator, or a callout.
_MARKER = re.compile(r"[ \t]*(?:[*\-.]{1,5}|\d{1,3}\.|[a-zA-Z]\.|<\d{1,2}>)[ \t]+(?:\[[ xX*]\][ \t]+)?")
_CONTINUATION = re.compile(r"[ \t]*\+[ \t]*\r?")
_INLINE = re.compile(
    r"""
      (?P<mono>(?<![\w`])`(?=\S)[^`\n]+?(?<=\S)`(?![\w`])|``.+?``|\+\+\+.+?\+\+\+|(?<![\w+])\+(?=\S)[^+\n]+?(?<=\S)\+(?![\w+]))
    | (?P<image>image::?[^\s\[]*\[[^\]\n]*\])
    | (?P<macro>(?:link|xref|mailto|footnote|kbd|btn|menu|pass|stem|latexmath|asciimath|anchor|indexterm2?|icon):(?P<target>[^\s\[]*)\[(?P<body>[^\]\n]*)\])
    | (?P<url>(?:https?|ftp|irc)://[^\s\[<>]*[^\s\[<>.,;:!?)'"](?:\[(?P<urltext>[^\]\n]*)\])?)
    | (?P<xref><<(?P<xtarget>[^,<>\n]+)(?:,[ \t]*(?P<xtext>[^<>\n]+))?>>)
    | (?P<anchor>\[\[[^\]\n]*\]\]|\[\#[^\]\n]*\])
    | (?P<emph>(?<![\w*_#])(?:\*\*|__|\#\#|[*_\#])(?=\S)|(?<=\S)(?:\*\*|__|\#\#|[*_\#])(?![\w*_#]))
    | (?P<hardbreak>[ \t]\+(?=\r?$))
    | (?P<cell>(?:^|(?<=[ \t]))(?:\d*(?:\.\d+)?[+*]?[<^>]?(?:\.[<^>])?[adehlmsv]?)?\|)
    | (?P<dlist>(?<=\S)(?::{2,4}|;;)(?=[ \t]|\r?$))
    | (?P<escape>\\(?=[*_\#`+{<\[]))
    """,
    re.X | re.M,
)
#: The outer groups of ``_INLINE``, in the order they are tried.
_KINDS = ("mono", "image", "macro", "url", "xref", "anchor", "emph", "hardbreak", "cell", "dlist", "escape")
#: Macros whose bracketed text is prose (shown to the reader), and those that are links.
_TEXT_MACROS = frozenset({"footnote", "btn", "menu"})
_LINK_MACROS = frozenset({"link", "xref", "mailto"})


def adoc_view(raw: str, scopes: Optional[list] = None) -> tuple[str, object]:
    """The prose view of an AsciiDoc file with offsets into it; ``scopes``, when given, receives
    its titles and link text."""
    blocks = Lines(raw)
    lines = blocks.lines
    i, n = 0, len(lines)
    paragraph = False  # inside a paragraph: a title, literal or attribute line cannot start here
    while i < n:
        line = lines[i]
        if blank(line):
            paragraph = False
            i += 1
            continue
        s = blocks.starts[i]
        code = _CODE_DELIMITER.fullmatch(line)
        if code:
            closer = "```" if code.group(1).startswith("`") else code.group(1)  # the same line closes it
            j = i + 1
            while j < n and lines[j].rstrip(" \t\r") != closer:
                j += 1
            blocks.cut_lines(i, min(j + 1, n))
            i = j + 1
            continue
        if _COMMENT_LINE.match(line) or (_ATTRIBUTE_ENTRY.match(line) and not paragraph):
            blocks.cut_lines(i, i + 1, "\n")
            i += 1
            continue
        if _BLOCK_ATTRIBUTES.fullmatch(line) or _PROSE_DELIMITER.fullmatch(line) or _CONTINUATION.fullmatch(line):
            blocks.cut_lines(i, i + 1, "\n")
            paragraph = False
            i += 1
            continue
        if not paragraph and line[:1] in " \t":  # a literal paragraph, up to the next blank line
            j = i + 1
            while j < n and not blank(lines[j]):
                j += 1
            blocks.cut_lines(i, j)
            i = j
            continue
        title = _TITLE.match(line) if not paragraph else None
        block_title = _BLOCK_TITLE.match(line) if not paragraph else None
        if title or block_title:
            at = s + (title or block_title).end()
            blocks.cut(s, at)
            if scopes is not None:
                scopes.append((at, blocks.end_of(i), "heading"))
            i += 1
            continue
        # a list item starts a block even right under a paragraph line; an admonition label only
        # at a paragraph's start
        m = _MARKER.match(line) or (_ADMONITION.match(line) if not paragraph else None)
        if m:
            blocks.cut(s, s + m.end())
        paragraph = True
        i += 1
    return assemble(raw, blocks.cuts, _INLINE, _KINDS, _token, scopes)



def _token(kind: str, m: re.Match, b: ViewBuilder, scopes: Optional[list]) -> None:
    if kind == "macro":
        name = m.string[m.start():m.start("target") - 1]
        if name in _LINK_MACROS or name in _TEXT_MACROS:
            kept_or_masked(m, "body", b, scopes, "link" if name in _LINK_MACROS else None)
        else:  # a key, a passthrough, an index term
            b.atom(m.start(), m.end(), MASK)
    elif kind == "url":
        kept_or_masked(m, "urltext", b, scopes, "link")
    elif kind == "xref":
        kept_or_masked(m, "xtext", b, scopes, "link")
    elif kind in ("mono", "image"):
        b.atom(m.start(), m.end(), MASK)
    elif kind == "cell":
        b.atom(m.start(), m.end(), "\n")
    elif kind == "dlist":  # "Term:: definition" reads "Term: definition"
        b.atom(m.start(), m.end(), ":")
    # anchor, emph, hardbreak, escape: markup, not prose


def read(raw: str) -> list[Unit]:
    scopes: list = []
    view, omap = adoc_view(raw, scopes)
    return [make_unit(view, omap, scopes=sorted(scopes))]
