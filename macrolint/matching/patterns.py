"""``pattern:`` entries: regular expressions, each tried only where it can match.

A pattern's anchors (literals every match contains, worked out when its pack was read, see
``packs.regexlits``) form one automaton run over the text; a pattern runs only on texts where
one of its anchors occurs, and a pattern whose every match starts where an anchor starts
(``regexes.led_by``) is tried only from those places. A pattern with no anchors runs on every
text, by itself: ``full_scans`` names it.
"""
from __future__ import annotations

from typing import Optional, Sequence

from macrolint.matching.automata import automaton, compile_once
from macrolint.matching.matcher import (
    PATTERN_FLAGS,
    Matcher,
    Text,
    anchors_of,
    entries,
)
from macrolint.matching.regexes import captures, led_by, matches_at, timed_finditer
from macrolint.packs.model import MatchEntry, Rule


class PatternMatcher(Matcher):
    def __init__(self, rules: Sequence[Rule], items: list[tuple[int, int, MatchEntry]], led: bool = True):
        self.rules = rules
        #: Whether patterns led by their anchors are tried only from there (else every pattern
        #: is run over the whole text, which finds the same matches).
        self._use_led = led
        self._items = items
        anchors: dict[str, list[int]] = {}
        self._always: list[int] = []
        for i, (_, _, entry) in enumerate(items):
            found = anchors_of(entry)
            if not found:
                self._always.append(i)
            for a in found:
                anchors.setdefault(a, []).append(i)
        self._anchor_keys = list(anchors)
        self._anchor_ids = list(anchors.values())
        self._anchors = automaton(self._anchor_keys)
        self._compiled: dict[int, object] = {}
        self._led: dict[int, Optional[frozenset[int]]] = {}

    @classmethod
    def compile(cls, rules: Sequence[Rule], led: bool = True) -> Optional["PatternMatcher"]:
        items = entries(rules, lambda entry: entry.phrase is None)
        return cls(rules, items, led) if items else None

    def full_scans(self) -> list[tuple[Rule, MatchEntry]]:
        return [(self.rules[self._items[i][0]], self._items[i][2]) for i in self._always]

    def _regex(self, i: int):
        compiled = self._compiled.get(i)
        if compiled is None:
            compiled = self._compiled[i] = compile_once(self._items[i][2].pattern, PATTERN_FLAGS)
        return compiled

    def _led_keys(self, i: int) -> Optional[frozenset[int]]:
        """For a pattern whose every match starts where one of its anchors starts (``led_by``),
        the numbers of those anchors in the automaton: it is tried only there."""
        if i in self._led:
            return self._led[i]
        entry = self._items[i][2]
        led = None
        if self._use_led and entry.anchors and led_by(entry.pattern, entry.anchors):
            led = frozenset(self._anchor_keys.index(a) for a in entry.anchors)
        self._led[i] = led
        return led

    def scan(self, text: Text) -> list:
        low = text.low
        todo = set(self._always)
        hits = ()
        if self._anchors is not None:
            hits = self._anchors.find_matches_as_indexes(low, overlapping=True)
            for idx, _, _ in hits:
                todo.update(self._anchor_ids[idx])
        cands: list = []
        lost: list = []
        for i in sorted(todo):
            ri, _, entry = self._items[i]
            led = self._led_keys(i)
            try:
                if led is None:
                    for m in timed_finditer(self._regex(i), low, text.budget, ri, lost):
                        if m.end() != m.start():
                            cands.append((m.start(), m.end(), ri, entry, captures(m, text.text), 1.0))
                else:
                    for m in matches_at(self._regex(i), low, sorted({s for idx, s, _ in hits if idx in led}),
                                        budget=text.budget, rule=ri):
                        cands.append((m.start(), m.end(), ri, entry, captures(m, text.text), 1.0))
            except TimeoutError:
                text.timed_out.append(self.rules[ri])  # this rule stops; the others go on
        text.timed_out.extend(self.rules[ri] for ri in lost)  # a window of a long text lost
        return cands

    def led(self) -> list[tuple[Rule, MatchEntry]]:
        """The patterns tried only from where their anchors start."""
        return [(self.rules[ri], entry) for i, (ri, _, entry) in enumerate(self._items) if self._led_keys(i) is not None]
