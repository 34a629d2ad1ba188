"""Many keys found at once: overlapping Aho-Corasick automata run on a flattened copy of a text
(``text.normalize.flatten``), hits mapped back to the text's own offsets, and regular
expressions compiled once a process (through the cache of compiled patterns)."""
from __future__ import annotations

import bisect
from typing import Iterator, Optional, Sequence

import ahocorasick_rs

from macrolint.packs.phrases import RawPattern
from macrolint.text.normalize import bounded, flatten

#: Seconds a single user pattern may run on one text (read as ``automata.REGEX_TIMEOUT``).
REGEX_TIMEOUT = 1.0


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
        from macrolint.storage.cache import compiled

        rx = _COMPILED[key] = compiled(source, flags)
    return rx


def bounded_regex(phrase) -> str:
    """A phrase's regex with word boundaries; ``re:`` patterns are used as written."""
    src = phrase.regex_source()
    return src if isinstance(phrase, RawPattern) else "(?<!\\w)(?:" + src + ")(?!\\w)"
