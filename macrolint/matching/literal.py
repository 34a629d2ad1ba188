"""Literal phrase forms found through their first words.

The built-in packs expand to about 100,000 forms; an Aho-Corasick automaton over all of them
takes longer to build than a pre-commit run spends on its few replies, and every run with many
files would pay it before its first file. A form can only occur where the text has the form's
first words (its *head*: up to three words and what stands between them). So forms are filed
under their heads, some 7,000 of them: a small text is matched by looking up the heads it has,
a larger run by an automaton over the heads (a fraction of the cost to build), and either way
the forms filed under a head found are compared in place, picked out by the characters that
follow the head. The figures are in BENCHMARKS.md, "Figures behind the design".
"""
from __future__ import annotations

import re
from collections import abc
from operator import itemgetter
from typing import Iterator, Mapping, Optional, Sequence

import ahocorasick_rs

from macrolint.matching.automata import literal_hits
from macrolint.matching.compiled import TabledPhrase
from macrolint.matching.formtable import HEAD_WORDS, Grouped, TableGrouped, head
from macrolint.matching.matcher import Matcher, Text, entries, is_literal
from macrolint.packs.model import MatchEntry, Rule
from macrolint.packs.phrases import Phrase

_WORD = re.compile(r"\w+")
#: Characters of text matched by lookup before the automaton over the heads is built: about where
#: looking up (dearer a character than the automaton) has cost as much as building it.
LOOKUP_CHARS = 30_000
#: Characters after a head that pick out the forms worth comparing where the head occurs.
PROBE = 8


class LiteralMatcher(Matcher):
    """Literal phrases: every form of every phrase, found at once (``FormIndex``), word
    boundaries checked on the hits."""

    def __init__(self, items: list[tuple[int, int, MatchEntry]]):
        by_head = Heads()
        for ri, ei, entry in items:
            by_head.add((ri, ei), ri, entry, entry.phrase)
        #: Forms are numbered as texts need them, and their targets worked out on a hit.
        self.index = FormIndex(by_head)
        self._targets = self.index.targets

    @classmethod
    def compile(cls, rules: Sequence[Rule]) -> Optional["LiteralMatcher"]:
        items = entries(rules, is_literal)
        return cls(items) if items else None

    def scan(self, text: Text) -> list:
        targets = self._targets
        return [(s, e, ri, entry, caps, 1.0)
                for idx, s, e in literal_hits(self.index, text.low, flat_view=text.flat)
                for ri, entry, caps in targets[idx]]

    def prepare_for_many(self) -> None:
        """Build the automaton over the heads now (see ``Engine.prepare_for_many``)."""
        self.index.automaton()


class Heads(abc.Mapping):
    """``FormIndex``'s ``by_head``: each head -> the ``(rule index, entry, groups)`` of the phrases
    with forms under it, in rule order. The phrases of a compiled pack come with its table of
    the heads of all of them (``FormTable.heads``), consulted head by head as texts need them,
    instead of every phrase's heads being read and filed when a run starts; other phrases (of
    rules made in code) are filed here."""

    def __init__(self) -> None:
        self._own: dict[str, list[tuple[tuple[int, int], tuple]]] = {}
        self._shared: dict[object, dict[int, list[tuple[tuple[int, int], tuple]]]] = {}
        self._found: dict[str, list[tuple]] = {}

    def add(self, order: tuple[int, int], ri: int, entry: object, phrase: Phrase) -> None:
        """File an entry's literal phrase; ``order`` (rule index, entry index) sorts each head's list."""
        if isinstance(phrase, TabledPhrase):
            table = phrase.index.forms
            item = (order, (ri, entry, table.groups(phrase.number)))
            self._shared.setdefault(table, {}).setdefault(phrase.number, []).append(item)
        else:
            groups = TableGrouped(phrase.segments[0])
            item = (order, (ri, entry, groups))
            for h in groups.heads():
                self._own.setdefault(h, []).append(item)

    @property
    def filed_here(self) -> int:
        """How many heads were filed here phrase by phrase rather than read from a pack's table."""
        return len(self._own)

    def __bool__(self) -> bool:
        return bool(self._own or self._shared)

    def __contains__(self, h: str) -> bool:
        if h in self._found or h in self._own:
            return True
        return any(n in mine for table, mine in self._shared.items() for n in table.heads().get(h, ()))

    def __getitem__(self, h: str) -> list[tuple]:
        found = self._found.get(h)
        if found is None:
            items = list(self._own.get(h, ()))
            for table, mine in self._shared.items():
                for n in table.heads().get(h, ()):
                    items.extend(mine.get(n, ()))
            if not items:
                raise KeyError(h)
            items.sort(key=_order)
            found = self._found[h] = [item for _, item in items]
        return found

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __iter__(self) -> Iterator[str]:
        seen = set(self._own)
        yield from self._own
        for table, mine in self._shared.items():
            for h, numbers in table.heads().items():
                if h not in seen and any(n in mine for n in numbers):
                    seen.add(h)
                    yield h


