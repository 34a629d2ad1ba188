"""Line-oriented markup (reStructuredText, AsciiDoc): a block pass marks what of the file is not
prose, an inline pass reads the rest.

``Lines`` holds the file's lines and their offsets; a reader records ``cuts`` (raw stretches
left out of the view, or shown as other text: a paragraph break for a code block, ``:`` for
``::``) as it walks them. ``assemble`` builds the view from the cuts, handing every
stretch between them to the reader's inline pass, so each kept character maps to the raw file.
"""
from __future__ import annotations

from typing import Callable, Optional

from macrolint.text.document import OffsetMap, ViewBuilder


def indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def blank(line: str) -> bool:
    return not line.strip()


class Lines:
    """The lines of a file, and what a block pass keeps out of its prose."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.lines = raw.split("\n")
        self.starts: list[int] = []
        at = 0
        for line in self.lines:
            self.starts.append(at)
            at += len(line) + 1
        #: ``(raw start, raw end, view text)``: stretches left out, or shown as the text.
        self.cuts: list[tuple[int, int, str]] = []

    def __len__(self) -> int:
        return len(self.lines)

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
        self.cuts.append((start, end, show))


def assemble(raw: str, cuts: list[tuple[int, int, str]],
             prose: Callable[[str, int, int, ViewBuilder, Optional[list]], None],
             scopes: Optional[list]) -> tuple[str, OffsetMap]:
    """The view of ``raw`` with ``cuts`` applied and the rest read by ``prose(raw, start, end,
    builder, scopes)``. A cut inside one already made is passed over."""
    b = ViewBuilder()
    pos = 0
    for cs, ce, show in sorted(cuts):
        if cs < pos:
            continue
        if cs > pos:
            prose(raw, pos, cs, b, scopes)
        b.atom(cs, ce, show)
        pos = ce
    if pos < len(raw):
        prose(raw, pos, len(raw), b, scopes)
    return b.build()


def kept(raw: str, s: int, e: int, b: ViewBuilder, scopes: Optional[list], scope: Optional[str]) -> None:
    """Keep ``raw[s:e]`` as it is, in ``scope`` when one is given."""
    b.text(s, raw[s:e])
    if scope and scopes is not None:
        scopes.append((s, e, scope))
