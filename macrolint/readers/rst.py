"""reStructuredText (Sphinx help centres, ``.rst``): prose only, every character mapped to the raw file.

The file is one article. Section titles are headings; their adornment lines are not prose. Left
out: comments, hyperlink targets, substitution definitions, directives that hold no prose (code,
images, includes, tables of contents, raw output; any directive not known to hold prose), their
options, literal blocks (the indented block after a ``::`` paragraph) and table rules. Kept:
the text of admonitions (``note``, ``warning``, ``seealso``, ...), figure captions, tables and
footnotes. Inline literals, code roles, substitutions and footnote references are masked; a
link's or a cross-reference's own text is kept as link text (```the guide <guide>`_`` and
``:ref:`the guide <guide>``` read as ``the guide``); emphasis, list and field markers vanish.
"""
from __future__ import annotations

import re
from typing import Optional

from macrolint.readers.common import make_unit
from macrolint.readers.lineblocks import (
    Lines,
    assemble,
    blank,
    indent,
    kept,
    kept_or_masked,
)
from macrolint.text.document import MASK, Unit, ViewBuilder

#: Directives whose content is prose a reader sees; any other directive is left out whole.
PROSE_DIRECTIVES = frozenset({
    "note", "warning", "tip", "important", "hint", "attention", "caution", "danger", "error",
    "admonition", "seealso", "topic", "sidebar", "rubric", "versionadded", "versionchanged",
    "deprecated", "only", "container", "rst-class", "class", "centered", "epigraph", "highlights",
    "pull-quote", "compound", "figure", "table", "list-table", "glossary", "hlist", "tab", "tabs",
    "tab-set", "tab-item", "group-tab", "card", "grid", "grid-item", "grid-item-card", "dropdown",
    "details", "div", "cssclass", "line-block",
})
#: Prose directives whose arguments (after ``::``) are prose too: a title or the text itself.
PROSE_ARGUMENTS = frozenset({
    "note", "warning", "tip", "important", "hint", "attention", "caution", "danger", "error",
    "admonition", "seealso", "topic", "sidebar", "rubric", "versionadded", "versionchanged",
    "deprecated", "centered", "table", "list-table", "tab", "tab-item", "group-tab", "card",
    "grid-item-card", "dropdown", "details",
})
#: Roles whose text is the writer's prose: kept, as link text for cross-references.
LINK_ROLES = frozenset({"ref", "doc", "term", "any", "numref", "download", "keyword", "std:ref", "std:doc"})
TEXT_ROLES = frozenset({"guilabel", "menuselection", "abbr", "emphasis", "strong", "title-reference",
                        "title", "t", "dfn", "sup", "sub", "superscript", "subscript"})

_ADORNMENT = re.compile(r"[ \t]*([!-/:-@\[-`{-~])\1{2,}[ \t]*\r?")
_TABLE_RULE = re.compile(r"[ \t]*(?:\+(?:[-=]+\+)+|=+(?:[ \t]+=+)+)[ \t]*\r?")
_EXPLICIT = re.compile(r"[ \t]*\.\.(?=[ \t]|\r?$)")
_DIRECTIVE = re.compile(r"[ \t]*\.\.[ \t]+(?P<subst>\|[^|\n]+\|[ \t]+)?(?P<name>[A-Za-z][\w:+.-]*?)::(?=[ \t]|\r?$)[ \t]*")
_FOOTNOTE = re.compile(r"[ \t]*\.\.[ \t]+\[(?:\d+|\#[\w-]*|\*|[A-Za-z][\w.-]*)\][ \t]*")
_OPTION = re.compile(r"[ \t]+:[\w][\w -]*:(?=[ \t]|\r?$)")
#: A list item's bullet or number, or a table row's and a line block's bar.
_MARKER = re.compile(r"(?:[ \t]*(?:[-*+\u2022\u2023\u2043]|\#\.|\d{1,3}[.)]|\(\d{1,3}\)|[a-z][.)]|\|)[ \t]+)+")
_FIELD = re.compile(r"[ \t]*:[\w][\w .-]*:(?=[ \t]|\r?$)")
_INLINE = re.compile(
    r"""
      (?P<literal>``(?=\S).+?(?<=\S)``(?!\w))
    | (?P<role>:(?P<rn>[A-Za-z][\w:+.-]*):`(?P<rt>(?:[^`\\]|\\.)+?)`(?!`))
    | (?P<link>`(?P<lt>[^`<]*?)\s*<(?P<lu>[^`<>]+)>`__?)
    | (?P<ref>`(?P<rf>[^`]+?)`__?)
    | (?P<interp>`(?=\S)[^`]+?(?<=\S)`(?:(?P<pn>:[A-Za-z][\w:+.-]*:))?)
    | (?P<subst>(?<![\w|])\|(?=\S)[^|\n]+?(?<=\S)\|(?:__?)?(?![\w|]))
    | (?P<footref>\[(?:\d+|\#[\w-]*|\*|[A-Za-z][\w.-]*)\]_)
    | (?P<emph>(?<![\w*\\])\*{1,2}(?=\S)|(?<=\S)\*{1,2}(?![\w*]))
    | (?P<wordref>(?<=[A-Za-z0-9])__?(?=[\s.,;:!?)]|$))
    | (?P<escape>\\\S)
    | (?P<bar>(?<=[ \t])\|(?=[ \t]|$))
    """,
    re.X | re.M | re.S,
)
#: The outer groups of ``_INLINE``, in the order they are tried.
_KINDS = ("literal", "role", "link", "ref", "interp", "subst", "footref", "emph", "wordref", "escape", "bar")
_EXPLICIT_TITLE = re.compile(r"(?s)(?P<title>.*?\S)\s*<[^<>]+>\s*$")


