"""Comparing a phrase with the text around a word that may be one of its words misspelt: a
window of the text aligned with the phrase by rapidfuzz, widened to whole words, and accepted
only when every word of the phrase has a close counterpart in place."""
from __future__ import annotations

import bisect
import re

from macrolint.text.document import MASK

#: Lowest similarity (0..1) a near-variant needs to be reported at all.
FLOOR = 0.86
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
_FUZZ = None


def _fuzz():
    """rapidfuzz.fuzz, imported on first use (start-up stays fast when nothing is near)."""
    global _FUZZ
    if _FUZZ is None:
        from rapidfuzz import fuzz

        _FUZZ = fuzz
    return _FUZZ


def words_near(low: str, words: tuple[str, ...], lo: int, hi: int) -> bool:
    """Whether each of ``words`` occurs as a whole word in ``low[lo:hi]``. ``verify_near`` compares a
    window reaching ``len(key) + 8`` characters either side and may widen the match to whole
    words, so callers pass bounds four characters wider: a short word it could use lies inside."""
    lo = max(0, lo)
    hi = min(len(low), hi)
    for w in words:
        n = len(w)
        i = low.find(w, lo, hi)
        while i != -1:
            if (i == 0 or low[i - 1] not in _WORDISH) and (i + n == len(low) or low[i + n] not in _WORDISH):
                break
            i = low.find(w, i + 1, hi)
        else:
            return False
    return True


_WORDISH = frozenset("abcdefghijklmnopqrstuvwxyz'")


def occurrences_of(low: str, tok: str) -> list[int]:
    """Where ``tok`` occurs in ``low`` as a whole word (no letter, digit or apostrophe either side)."""
    found = []
    n = len(tok)
    end = len(low)
    i = low.find(tok)
    while i != -1:
        if i:
            before = low[i - 1]
            if before.isalnum() or before == "'":
                i = low.find(tok, i + 1)
                continue
        if i + n < end:
            after = low[i + n]
            if after.isalnum() or after == "'":
                i = low.find(tok, i + 1)
                continue
        found.append(i)
        i = low.find(tok, i + 1)
    return found


def _word_ok(want: str, got: str) -> bool:
    if want == got:
        return True
    return len(want) >= 5 and _fuzz().ratio(want, got) >= 80


def _words_agree(want: list[str], got: list[str]) -> bool:
    """Typos, not other words: every word of the phrase has a close counterpart in place
    (short words exactly); one extra word may be inserted."""
    if len(got) == len(want):
        return all(_word_ok(w, g) for w, g in zip(want, got))
    if len(got) == len(want) + 1:
        return any(all(_word_ok(w, g) for w, g in zip(want, got[:i] + got[i + 1:])) for i in range(1, len(got) - 1))
    return False


def _window(key: str, pos: int, toklen: int) -> tuple[int, int]:
    """Where ``verify_near`` looks for ``key`` around a token at ``pos`` (before clipping to the text)."""
    return pos - len(key) - 8, pos + toklen + len(key) + 8


def verify_near(low: str, key: str, pos: int, toklen: int):
    lo, hi = _window(key, pos, toklen)
    lo, hi = max(0, lo), min(len(low), hi)
    window = low[lo:hi]
    fuzz = _fuzz()
    al = fuzz.partial_ratio_alignment(key, window, score_cutoff=FLOOR * 100)
    if al is None:
        return None
    s, e = lo + al.dest_start, lo + al.dest_end
    while s < e and not low[s].isalnum():
        s += 1
    while e > s and not (low[e - 1].isalnum() or low[e - 1] == "'"):
        e -= 1
    while s > 0 and (low[s - 1].isalnum() or low[s - 1] == "'"):
        s -= 1
    while e < len(low) and (low[e].isalnum() or low[e] == "'"):
        e += 1
    if not (s <= pos < e) or MASK in low[s:e] or _BLANK_LINE.search(low, s, e):
        return None
    span = " ".join(low[s:e].split())
    if not _words_agree(key.split(" "), span.split(" ")):
        return None
    score = fuzz.ratio(key, span) / 100
    if score < FLOOR:
        return None
    return s, e, min(score, 0.99)


def spans_by_rule(exact) -> dict[int, tuple[list[int], list[int]]]:
    """Exact candidates by rule: their starts in order, and the furthest end reached by each
    start so far (so one bisection tells whether a span overlaps any of them)."""
    grouped: dict[int, list[tuple[int, int]]] = {}
    for ri, s, e in exact:
        grouped.setdefault(ri, []).append((s, e))
    out = {}
    for ri, found in grouped.items():
        found.sort()
        reach, furthest = [], -1
        for _, e in found:
            furthest = max(furthest, e)
            reach.append(furthest)
        out[ri] = ([s for s, _ in found], reach)
    return out


def overlaps_by_rule(spans: dict, ri: int, start: int, end: int) -> bool:
    """Whether ``[start, end)`` overlaps an exact candidate of rule ``ri``."""
    found = spans.get(ri)
    if found is None:
        return False
    starts, reach = found
    i = bisect.bisect_left(starts, end)  # those starting before ``end``
    return i > 0 and reach[i - 1] > start
