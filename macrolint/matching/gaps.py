"""Phrases with gaps (``we ... escalated``): each part a table of forms, anything short between.

A gap phrase can only match where each of its parts has a form present, and only from where a
form of its first part starts. The forms of the later parts (the rarer words) form one
automaton, those of the first parts another, run only when some phrase has all its later parts
present; both run on the flattened text like the literal automaton. The phrase's regex is then
rebuilt from the forms present (same order, so the same alternative wins), which keeps it
small, and tried only from those starts.

That prefilter reads flattened ASCII: a phrase with a form outside ASCII, and every phrase on a
text where case folding or exotic spaces could make its regex match a form the flat search
does not see (``plain``), is instead run where one of its anchor words occurs (``anchors_of``),
or on every text when it has none (``full_scans``). Either way only that phrase pays.
"""
from __future__ import annotations

import bisect
from typing import Optional, Sequence

from macrolint.matching.automata import automaton, compile_once, flat_hits
from macrolint.matching.matcher import (
    PATTERN_FLAGS,
    Matcher,
    Text,
    anchors_of,
    entries,
)
from macrolint.matching.regexes import MATCH_WINDOW, matches_at, timed_finditer
from macrolint.packs.model import MatchEntry, Rule
from macrolint.packs.phrases import GAP, SEP, key_regex
from macrolint.text.document import MASK

_MAX_REGEXES = 4096
#: A text longer than this has its phrase starts checked against where their second part is.
BIG_TEXT = 32 * 1024


def _followed(positions: list[int], start: int) -> bool:
    """Whether one of ``positions`` (sorted) is within ``MATCH_WINDOW`` after ``start``: a
    phrase's match is looked for no further (``regexes.matches_at``)."""
    k = bisect.bisect_left(positions, start)
    return k < len(positions) and positions[k] <= start + MATCH_WINDOW


