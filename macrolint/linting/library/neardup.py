"""Near-duplicate items: clusters of macros whose text is nearly the same.

Two items are near-duplicates when the similarity of their normalised words (``facts.words_of``:
lower-case, placeholders and punctuation left out) is at least the threshold (default 90 of 100).
The similarity is the lower of rapidfuzz's token-set ratio (the words each has, whatever their
order and repetition) and token-sort ratio (every word, sorted): token-set alone calls a short
reply that a long one contains "100% similar"; token-sort keeps the lengths honest. Items with
fewer than ``facts.MIN_DUPLICATE_WORDS`` words are left out.

Not every pair is compared. Items come one at a time (``Clusterer.add``, as their files are
linted); each is compared only with the items it shares ``minhash.MIN_SHARED_BANDS`` signature
bands with, most shared bands first, at most ``CANDIDATES`` of them, and with none already in its
cluster. A bucket keeps at most ``LEADERS`` items, one for each cluster met in it (an item that
joins a cluster is kept only where that cluster had none), and a full bucket is not looked in: a
band value that many clusters share is boilerplate (a greeting, a sign-off), as a common word
shingle would be, not a sign of a copy. So the work for an item is bounded whatever the size of
the library. The candidates are verified with rapidfuzz's ``process.extract`` (token-sort ratio
with a cut-off, in C), then the token-set ratio. Clusters are the connected groups of the pairs
found (union-find): a chain of near-copies is one cluster, as it is one family to merge or to
keep in step.
"""
from __future__ import annotations

import difflib
from collections import Counter
from itertools import chain
from typing import Callable, NamedTuple, Optional

from rapidfuzz import fuzz, process

from macrolint.linting.library.facts import OPEN, PLACEHOLDER, WORD, words_of
from macrolint.linting.library.minhash import BANDS, MIN_SHARED_BANDS, bands

DEFAULT_THRESHOLD = 90.0
#: The most items one item is compared with.
CANDIDATES = 16
#: The most items a bucket keeps.
LEADERS = 8


class Cluster(NamedTuple):
    #: Indices of the items (as ``Clusterer.add`` numbered them), the representative first.
    members: tuple[int, ...]
    #: Each member's similarity with the representative (100 for the representative itself).
    similarity: tuple[float, ...]


