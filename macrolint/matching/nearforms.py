"""Which forms of a phrase are compared for near-variants, and by which words: its anchor words
(the two longest that are neither short nor common), the one-letter deletions that find them in
a text, and the short words a text must show exactly before a form is worth comparing."""
from __future__ import annotations

import re
from typing import Mapping, Optional, Sequence

from macrolint.packs.model import Rule
from macrolint.storage.cache import EntryDamaged

MIN_WORDS = 3
#: Places a text's phrases are compared at, at most: a text that repeats an anchor word tens of
#: thousands of times costs time in proportion to this, not to its repetitions times its phrases.
MAX_COMPARISONS = 50_000
MIN_CHARS = 14
MIN_ANCHOR = 5
_STOP = frozenset("about would could should there their these those which where while your yours ours".split())
#: Words too common to be worth looking for before comparing a phrase (see ``NearMatcher._have``).
_COMMON = frozenset("the and you for your this that with have will are our not can was all any but has".split())
#: A word as ``nearcompare._word_ok`` sees it: ``[a-z']`` not starting with ``'``.
WORD_RE = re.compile(r"[a-z][a-z']*")


MAX_FORMS = 16


def representatives(keys) -> list[str]:
    """The few forms of a phrase worth comparing fuzzily: its shortest ones (optional words left
    out), as typed without contractions where possible, and when those all hold a contraction
    ("there's nothing i can do"), the first two shortest forms without one too ("there is nothing
    i can do"): a typo in a phrase typed out in full is compared with the phrase typed out in
    full. More of them find few more typos and cost 5% of a run. Exact matching covers the rest."""
    keys = sorted(keys)
    fewest = min(len(k.split(" ")) for k in keys)
    short = [k for k in keys if len(k.split(" ")) == fewest]
    plain = [k for k in short if "'" not in k]
    if plain:
        return plain[:MAX_FORMS]
    uncontracted = [k for k in keys if "'" not in k]
    if uncontracted:
        least = min(len(k.split(" ")) for k in uncontracted)
        plain = [k for k in uncontracted if len(k.split(" ")) == least]
    return short[:MAX_FORMS] + plain[:2]


def targets_of(keys) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The forms of a phrase compared fuzzily (``representatives``), each with its anchor words:
    its two longest words that are neither short nor common. Forms too short to compare are left out."""
    out = []
    for key in representatives(keys):
        words = key.split(" ")
        if len(words) < MIN_WORDS or len(key) < MIN_CHARS:
            continue
        anchors = sorted((w for w in set(words) if len(w) >= MIN_ANCHOR and w not in _STOP), key=lambda w: (-len(w), w))[:2]
        out.append((key, tuple(anchors)))
    return tuple(out)


def could_be(anchor: str, token: str) -> bool:
    """Whether ``token``, which shares a one-letter deletion with ``anchor`` (so is within two
    edits of it), could pass ``_word_ok`` as ``anchor``: ``verify_near`` pairs every word of a phrase
    with a word of the text that way. Sharing such a deletion leaves an indel distance of 0, 1
    (lengths differ by one) or 2 (same length), so rapidfuzz's ratio >= 80 is
    ``5 * distance <= len(anchor) + len(token)``, worked out without importing it."""
    if anchor == token:
        return True
    distance = 1 if len(anchor) != len(token) else 2
    return 5 * distance <= len(anchor) + len(token)


def deletions(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}


def fuzzy_targets(entry):
    """``targets_of`` an entry's phrase if it is compared fuzzily, else nothing (the pack cache
    stores them with the entry, ``fuzzy_keys``)."""
    if not entry.fuzzy or entry.phrase is None or not entry.phrase.is_literal:
        return ()
    found = entry.fuzzy_keys
    return found if found is not None else targets_of(entry.phrase.segments[0])


def fuzzy_anchors(rules: Sequence[Rule]) -> set[str]:
    """The anchor words of every fuzzily compared phrase of ``rules``."""
    return {a for rule in rules for entry in rule.matches for _, anchors in fuzzy_targets(entry) for a in anchors}


def delete_table(anchors) -> dict[str, tuple[str, ...]]:
    """Each one-letter deletion of an anchor (and each anchor itself) -> the anchors it comes from:
    a token shares one with an anchor exactly when it is within two edits of it that way."""
    table: dict[str, set[str]] = {}
    for a in anchors:
        for d in deletions(a):
            table.setdefault(d, set()).add(a)
    return {d: tuple(sorted(found)) for d, found in table.items()}


class NearTable:
    """A pack's near-variant anchor words (``fuzzy_anchors``) and the one-letter deletions that
    find them (``delete_table``), built once with the pack instead of by every run (which
    would take a one-file run noticeably longer). A loaded table reads them when first asked
    for."""

    __slots__ = ("_found", "_ref", "_get")

    def __init__(self, found=None, ref=None, get=None):
        self._found: Optional[tuple[tuple[str, ...], Mapping[str, tuple[str, ...]]]] = found
        self._ref = ref
        self._get = get

    @classmethod
    def build(cls, rules: Sequence[Rule]) -> "NearTable":
        anchors = tuple(sorted(fuzzy_anchors(rules)))
        return cls((anchors, delete_table(anchors)))

    def deletions_for(self, anchors) -> Optional[Mapping[str, tuple[str, ...]]]:
        """The deletion table, when it covers every one of ``anchors``; None otherwise (and when
        a loaded table cannot be read back)."""
        if self._found is None:
            try:
                self._found = self._get(self._ref)
            except EntryDamaged:
                self._found = ((), {})
        stored, table = self._found
        return table if set(stored) >= set(anchors) else None

    def dump(self, put) -> object:
        """The table kept apart through ``put`` (see ``FormTable.dump``)."""
        return put(self._found)

    @classmethod
    def load(cls, ref, get) -> "NearTable":
        return cls(ref=ref, get=get)


_SHORTS: dict[str, tuple[str, ...]] = {}


def short_words(key: str) -> tuple[str, ...]:
    """The words of three or four letters ``_word_ok`` wants exactly as typed, longest first."""
    found = _SHORTS.get(key)
    if found is None:
        found = _SHORTS[key] = tuple(sorted(
            {w for w in key.split(" ") if 3 <= len(w) < 5 and WORD_RE.fullmatch(w)}, key=lambda w: (-len(w), w)))
    return found


def all_wanted_words(keys) -> frozenset:
    """``frozenset().union(*map(wanted_words, keys))``, each distinct word looked at once."""
    words = {w for key in keys for w in key.split(" ") if 3 <= len(w) < 5}
    return frozenset(w.encode() for w in words if w not in _COMMON and WORD_RE.fullmatch(w))


_WANTED: dict[str, frozenset] = {}


def wanted_words(key: str) -> frozenset:
    """The words of ``key`` a text must have exactly before it is worth comparing (``short_words``
    but the very common ones), as bytes like the text's words (``_words``)."""
    found = _WANTED.get(key)
    if found is None:
        found = _WANTED[key] = frozenset(w.encode() for w in short_words(key) if w not in _COMMON)
    return found