class GapMatcher(Matcher):
    def __init__(self, rules: Sequence[Rule], items: list[tuple[int, int, MatchEntry]]):
        self.rules = rules
        self._items = items
        self._order: dict[int, list[list[str]]] = {}
        first: dict[str, list[int]] = {}
        rest: dict[str, list[tuple[int, int]]] = {}
        self._fallback: list[int] = []
        for i, (_, _, entry) in enumerate(items):
            order = [sorted(seg, key=len, reverse=True) for seg in entry.phrase.segments]
            if len(order) < 2 or not all(k.isascii() for seg in order for k in seg):
                self._fallback.append(i)
                continue
            self._order[i] = order
            for k in order[0]:
                first.setdefault(k, []).append(i)
            for si, seg in enumerate(order[1:], 1):
                for k in seg:
                    rest.setdefault(k, []).append((i, si))
        self._first_keys = list(first)
        self._first_targets = [first[k] for k in self._first_keys]
        self._first_ac = automaton(self._first_keys)
        self._rest_keys = list(rest)
        self._rest_targets = [rest[k] for k in self._rest_keys]
        self._rest_ac = automaton(self._rest_keys)
        self._regexes: dict = {}
        self._compiled: dict[int, object] = {}
        #: The anchor path: for the phrases that cannot be prefiltered, and for every phrase on a
        #: text that is not ``plain`` (built when first needed).
        self._anchored: dict[bool, tuple] = {}

    @classmethod
    def compile(cls, rules: Sequence[Rule]) -> Optional["GapMatcher"]:
        items = entries(rules, lambda entry: entry.phrase is not None and not entry.phrase.is_literal)
        return cls(rules, items) if items else None

    def full_scans(self) -> list[tuple[Rule, MatchEntry]]:
        return [(self.rules[self._items[i][0]], self._items[i][2]) for i in self._fallback
                if not anchors_of(self._items[i][2])]

    def scan(self, text: Text) -> list:
        cands: list = []
        if not plain(text.low):
            self._scan_anchored(text, range(len(self._items)), cands)
        else:
            if self._fallback:
                self._scan_anchored(text, self._fallback, cands)
            if self._order:
                self._scan_prefiltered(text, cands)
            if self._fallback and self._order:
                order = {id(entry): i for i, (_, _, entry) in enumerate(self._items)}
                cands.sort(key=lambda c: order[id(c[3])])
        return cands

    def _anchor_path(self, which: Sequence[int]) -> tuple:
        key = len(which) == len(self._items)
        found = self._anchored.get(key)
        if found is None:
            anchors: dict[str, list[int]] = {}
            always = []
            for i in which:
                got = anchors_of(self._items[i][2])
                if not got:
                    always.append(i)
                for a in got:
                    anchors.setdefault(a, []).append(i)
            found = self._anchored[key] = (automaton(list(anchors)), list(anchors.values()), always)
        return found

    def _scan_anchored(self, text: Text, which: Sequence[int], cands: list) -> None:
        """The whole phrase regex, run where one of the phrase's anchors occurs."""
        ac, ids, always = self._anchor_path(which)
        todo = set(always)
        if ac is not None:
            for idx, _, _ in ac.find_matches_as_indexes(text.low, overlapping=True):
                todo.update(ids[idx])
        for i in sorted(todo):
            ri, _, entry = self._items[i]
            rx = self._compiled.get(i)
            if rx is None:
                rx = self._compiled[i] = compile_once("(?<!\\w)(?:" + entry.phrase.regex_source() + ")(?!\\w)",
                                                      PATTERN_FLAGS)
            lost: list = []
            try:
                for m in timed_finditer(rx, text.low, text.budget, ri, lost):
                    if m.end() != m.start():
                        cands.append((m.start(), m.end(), ri, entry, {}, 1.0))
            except TimeoutError:
                text.timed_out.append(self.rules[ri])  # this rule stops; the others go on
            else:
                if lost:
                    text.timed_out.append(self.rules[ri])

    def _scan_prefiltered(self, text: Text, cands: list) -> None:
        flat = text.flat
        present: dict[int, list[set[str]]] = {}
        keys, targets, order = self._rest_keys, self._rest_targets, self._order
        big = len(text.low) > BIG_TEXT
        # Which forms occur, and in a long text where each phrase's second part does: there
        # every phrase has all its parts somewhere, and only a start followed closely by its
        # second part is worth a regex (else cost grew with the text times its starts).
        second: dict[int, list[int]] = {}
        if big:
            hits = [(idx, s) for idx, s, _ in flat_hits(self._rest_ac, flat)]
        else:  # which forms occur matters here, not where: no offsets to map back
            hits = [(idx, 0) for idx in {idx for idx, _, _ in
                                         self._rest_ac.find_matches_as_indexes(flat[0], overlapping=True)}]
        for idx, at in hits:
            key = keys[idx]
            for i, si in targets[idx]:
                segs = present.get(i)
                if segs is None:
                    segs = present[i] = [set() for _ in order[i]]
                segs[si].add(key)
                if big and si == 1:
                    second.setdefault(i, []).append(at)
        for found in second.values():
            found.sort()
        ready = {i for i, segs in present.items() if all(segs[1:])}
        if not ready:
            return
        starts: dict[int, set[int]] = {}
        keys, targets = self._first_keys, self._first_targets
        for idx, s, _ in flat_hits(self._first_ac, flat):
            for i in targets[idx]:
                if i in ready:
                    if big and i in second and not _followed(second[i], s):
                        continue
                    present[i][0].add(keys[idx])
                    starts.setdefault(i, set()).add(s)
        for i in sorted(starts):
            ri, _, entry = self._items[i]
            parts = tuple(tuple(k for k in seg if k in got) for seg, got in zip(order[i], present[i]))
            rx = self._regexes.get((i, parts))
            if rx is None:
                from macrolint.storage.cache import compiled

                src = "(?<!\\w)(?:" + (SEP + GAP).join(
                    "(?:" + "|".join(key_regex(k) for k in part) + ")" for part in parts) + ")(?!\\w)"
                if len(self._regexes) > _MAX_REGEXES:
                    self._regexes.clear()
                rx = self._regexes[(i, parts)] = compiled(src, PATTERN_FLAGS)
            try:
                for m in matches_at(rx, text.low, sorted(starts[i]), window=True, budget=text.budget, rule=ri):
                    cands.append((m.start(), m.end(), ri, entry, {}, 1.0))
            except TimeoutError:
                text.timed_out.append(self.rules[ri])  # this rule stops; the others go on


_RISKY: dict[str, bool] = {}


def plain(low: str) -> bool:
    """Whether flat literal search sees every place a case-insensitive phrase regex could match:
    no character that case-folds unlike its lower case (``ſ``), and no space other than ASCII's."""
    if low.isascii() or low.replace(MASK, "").isascii():  # masked placeholders are common
        return True
    for c in set(low):
        if c > "\x7f":
            risky = _RISKY.get(c)
            if risky is None:
                risky = _RISKY[c] = c.isspace() or c.casefold() != c or c.upper().lower() != c
            if risky:
                return False
    return True
