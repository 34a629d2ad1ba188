"""Finding many phrases at once: literal forms through one Aho-Corasick automaton on a flattened
copy of the text, the rest (gaps, ``re:`` contexts) through one lazily compiled regex.

Flattening lower-cases nothing (callers pass lower-cased text); it turns hyphens and runs of
spaces with at most one line break into one space and keeps a blank line as a barrier (``\\n``,
or two spaces or more where that moves no offset), so a phrase matches across line wrapping but
never across paragraphs.
"""
from __future__ import annotations

import bisect
import re
from typing import Iterator, Optional, Sequence

import ahocorasick_rs

from .phrases import Phrase, RawPattern

REGEX_TIMEOUT = 1.0  # seconds a single user pattern may run on one text

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
    return _collapse(t)


def _collapse(t: str) -> tuple[str, list[int], list[int]]:
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


def automaton(keys: Sequence[str]):
    """An overlapping Aho-Corasick matcher for ``keys``, or None for no keys."""
    if not keys:
        return None
    return ahocorasick_rs.AhoCorasick(list(keys), matchkind=ahocorasick_rs.MatchKind.Standard)


def flat_hits(ac, flat_view: tuple[str, list[int], list[int]], lo: int = 0) -> Iterator[tuple[int, int, int]]:
    """``(key index, start, end)`` of every key occurrence in a ``flatten``-ed text, as offsets
    into the text it was flattened from (plus ``lo``), word boundaries unchecked."""
    flat, starts, shifts = flat_view
    if len(starts) == 1:
        for idx, fs, fe in ac.find_matches_as_indexes(flat, overlapping=True):
            yield idx, lo + fs, lo + fe
        return
    right = bisect.bisect_right
    for idx, fs, fe in ac.find_matches_as_indexes(flat, overlapping=True):
        yield idx, lo + fs + shifts[right(starts, fs) - 1], lo + fe + shifts[right(starts, fe - 1) - 1]


def literal_hits(ac, low: str, lo: int = 0, hi: Optional[int] = None,
                 flat_view: Optional[tuple[str, list[int], list[int]]] = None) -> Iterator[tuple[int, int, int]]:
    """``(key index, start, end)`` of every bounded key occurrence in ``low[lo:hi]``
    (``flat_view``: ``flatten(low)`` when the caller has it already; whole text only)."""
    if flat_view is None:
        flat_view = flatten(low if lo == 0 and hi is None else low[lo:hi])
    for idx, s, e in flat_hits(ac, flat_view, lo):
        if bounded(low, s, e):
            yield idx, s, e


_COMPILED: dict[tuple[str, int], object] = {}


def compile_once(source: str, flags: int = 0):
    """``regex.compile``, once per pattern in a process (rules share benign-context patterns:
    dates, quoted text), through the cache of compiled patterns (compiling is slow)."""
    key = (source, flags)
    rx = _COMPILED.get(key)
    if rx is None:
        from .cache import compiled

        rx = _COMPILED[key] = compiled(source, flags)
    return rx


def bounded_regex(phrase) -> str:
    """A phrase's regex with word boundaries; ``re:`` patterns are used as written."""
    src = phrase.regex_source()
    return src if isinstance(phrase, RawPattern) else "(?<!\\w)(?:" + src + ")(?!\\w)"


class PhraseSet:
    """Several phrases (a rule's exceptions, say) searched together."""

    __slots__ = ("_ac", "_others", "_rx")

    def __init__(self, phrases: Sequence) -> None:
        keys: set[str] = set()
        self._others = []
        for p in phrases:
            if isinstance(p, Phrase) and p.is_literal:
                keys.update(p.keys())
            else:
                self._others.append(p)
        self._ac = automaton(sorted(keys))
        self._rx: list = []

    def spans(self, low: str, lo: int, hi: int) -> list[tuple[int, int]]:
        """Spans of every phrase occurrence inside ``low[lo:hi]``."""
        return list(self.iter_spans(low, lo, hi))

    def iter_spans(self, low: str, lo: int, hi: int) -> Iterator[tuple[int, int]]:
        """``spans``, found as they are asked for: the literal phrases first, then each pattern in
        turn (compiled when first reached), so a caller that stops at the first span it wants
        runs no more patterns than it needs."""
        lo, hi = max(0, lo), min(len(low), hi)
        if hi <= lo:
            return
        if self._ac is not None:
            for _, s, e in literal_hits(self._ac, low, lo, hi):
                yield s, e
        # One pattern at a time: rules share them (79 distinct in the built-in packs), so each
        # is compiled once, where each rule's own alternation of them would be compiled anew.
        compiled = self._rx
        for n, p in enumerate(self._others):
            if n == len(compiled):
                compiled.append(compile_once(bounded_regex(p)))
            for m in compiled[n].finditer(low, lo, hi, timeout=REGEX_TIMEOUT):
                yield m.span()
