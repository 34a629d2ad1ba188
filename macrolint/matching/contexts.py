"""Benign contexts: the phrases around a match that clear it (a rule's ``exceptions``,
``unless_before``, ``unless_after`` and ``unless_sentence``).

A ``PhraseSet`` finds several phrases at once: literal forms through one Aho-Corasick automaton on
a flattened copy of the text, the rest (gaps, ``re:`` contexts) one pattern at a time, each
compiled when first reached. ``Contexts`` holds a rule's four sets and decides for a match.
"""
from __future__ import annotations

import re
from typing import Iterator, Sequence

from macrolint.matching import automata
from macrolint.matching.automata import (
    automaton,
    bounded_regex,
    compile_once,
    literal_hits,
)
from macrolint.packs.model import Rule
from macrolint.packs.phrases import Phrase


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

    @property
    def compiled(self) -> int:
        """How many of the patterns were compiled so far (each when a search first reached it)."""
        return len(self._rx)

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
            for m in compiled[n].finditer(low, lo, hi, timeout=automata.REGEX_TIMEOUT):
                yield m.span()


class Contexts:
    """A rule's benign contexts."""

    __slots__ = ("exceptions", "before", "after", "sentence")

    def __init__(self, rule: Rule):
        self.exceptions = PhraseSet(rule.exceptions) if rule.exceptions else None
        self.before = PhraseSet(rule.unless_before) if rule.unless_before else None
        self.after = PhraseSet(rule.unless_after) if rule.unless_after else None
        self.sentence = PhraseSet(rule.unless_sentence) if rule.unless_sentence else None

    def suppresses(self, low: str, s: int, e: int) -> bool:
        if self.exceptions is not None:
            if any(a <= s and z >= e for a, z in self.exceptions.iter_spans(low, s - 200, e + 200)):
                return True
        if self.before is not None:
            j = s
            while j > 0 and low[j - 1] in _GLUE:
                j -= 1
            if any(z == j for _, z in self.before.iter_spans(low, j - 120, j)):
                return True
        if self.after is not None:
            k = e
            while k < len(low) and low[k] in _GLUE:
                k += 1
            if any(a == k for a, _ in self.after.iter_spans(low, k, k + 120)):
                return True
        if self.sentence is not None:
            a, z = sentence_bounds(low, s, e)
            if any(True for _ in self.sentence.iter_spans(low, a, s)) or any(True for _ in self.sentence.iter_spans(low, e, z)):
                return True
        return False


_GLUE = frozenset(" \t\n\r,;:-\u00a0")
_SPACE = re.compile(r"\s+")
_SENT_BREAK = re.compile(r"[.!?]+[\"')\]]*(?=\s|$)|\n[^\S\n]*\n")


def sentence_bounds(text: str, s: int, e: int) -> tuple[int, int]:
    """The sentence around ``[s, e)``: bounded by ., ! or ? before a space, or a blank line."""
    lo = max(0, s - 400)
    start = lo
    for m in _SENT_BREAK.finditer(text, lo, s):
        start = m.end()
    if start == lo and lo > 0:  # no break in reach: start at a word, not inside one
        space = _SPACE.search(text, lo, s)
        start = space.end() if space else s
    m = _SENT_BREAK.search(text, e, min(len(text), e + 400))
    if m:
        return start, m.end()
    end = min(len(text), e + 400)
    if end < len(text):  # likewise at the far end
        cut = max(text.rfind(" ", e, end), text.rfind("\n", e, end))
        end = cut if cut != -1 else e
    return start, end
