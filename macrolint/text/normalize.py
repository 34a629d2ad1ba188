"""Texts as the matchers compare them, every offset kept in place.

``normalize_text`` lower-cases and straightens apostrophes and spaces; ``flatten`` turns hyphens and
runs of spaces with at most one line break into one space and keeps a blank line as a barrier
(``\\n``, or two spaces or more where that moves no offset), so a phrase matches across line
wrapping but never across paragraphs. ``bounded`` tells whether a span starts and ends at word
boundaries.
"""
from __future__ import annotations

import re

_NORM = str.maketrans({
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2010": "-", "\u2011": "-",
})


_NORM_PAIRS = [(c, r) for c, r in ((chr(k), v) for k, v in _NORM.items()) if c.isascii() is False]


def normalize_text(text: str) -> str:
    """Lower-case, straighten apostrophes and unify spaces, keeping every offset in place."""
    t = text
    if not t.isascii():
        for c, r in _NORM_PAIRS:
            if c in t:
                t = t.replace(c, r)
    if "`" in t:
        t = t.replace("`", "'")
    low = t.lower()
    if len(low) != len(t):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in t)
    return low


_FLAT = str.maketrans({"-": " ", "\t": " ", "\r": " ", "\f": " ", "\v": " "})
#: Runs of two or more spaces: in the text with line breaks turned into spaces, the runs of spaces
#: and breaks (a pattern that starts with a literal is searched for far faster than a class).
_SPACE_RUN = re.compile("  +")


def flatten(low: str) -> tuple[str, list[int], list[int]]:
    """The flat text and its breakpoints: flat offset ``i`` is ``low`` offset ``i + shifts[k]``,
    ``k`` the last breakpoint with ``starts[k] <= i``. A lone line break becomes a space in place;
    only runs of two or more spaces and breaks shift what follows.

    Where no space touches a line break and no two spaces meet, each break becomes a space in
    place: a blank line then reads as two spaces or more, which no phrase key spans (keys have
    single spaces, ``phrases.normalize_key``), so it stays a barrier and no offset moves."""
    t = low.replace("-", " ")
    if "\t" in t or "\r" in t or "\f" in t or "\v" in t:
        t = t.translate(_FLAT)
    if "  " not in t:
        if "\n" not in t:
            return t, [0], [0]
        if " \n" not in t and "\n " not in t:
            return t.replace("\n", " "), [0], [0]
    return collapse(t)


def collapse(t: str) -> tuple[str, list[int], list[int]]:
    """``flatten`` of ``t`` (hyphens and other spaces turned into spaces) by collapsing each run
    of spaces and breaks into one space, or into ``\\n`` when it holds two breaks or more."""
    starts, shifts = [0], [0]
    spaced = t.replace("\n", " ")
    parts: list[str] = []
    pos = shift = 0
    for m in _SPACE_RUN.finditer(spaced):
        a, z = m.span()
        parts.append(spaced[pos:a])
        parts.append("\n" if t.count("\n", a, z) >= 2 else " ")
        pos = z
        shift += z - a - 1
        starts.append(z - shift)
        shifts.append(shift)
    if not parts:
        return spaced, starts, shifts
    parts.append(spaced[pos:])
    return "".join(parts), starts, shifts


def is_word_char(c: str) -> bool:
    """Whether ``c`` is what ``\\w`` matches."""
    return c.isalnum() or c == "_"


def bounded(low: str, s: int, e: int) -> bool:
    """Whether ``low[s:e]`` starts and ends at word boundaries (an apostrophe followed by a letter,
    as in "can't", belongs to the word)."""
    if s and is_word_char(low[s]):
        prev = low[s - 1]
        if is_word_char(prev) or (prev == "'" and s > 1 and low[s - 2].isalpha()):
            return False
    n = len(low)
    if e < n and is_word_char(low[e - 1]):
        nxt = low[e]
        if is_word_char(nxt) or (nxt == "'" and e + 1 < n and low[e + 1].isalpha()):
            return False
    return True