class _Sets:
    """Union-find over item indices."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, i: int) -> int:
        parent = self.parent
        root = i
        while parent.get(root, root) != root:
            root = parent[root]
        while i != root:  # path compression
            parent[i], i = root, parent[i]
        return root

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)
            self.parent.setdefault(min(a, b), min(a, b))


def forms(text: str) -> tuple[str, str]:
    """``(words in order, words sorted)`` of an ``ItemFacts.text``, each joined by spaces: what the
    token-set and token-sort ratios compare."""
    words = words_of(text)
    return " ".join(words), " ".join(sorted(words))


def similarity(a: str, b: str) -> float:
    """The near-duplicate similarity (0 to 100) of two ``ItemFacts.text``s."""
    fa, fb = forms(a), forms(b)
    return min(fuzz.ratio(fa[1], fb[1]), fuzz.token_set_ratio(fa[0], fb[0]))


class Clusterer:
    """Near-duplicate clusters of items added one at a time."""

    def __init__(self, threshold: float = DEFAULT_THRESHOLD):
        self.threshold = threshold
        self._texts: dict[int, str] = {}
        self._forms: dict[int, tuple[str, str]] = {}
        #: One dict of buckets a band: a band's bins, to the items kept for them.
        self._buckets: list[dict[bytes, list[int]]] = [{} for _ in range(BANDS)]
        self._sets = _Sets()
        #: Pairs verified (for the figures: how much work the blocking left).
        self.compared = 0

    def add(self, i: int, text: str, sig: bytes) -> None:
        """Item ``i`` (numbered by the caller, increasing), with its ``ItemFacts.text`` and
        ``signature``; an empty signature leaves it out."""
        if not sig:
            return
        keys = bands(sig)
        found = [band.get(key) for band, key in zip(self._buckets, keys)]
        # a full bucket is a band value LEADERS clusters share: boilerplate, not a sign of a copy
        shared = Counter(chain.from_iterable([kept for kept in found if kept and len(kept) < LEADERS]))
        self._texts[i] = text
        matched = self._match(i, shared) if shared else ()
        for band, key, kept in zip(self._buckets, keys, found):
            if kept is None:
                band[key] = [i]
            elif len(kept) < LEADERS and not (matched and matched.intersection(kept)):
                kept.append(i)

    def _form(self, i: int) -> tuple[str, str]:
        got = self._forms.get(i)
        if got is None:
            got = self._forms[i] = forms(self._texts[i])
        return got

    def _match(self, i: int, shared: Counter) -> set[int]:
        """The candidates item ``i`` is a near-duplicate of; joins their clusters."""
        find = self._sets.find
        candidates: list[int] = []
        roots: set[int] = set()
        ranked = [(n, j) for j, n in shared.items() if n >= MIN_SHARED_BANDS]
        if not ranked:
            return set()
        ranked.sort(reverse=True)
        for n, j in ranked:
            root = find(j)
            if root in roots:
                continue
            roots.add(root)
            candidates.append(j)
            if len(candidates) == CANDIDATES:
                break
        if not candidates:
            return set()
        mine = self._form(i)
        others = {j: self._form(j) for j in candidates}
        self.compared += len(candidates)
        passed = process.extract(mine[1], {j: f[1] for j, f in others.items()}, scorer=fuzz.ratio,
                                 score_cutoff=self.threshold, limit=None)
        matched = set()
        for _, _, j in passed:
            if fuzz.token_set_ratio(mine[0], others[j][0], score_cutoff=self.threshold):
                self._sets.union(i, j)
                matched.add(j)
        return matched

    def clusters(self, texts, rank: Optional[Callable[[int], tuple]] = None) -> list[Cluster]:
        """The clusters found: members ordered by ``rank(i)`` (default: as added), the
        representative first, with their similarity to it (``texts[i]`` the items' texts);
        largest clusters first."""
        find = self._sets.find
        groups: dict[int, list[int]] = {}
        for i in list(self._sets.parent):
            groups.setdefault(find(i), []).append(i)
        out = []
        for group in groups.values():
            if len(group) < 2:
                continue
            group.sort(key=rank) if rank else group.sort()
            rep = texts[group[0]]
            out.append(Cluster(tuple(group), tuple(100.0 if n == 0 else round(similarity(rep, texts[i]), 1)
                                                   for n, i in enumerate(group))))
        out.sort(key=lambda c: (-len(c.members), c.members[0]))
        return out


def find_clusters(texts, signatures, threshold: float = DEFAULT_THRESHOLD,
                  rank: Optional[Callable[[int], tuple]] = None) -> list[Cluster]:
    """The near-duplicate clusters of items given at once (``Clusterer`` for items as they come)."""
    clusterer = Clusterer(threshold)
    for i, (text, sig) in enumerate(zip(texts, signatures)):
        clusterer.add(i, text, sig)
    return clusterer.clusters(texts, rank)


# -- showing what differs ------------------------------------------------------------------------

_SEGMENT = PLACEHOLDER.pattern + "|" + WORD.pattern


def segments(text: str) -> list[tuple[str, str]]:
    """``text`` cut into ``(kind, text)``: ``word`` (the words ``words_of`` compares, in the same
    order), ``hole`` (a placeholder, without its markers) and ``other`` (spaces, punctuation)."""
    import re

    out: list[tuple[str, str]] = []
    pos = 0
    for m in re.finditer(_SEGMENT, text):
        if m.start() > pos:
            out.append(("other", text[pos:m.start()]))
        piece = m.group()
        out.append(("hole", piece[1:-1]) if piece.startswith(OPEN) else ("word", piece))
        pos = m.end()
    if pos < len(text):
        out.append(("other", text[pos:]))
    return out


def differences(base: str, text: str) -> list[tuple[str, str]]:
    """``text`` as segments (``segments``) where words it has and ``base`` has not are ``new``
    and words of ``base`` it lacks are put back where they were as ``gone``."""
    mine = segments(text)
    ours = words_of(base)
    theirs = words_of(text)
    shown = [s for kind, s in segments(base) if kind == "word"]
    new: set[int] = set()
    gone_at: dict[int, list[str]] = {}
    matcher = difflib.SequenceMatcher(None, ours, theirs, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            new.update(range(j1, j2))
        if tag in ("replace", "delete"):
            gone_at.setdefault(j1, []).extend(shown[i1:i2])
    out: list[tuple[str, str]] = []
    w = 0
    for kind, s in mine:
        if kind == "word":
            if w in gone_at:
                out.append(("gone", " ".join(gone_at.pop(w))))
                out.append(("other", " "))
            out.append(("new" if w in new else "word", s))
            w += 1
        else:
            out.append((kind, s))
    for _, words in sorted(gone_at.items()):
        out.append(("other", " "))
        out.append(("gone", " ".join(words)))
    return out
