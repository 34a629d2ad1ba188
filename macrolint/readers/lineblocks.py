"""Line-oriented markup (reStructuredText, AsciiDoc): a block pass marks what of the file is not
prose, an inline pass reads the rest.

``Lines`` holds the file's lines and their offsets; a reader records ``cuts`` (raw stretches
left out of the view, or shown as other text: a paragraph break for a code block, ``:`` for
``::``) as it walks them. ``assemble`` builds the view from the cuts, reading every stretch
between them with the reader's inline pattern and a function for its tokens, so each kept
character maps to the raw file.
"""
from __future__ import annotations

import re
from typing import Callable, Optional, Sequence

from macrolint.text.document import MASK, OffsetMap, ViewBuilder


def indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def blank(line: str) -> bool:
    return not line.strip()


class Lines:
    """The lines of a file, and what a block pass keeps out of its prose."""

    def __init__(self, raw: str) -> None:
        self.lines = raw.split("\n")
        self.starts: list[int] = []
        at = 0
        for line in self.lines:
            self.starts.append(at)
            at += len(line) + 1
        #: ``(raw start, raw end, view text)``: stretches left out, or shown as the text.
        self.cuts: list[tuple[int, int, str]] = []

    def end_of(self, i: int) -> int:
        """Where line ``i`` ends, before its line break (and a carriage return)."""
        line = self.lines[i]
        return self.starts[i] + len(line) - (1 if line.endswith("\r") else 0)

    def indented_end(self, first: int, level: int) -> int:
        """The index of the line after the block that starts at ``first``: the lines after it
        that are blank or indented deeper than ``level``, less trailing blanks."""
        j = first + 1
        last = first
        while j < len(self.lines) and (blank(self.lines[j]) or indent(self.lines[j]) > level):
            if not blank(self.lines[j]):
                last = j
            j += 1
        return last + 1

    def cut_lines(self, first: int, end: int, show: str = "\n\n") -> None:
        """Leave lines ``first`` to ``end`` (exclusive) out, shown as ``show``."""
        self.cuts.append((self.starts[first], self.end_of(end - 1), show))

    def cut(self, start: int, end: int, show: str = "") -> None:
        """Leave ``raw[start:end]`` out, shown as ``show``."""
        self.cuts.append((start, end, show))


def assemble(raw: str, cuts: list[tuple[int, int, str]], pattern: re.Pattern, kinds: Sequence[str],
             token: Callable[[str, re.Match, ViewBuilder, Optional[list]], None],
             scopes: Optional[list]) -> tuple[str, OffsetMap]:
    """The view of ``raw`` with ``cuts`` applied, every stretch between them read as prose by
    ``inline``. A cut inside one already made is passed over."""
    b = ViewBuilder()
    pos = 0
    for cs, ce, show in sorted(cuts):
        if cs < pos:
            continue
        if cs > pos:
            inline(raw, pos, cs, pattern, kinds, token, b, scopes)
        b.atom(cs, ce, show)
        pos = ce
    if pos < len(raw):
        inline(raw, pos, len(raw), pattern, kinds, token, b, scopes)
    return b.build()


def kept(raw: str, s: int, e: int, b: ViewBuilder, scopes: Optional[list], scope: Optional[str]) -> None:
    """Keep ``raw[s:e]`` as it is, in ``scope`` when one is given."""
    b.text(s, raw[s:e])
    if scope and scopes is not None:
        scopes.append((s, e, scope))


def kept_or_masked(m: re.Match, group: str, b: ViewBuilder, scopes: Optional[list], scope: Optional[str]) -> None:
    """Keep what ``group`` of an inline token holds (a link's own text); a token without it (a bare
    URL, a cross-reference shown by its target's title) is masked whole."""
    ts, te = m.span(group)
    if te > ts:
        kept(m.string, ts, te, b, scopes, scope)
    else:
        b.atom(m.start(), m.end(), MASK)


def inline(raw: str, start: int, end: int, pattern: re.Pattern, kinds: Sequence[str],
           token: Callable[[str, re.Match, ViewBuilder, Optional[list]], None], b: ViewBuilder,
           scopes: Optional[list]) -> None:
    """Read ``raw[start:end]`` as prose: the text between ``pattern``'s matches as it is, and each
    match through ``token(kind, match, builder, scopes)``, its kind the first of ``kinds`` (the
    pattern's outer groups) that matched. A token that adds nothing is markup left out."""
    pos = start
    for m in pattern.finditer(raw, start, end):
        s, e = m.span()
        if s > pos:
            b.text(pos, raw[pos:s])
        token(next(k for k in kinds if m.start(k) != -1), m, b, scopes)
        pos = e
    if end > pos:
        b.text(pos, raw[pos:end])
