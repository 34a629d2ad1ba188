"""What every kind of match shares: the text as matchers see it, the candidates they give, and
the interface each kind implements.

A matcher is compiled from the rules of a run (``compile``: the entries it takes, with the
prefilter that decides which texts and places are worth trying) and scans one text at a time
(``scan``). A candidate is ``(start, end, rule index, entry, captures, confidence)`` in offsets
of the text; the engine resolves overlaps and benign contexts. An entry its matcher cannot
prefilter (a pattern with no literal it must contain) runs on every text by itself, and
``full_scans`` names it, so its author can be told; it never slows the other entries down.
"""
from __future__ import annotations

from typing import Optional, Sequence

from macrolint.packs.model import MatchEntry, Rule
from macrolint.text.normalize import flatten, normalize_text

#: ``(start, end, rule index, entry, captures, confidence)``.
Candidate = tuple

def unwrap(low: str, text: str) -> str:
    """``low`` with each line break that only wraps a sentence read as a space, every offset in
    place: a break after a word or a comma (spaces between allowed), before a word in lower case
    in ``text`` (the same text before lower-casing): a line of a hard-wrapped paragraph, an HTML
    text node broken across source lines. A pattern that keeps to one sentence with ``[^.!?\n]``
    then reads across the wrap, not across a paragraph. A walk from break to break: a regex for
    it would try every word character of the text."""
    i = text.find("\n")
    if i < 0:
        return low
    parts, pos, n = [], 0, len(text)
    while i >= 0:
        j = i
        while j and text[j - 1] in " \t":
            j -= 1
        if j and (text[j - 1] == "," or text[j - 1].isalnum()):
            k = i + 1
            while k < n and text[k] in " \t":
                k += 1
            if k < n and "a" <= text[k] <= "z":
                parts += (low[pos:i], " ")
                pos = i + 1
        i = text.find("\n", i + 1)
    if not parts:
        return low
    parts.append(low[pos:])
    return "".join(parts)


class Text:
    """One text as matchers see it: as written (``text``), normalised (``low``: lower case,
    straight apostrophes, same length) and flattened for literal search (``flat``, see
    ``text.normalize.flatten``); each worked out when a matcher first asks. ``unit`` and ``source``
    are the reader's, when the text is a unit of a read file (code checks need them)."""

    __slots__ = ("text", "_low", "_flat", "unit", "source", "budget", "timed_out")

    def __init__(self, text: str, unit=None, source=None, budget=None):
        self.text = text
        #: What each rule's regexes may still spend on this file (``regexes.RegexBudget``).
        self.budget = budget
        #: The rules whose regexes ran out of time on this text (each stopped; the others went on).
        self.timed_out: list = []
        self._low: Optional[str] = None
        self._flat: Optional[tuple[str, list[int], list[int]]] = None
        self.unit = unit
        self.source = source

    @property
    def low(self) -> str:
        if self._low is None:
            self._low = unwrap(normalize_text(self.text), self.text)
        return self._low

    @property
    def flat(self) -> tuple[str, list[int], list[int]]:
        if self._flat is None:
            self._flat = flatten(self.low)
        return self._flat


class Matcher:
    """One kind of match over the rules of a run."""

    @classmethod
    def compile(cls, rules: Sequence[Rule]) -> Optional["Matcher"]:
        """The matcher for the entries of ``rules`` it takes; None when it takes none."""
        raise NotImplementedError

    def scan(self, text: Text) -> list:
        """The candidates in ``text``."""
        raise NotImplementedError

    def full_scans(self) -> list[tuple[Rule, MatchEntry]]:
        """The entries run in full on every text, their prefilter having nothing to go by."""
        return []


def entries(rules: Sequence[Rule], takes) -> list[tuple[int, int, MatchEntry]]:
    """``(rule index, entry index, entry)`` of every entry of ``rules`` that ``takes(entry)``."""
    return [(ri, ei, entry) for ri, rule in enumerate(rules) for ei, entry in enumerate(rule.matches)
            if takes(entry)]


def is_literal(entry: MatchEntry) -> bool:
    return entry.phrase is not None and entry.phrase.is_literal


#: ``regex.IGNORECASE | regex.V0``, spelled out so the module need not be imported to name it.
PATTERN_FLAGS = 2 | 8192


def anchors_of(entry: MatchEntry) -> tuple[str, ...]:
    """Literals every match of a pattern or gap phrase contains, one of which a text must have:
    a pattern's own (worked out when its pack was read), else a gap phrase's longest word of
    each form of its first part with three letters or more; ``()`` when there are none."""
    if entry.phrase is None or entry.anchors:
        return entry.anchors
    for seg in entry.phrase.segments:
        words = {max(key.split(" "), key=len) for key in seg}
        if all(len(w) >= 3 for w in words):
            return tuple(sorted(words))
    return ()