def _titles(lines: Lines) -> set[int]:
    """The lines that are section titles: text with an adornment line under it (and optionally
    over it)."""
    out = set()
    text = lines.lines
    for i, line in enumerate(text):
        if i and _ADORNMENT.fullmatch(line) and not blank(text[i - 1]) \
                and not _ADORNMENT.fullmatch(text[i - 1]) and not indent(text[i - 1]) \
                and not _EXPLICIT.match(text[i - 1]) and len(line.strip()) >= min(3, len(text[i - 1].strip())):
            out.add(i - 1)
    return out


def rst_view(raw: str, scopes: Optional[list] = None) -> tuple[str, object]:
    """The prose view of a reStructuredText file with offsets into it; ``scopes``, when given,
    receives its section titles and link text."""
    blocks = Lines(raw)
    lines = blocks.lines
    titles = _titles(blocks)
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if blank(line):
            i += 1
            continue
        s = blocks.starts[i]
        level = indent(line)
        if _EXPLICIT.match(line):
            d = _DIRECTIVE.match(line)
            name = d.group("name").lower() if d and not d.group("subst") else ""
            if name in PROSE_DIRECTIVES:
                keep_args = name in PROSE_ARGUMENTS and d.end() < blocks.end_of(i) - s
                blocks.cut(s, s + d.end() if keep_args else blocks.end_of(i), "" if keep_args else "\n")
                j = i + 1
                while j < n and _OPTION.match(lines[j]) and indent(lines[j]) > level:
                    blocks.cut_lines(j, j + 1, "\n")
                    j += 1
                i = j
                continue
            f = _FOOTNOTE.match(line)
            if f and not d:
                blocks.cut(s, s + f.end(), "")
                i += 1
                continue
            # a comment, a link target, a substitution definition, or a directive with no prose
            j = blocks.indented_end(i, level)
            blocks.cut_lines(i, j)
            i = j
            continue
        if i in titles:
            if scopes is not None:
                scopes.append((s + level, blocks.end_of(i), "heading"))
            i += 1
            continue
        if _ADORNMENT.fullmatch(line) or _TABLE_RULE.fullmatch(line):
            blocks.cut_lines(i, i + 1, "\n")
            i += 1
            continue
        m = _MARKER.match(line) or _FIELD.match(line)
        if m:
            blocks.cut(s, s + m.end(), "")
        stripped = line.rstrip(" \t\r")
        if stripped.endswith("::"):
            e = s + len(stripped)
            before = stripped[:-2]
            if not before.strip() or before.endswith((" ", "\t")):  # "::" alone, or " ::": left out
                blocks.cut(s + len(before.rstrip(" \t")), e, "")
            else:  # "text::" reads "text:"
                blocks.cut(e - 2, e, ":")
            k = i + 1
            while k < n and blank(lines[k]):
                k += 1
            text_indent = m.end() if m else level  # where a list item's text starts
            if k < n and indent(lines[k]) > text_indent:  # a literal block
                j = blocks.indented_end(k, text_indent)
                blocks.cut_lines(k, j)
                i = j
                continue
        i += 1
    return assemble(raw, blocks.cuts, _INLINE, _KINDS, _token, scopes)



def _token(kind: str, m: re.Match, b: ViewBuilder, scopes: Optional[list]) -> None:
    raw = m.string
    if kind == "role":
        role = m.group("rn").lower()
        ts, te = m.span("rt")
        titled = _EXPLICIT_TITLE.match(raw, ts, te)
        if role in LINK_ROLES and titled:
            kept(raw, *titled.span("title"), b, scopes, "link")
        elif role in TEXT_ROLES or (role in ("term", "abbr") and not titled):
            kept(raw, ts, te, b, scopes, None)
        else:  # code, a file name, a key, or a reference shown by its target's title
            b.atom(m.start(), m.end(), MASK)
    elif kind == "link":
        kept_or_masked(m, "lt", b, scopes, "link")
    elif kind == "ref":
        kept(raw, *m.span("rf"), b, scopes, "link")
    elif kind in ("literal", "interp", "subst", "footref"):
        b.atom(m.start(), m.end(), MASK)
    elif kind == "escape":
        b.atom(m.start(), m.end(), m.group()[1])
    elif kind == "bar":
        b.atom(m.start(), m.end(), "\n")
    # emph, wordref: markup, not prose


def read(raw: str) -> list[Unit]:
    scopes: list = []
    view, omap = rst_view(raw, scopes)
    return [make_unit(view, omap, scopes=sorted(scopes))]