_order = itemgetter(0)


class FormIndex:
    """The forms of many literal phrases, found in a text as an overlapping Aho-Corasick search
    would find them: ``find_matches_as_indexes`` gives ``(form index, start, end)`` ordered by
    end, then start, and includes at least every occurrence that starts and ends at word
    boundaries (callers check boundaries themselves).

    ``by_head`` maps a head to the ``(rule index, entry, groups)`` that have forms under it, in
    rule order. Forms are numbered when a text first needs their head: ``keys[i]`` is form ``i``
    and ``targets[i]`` its ``(rule index, entry, captures)`` in rule order, worked out when first
    asked for.
    """

    def __init__(self, by_head: Mapping[str, list[tuple[int, object, Grouped]]]):
        self._by_head = by_head
        self.keys: list[str] = []
        self.targets = _Targets(self.keys, by_head)
        self._ids: dict[str, int] = {}
        self._filed: dict[str, list[tuple[str, int, int]]] = {}
        self._looked_up = 0
        self._ac = None
        self._heads: list[str] = []
        self._probes: dict[str, tuple] = {}
        self._loose_forms: Optional[bool] = None  # whether any form is filed under no head

    @property
    def by_head(self) -> Mapping[str, list[tuple[int, object, Grouped]]]:
        return self._by_head

    @property
    def searching(self) -> bool:
        """Whether texts go through the automaton now rather than looking each head up: after
        ``LOOKUP_CHARS`` characters, or once ``automaton()`` was asked for."""
        return self._ac is not None

    def _file(self, h: str) -> list[tuple[str, int, int]]:
        """Number the forms under head ``h``: ``(form, index, where the head starts in it)``."""
        keys, ids = self.keys, self._ids
        filed: list[tuple[str, int, int]] = []
        offset = 0
        for _, _, groups in self._by_head[h]:
            for key in groups.keys(h):
                if key not in ids:
                    ids[key] = len(keys)
                    keys.append(key)
                    if h:
                        offset = key.find(h)
                    filed.append((key, ids[key], offset))
        self._filed[h] = filed
        return filed

    def automaton(self):
        """The Aho-Corasick automaton over every head but the empty one (``heads[i]`` is head ``i``)."""
        if self._ac is None:
            self._heads = [h for h in self._by_head if h]
            self._ac = ahocorasick_rs.AhoCorasick(self._heads, matchkind=ahocorasick_rs.MatchKind.Standard)
        return self._ac

    def find_matches_as_indexes(self, haystack: str, overlapping: bool = False) -> list[tuple[int, int, int]]:
        if not overlapping:
            raise ValueError("forms are only found overlapping")
        if self._ac is None:
            self._looked_up += len(haystack)
            if self._looked_up <= LOOKUP_CHARS:
                return self._lookup(haystack)
        return self._search(haystack)

    def _search(self, text: str) -> list[tuple[int, int, int]]:
        """Every occurrence of every form: where the automaton finds a head, the forms filed under
        it that start with what the text has there."""
        ac = self.automaton()
        hits = self._loose(text)
        heads, probes = self._heads, self._probes
        for hi, at, _ in ac.find_matches_as_indexes(text, overlapping=True):
            h = heads[hi]
            found = probes.get(h)
            if found is None:
                found = self._probe(h)
            short, long = found
            for key, idx, offset in short:
                p = at - offset
                if p >= 0 and text.startswith(key, p):
                    hits.append((idx, p, p + len(key)))
            width = len(h) + PROBE
            for offset, table in long:
                p = at - offset
                if p < 0:
                    continue
                for key, idx in table.get(text[p:at + width], ()):
                    if text.startswith(key, p):
                        hits.append((idx, p, p + len(key)))
        hits.sort(key=_end_start)
        return hits

    def _probe(self, h: str) -> tuple[list[tuple[str, int, int]], list[tuple[int, dict[str, list[tuple[str, int]]]]]]:
        """The forms under head ``h`` as ``_search`` compares them: those ending within ``PROBE``
        characters after the head, and the others by where the head starts in them and their
        characters up to ``PROBE`` after it."""
        filed = self._filed.get(h)
        if filed is None:
            filed = self._file(h)
        short: list[tuple[str, int, int]] = []
        long: dict[int, dict[str, list[tuple[str, int]]]] = {}
        width = len(h) + PROBE
        for key, idx, offset in filed:
            if len(key) < offset + width:
                short.append((key, idx, offset))
            else:
                long.setdefault(offset, {}).setdefault(key[:offset + width], []).append((key, idx))
        found = self._probes[h] = (short, list(long.items()))
        return found

    def _loose(self, text: str) -> list[tuple[int, int, int]]:
        """Occurrences of the forms without a word (filed under the empty head)."""
        hits: list[tuple[int, int, int]] = []
        if self._loose_forms is None:
            self._loose_forms = "" in self._by_head
        if self._loose_forms:
            loose = self._filed.get("")
            for key, idx, _ in loose if loose is not None else self._file(""):
                p = text.find(key)
                while p != -1:
                    hits.append((idx, p, p + len(key)))
                    p = text.find(key, p + 1)
        return hits

    def _lookup(self, text: str) -> list[tuple[int, int, int]]:
        hits = self._loose(text)
        filed, by_head = self._filed, self._by_head
        words = [m.span() for m in _WORD.finditer(text)]
        n = len(words)
        for i, (start, _) in enumerate(words):
            for j in range(i, min(i + HEAD_WORDS, n)):
                h = text[start:words[j][1]]
                forms = filed.get(h)
                if forms is None:
                    if h not in by_head:
                        continue
                    forms = self._file(h)
                for key, idx, offset in forms:
                    p = start - offset
                    if p >= 0 and text.startswith(key, p):
                        hits.append((idx, p, p + len(key)))
        hits.sort(key=_end_start)
        return hits


def _end_start(hit: tuple[int, int, int]) -> tuple[int, int]:
    return hit[2], hit[1]


class _Targets:
    """``targets[i]``: the ``(rule index, entry, captures)`` of form ``i`` (see ``FormIndex``)."""

    def __init__(self, keys: list[str], by_head: Mapping[str, list[tuple[int, object, Grouped]]]):
        self._keys = keys
        self._by_head = by_head
        self._found: dict[int, list[tuple[int, object, dict]]] = {}

    def __getitem__(self, idx: int) -> list[tuple[int, object, dict]]:
        found = self._found.get(idx)
        if found is None:
            key = self._keys[idx]
            h = head(key)
            found = self._found[idx] = []
            for ri, entry, groups in self._by_head[h]:
                caps = groups.table(h).get(key)
                if caps is not None:
                    found.append((ri, entry, caps))
        return found

    def __len__(self) -> int:
        return len(self._keys)
