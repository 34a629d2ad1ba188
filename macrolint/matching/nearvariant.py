"""Near-variants and typos of long phrases ("apologise for any inconvienence").

Each fuzzy-eligible phrase form is indexed under its two longest words. A text's distinct
tokens are looked up in a memo (token -> anchor words within about two edits, via shared
one-character deletions); tokens known to lead nowhere are removed with one set difference, so
after warm-up almost no Python runs per token. A phrase is compared only where every anchor word
and short word it needs occurs; once a run has seen enough texts, each phrase is looked up under
the one of those its texts showed least, so a common word ("help", "thanks") costs nothing. Only
around an anchor hit does rapidfuzz compare the phrase with a window of the text. Short or
generic phrases are never fuzzy-matched.
"""
from __future__ import annotations

from collections import Counter
from operator import itemgetter
from typing import Mapping, Optional, Sequence

from macrolint.matching.compiled import TabledPhrase
from macrolint.matching.matcher import Matcher, Text
from macrolint.matching.nearcompare import (
    occurrences_of,
    overlaps_by_rule,
    spans_by_rule,
    verify_near,
    words_near,
)
from macrolint.matching.nearforms import (
    MAX_COMPARISONS,
    NearTable,
    all_wanted_words,
    could_be,
    delete_table,
    deletions,
    fuzzy_targets,
    short_words,
    wanted_words,
)
from macrolint.packs.model import Rule

#: The words of a text as ``_word_ok`` sees them (``nearforms.WORD_RE``), cut out as bytes
#: (every other byte, UTF-8 ones included, turned into a space), which is faster than a regex
#: (BENCHMARKS.md, "Figures behind the design"). A token under four letters is never near an
#: anchor (five letters or more), so short ones only serve to tell which short words occur.
_NOT_WORD = bytes(c if 97 <= c <= 122 or c == 39 else 32 for c in range(256))


def _words(low: str) -> set[bytes]:
    """``set(WORD_RE.findall(low))``, as bytes."""
    flat = low.encode("utf-8", "surrogatepass").translate(_NOT_WORD)
    words = set(flat.split())
    if flat.startswith(b"'") or b" '" in flat:
        words = {w.lstrip(b"'") for w in words}
        words.discard(b"")
    return words


_MAX_MEMO = 200_000


class NearMatcher(Matcher):
    """Near-variants of the long literal phrases of a run's fuzzily compared entries."""

    def __init__(self, rules: Sequence[Rule]):
        self.targets: dict[str, list[tuple[int, object, str]]] = {}
        for ri, rule in enumerate(rules):
            for entry in rule.matches:
                for key, anchors in fuzzy_targets(entry):
                    needs = frozenset(anchors)
                    for a in anchors:
                        self.targets.setdefault(a, []).append((ri, entry, key, needs))
        # A compiled pack has the table for all of its anchors; it may hold anchors of rules left
        # out of this run, which ``anchors_for`` passes over.
        by_delete = None
        if self.targets:
            table = _near_table(rules)
            by_delete = table.deletions_for(self.targets) if table is not None else None
        #: Each one-letter deletion of an anchor -> the anchors it comes from (``anchors_for``).
        self.by_delete: Mapping[str, Sequence[str]] = by_delete if by_delete is not None else delete_table(self.targets)
        #: The longest token worth looking up: one letter longer than the longest anchor.
        self._longest = max(map(len, self.targets), default=0) + 1
        # Tokens are bytes here (see ``_words``); anchors and phrases are str.
        self._memo: dict[bytes, tuple[str, ...]] = {}
        self._known: set[bytes] = set()  # the tokens in ``_memo``, as a set for set algebra
        self._tokens_of: dict[str, set[bytes]] = {}
        self._dead: set[bytes] = set()
        self._groups: dict[str, list] = {}
        self._tracked: Optional[frozenset] = None
        #: Texts scanned (counted until the targets are filed): ``_have`` and ``_by_anchor`` change
        #: how they work after the first few.
        self._scans = 0
        #: How many of the first texts showed each anchor and short word (see ``_filed``).
        self._seen: Counter = Counter()
        self._filing: Optional[dict] = None
        self._filing_keys: frozenset = frozenset()

    @property
    def filed(self) -> bool:
        """Whether the targets are filed by anchor now (after the first texts; see ``_filed``)."""
        return self._filing is not None

    def anchors_for(self, token_bytes: bytes) -> tuple[str, ...]:
        """The anchor words ``token`` could be a typo of, remembered both ways (token -> anchors in
        ``_memo``, anchor -> tokens in ``_tokens_of``; tokens that lead nowhere in ``_dead``)."""
        found = self._memo.get(token_bytes)
        if found is None:
            if len(token_bytes) > self._longest:
                # a token shares a one-letter deletion only with words one letter shorter, as long
                # or longer: a long one (a minified blob, a base64 string) leads nowhere, and its
                # deletions would cost the square of its length
                return ()
            token = token_bytes.decode()
            cands: set[str] = set()
            for d in deletions(token):
                cands.update(self.by_delete.get(d, ()))
            targets = self.targets
            found = tuple(sorted(a for a in cands if a in targets and could_be(a, token)))
            if not found:
                if len(self._dead) < _MAX_MEMO:
                    self._dead.add(token_bytes)
            elif len(self._memo) < _MAX_MEMO:
                self._memo[token_bytes] = found
                self._known.add(token_bytes)
                for a in found:
                    self._tokens_of.setdefault(a, set()).add(token_bytes)
        return found

    def _groups_of(self, anchor: str) -> tuple:
        """The targets of ``anchor`` grouped by what they need besides it: their words under five
        letters (``_word_ok`` wants those exactly as typed) and their other anchor word. A group is
        ruled in or out at once, and is filed under one thing it needs (the other anchor word, else
        a short word), so a text only looks at groups whose first need it meets. Each target keeps
        its index, so merged groups keep their order."""
        groups = self._groups.get(anchor)
        if groups is None:
            by_needs: dict[tuple[frozenset, frozenset], list] = {}
            for n, (ri, entry, key, needs) in enumerate(self.targets[anchor]):
                others = needs - {anchor}
                # as the comparison loop of ``scan`` wants it: the short words and other anchors
                # a window must show before the phrase is compared there
                target = (ri, entry, key, short_words(key), tuple(others))
                by_needs.setdefault((wanted_words(key), others), []).append((n, target))
            free: list = []
            by_anchor: dict[str, list] = {}
            by_word: dict[str, list] = {}
            for (short, others), group in by_needs.items():
                if others:
                    by_anchor.setdefault(min(others), []).append((short, others, group))
                elif short:
                    by_word.setdefault(min(short), []).append((short, others, group))
                else:
                    free.append((short, others, group))
            groups = self._groups[anchor] = (free, by_anchor, by_word, frozenset(by_anchor) | frozenset(by_word))
        return groups

    @staticmethod
    def _candidates(groups: tuple, have: set, present: set) -> list:
        """The targets in an anchor's ``groups`` worth comparing in this text, in index order: their
        short words (``have``) and anchor words (``present``) occur."""
        free, by_anchor, by_word, _ = groups
        out: list = []
        passed = 0
        for group in free:
            out.extend(group[2])
            passed += 1
        for key in by_anchor.keys() & present:
            for short, others, group in by_anchor[key]:
                if short <= have and others <= present:
                    out.extend(group)
                    passed += 1
        for key in by_word.keys() & have:
            for short, _, group in by_word[key]:
                if short <= have:
                    out.extend(group)
                    passed += 1
        if passed > 1:
            out.sort(key=_first)
        return [g[1] for g in out]

    def _have(self, words: set[bytes]) -> set[bytes]:
        """The short words of a text (``_words``) that targets want exactly (``short_words``), give or
        take words no target wants: those change nothing, so the first texts of a run take every
        word under five letters instead of waiting for the set of wanted ones to be worked out."""
        tracked = self._tracked
        if tracked is not None:
            return words & tracked
        if self._scans >= TRACK_AFTER:
            self._tracked = all_wanted_words({t[2] for targets in self.targets.values() for t in targets})
        return {w for w in words if len(w) < 5}

    def _filed(self, seen: Counter) -> dict:
        """Every target filed under one thing it needs (an anchor word, a short word), the one
        ``seen`` in fewest texts: a text then looks only at the targets filed under what it
        shows, and most of what it shows (``help``, ``email``, ``thanks``) leads nowhere. Targets
        that need the same things form one group, ruled in or out at once; each target is listed
        under every anchor word it has, with its index there, as ``_candidates`` hands it out."""
        groups: dict[frozenset, list] = {}
        words: dict[str, tuple] = {}  # a phrase form is listed under each of its anchor words
        for a, targets in self.targets.items():
            n = 0
            for ri, entry, key, needs in targets:
                found = words.get(key)
                if found is None:
                    every = needs | wanted_words(key)
                    found = words[key] = (short_words(key), groups.setdefault(every, []))
                found[1].append((a, n, (ri, entry, key, found[0], tuple(needs - {a}) if len(needs) > 1 else ())))
                n += 1
        # fewest texts first, then longest, then alphabetical (anchor words are str, short words bytes)
        ranked = sorted({need for needs in groups for need in needs},
                        key=lambda need: (seen.get(need, 0), -len(need), need if isinstance(need, str) else need.decode()))
        rank = {need: i for i, need in enumerate(ranked)}.__getitem__
        filing: dict = {}
        for needs, group in groups.items():
            filing.setdefault(min(needs, key=rank), []).append((needs, group))
        return filing

    def _by_anchor(self, present: set, have: set) -> dict[str, list]:
        """The targets worth comparing in a text, by anchor word, each anchor's in index order:
        their anchor words (``present``) and short words (``have``) occur. The first texts of a
        run look at each present anchor's groups (``_groups_of``) and count what they show; later
        ones look up the groups filed by those counts (``_filed``)."""
        wanted = present | have  # anchor words have five letters or more, short words fewer
        filing = self._filing
        by_anchor: dict[str, list] = {}
        if filing is None:
            self._seen.update(wanted)
            if self._scans >= FILE_AFTER:
                self._filing = filing = self._filed(self._seen)
                self._filing_keys = frozenset(filing)
            groups = self._groups
            for a in present:
                g = groups.get(a) or self._groups_of(a)
                if g[0] or not g[3].isdisjoint(wanted):
                    targets = self._candidates(g, have, present)
                    if targets:
                        by_anchor[a] = targets
            return by_anchor
        picked: list = []
        for key in wanted & self._filing_keys:
            for needs, group in filing[key]:
                if needs <= wanted:
                    picked += group
        if len(picked) > 1:
            picked.sort(key=_anchor_index)
        for a, _, target in picked:
            found = by_anchor.get(a)
            if found is None:
                by_anchor[a] = [target]
            else:
                found.append(target)
        return by_anchor

    def _spelled(self, anchor: str, near: set[bytes], fresh: dict[bytes, tuple[str, ...]]) -> set[bytes]:
        """The tokens of a text (``near``, ``fresh``) that could be ``anchor`` with a typo."""
        found = self._tokens_of.get(anchor, set()) & near
        if fresh:
            found |= {t for t, f in fresh.items() if anchor in f}
        return found

    @classmethod
    def compile(cls, rules: Sequence[Rule]) -> Optional["NearMatcher"]:
        matcher = cls(rules)
        return matcher if matcher.targets else None

    def scan(self, text: Text, found: Sequence = ()) -> list:
        """Candidates ``(start, end, rule_index, entry, {}, confidence)`` for near-variants, but
        none overlapping an exact candidate (in ``found``) of the same rule. Whether a rule matched
        exactly elsewhere in the text changes nothing: a text's findings never depend on what
        else is in it."""
        return self.near(text.low, {(c[2], c[0], c[1]) for c in found})

    def near(self, low: str, exact: set[tuple[int, int, int]]) -> list:
        """``scan`` on a normalised text, ``exact`` holding ``(rule index, start, end)`` of the
        exact candidates."""
        spans: dict = {}

        def exact_spans() -> dict:
            if not spans and exact:
                spans.update(spans_by_rule(exact))
            return spans

        if not self.targets:
            return []
        words = _words(low)
        tokens = words - self._dead
        memo = self._memo
        # Tokens met for the first time are looked up once; the memo may be full, so keep them.
        fresh = {}
        for tok in tokens - self._known:
            anchors = self.anchors_for(tok)
            if anchors and tok not in memo:
                fresh[tok] = anchors
        near = tokens & self._known
        if fresh:
            near |= fresh.keys()
        if not near:
            return []
        # A phrase is only compared where all its anchor words occur (give or take a typo).
        if fresh:
            present = {a for tok in near for a in (memo.get(tok) or fresh[tok])}
        else:
            present = set().union(*map(memo.__getitem__, near))
        if self._filing is None:
            self._scans += 1
        by_anchor = self._by_anchor(present, self._have(words))
        if not by_anchor:
            return []
        # Compared token by token, each token's anchors in order, as a sorted walk would.
        todo = sorted((tok, a) for a in by_anchor for tok in self._spelled(a, near, fresh))
        best: dict[tuple[int, int], tuple] = {}
        places: dict[bytes, list[int]] = {}
        spellings: dict[str, list[str]] = {}

        def occurrences(tok: bytes) -> list[int]:
            at = places.get(tok)
            if at is None:
                at = places[tok] = occurrences_of(low, tok.decode())
            return at

        def seen_near(anchor: str, lo: int, hi: int) -> bool:
            """Whether a token that could be ``anchor`` overlaps ``low[lo:hi]`` (as a substring,
            which is all this needs: it only saves comparisons that cannot succeed)."""
            found = spellings.get(anchor)
            if found is None:
                found = spellings[anchor] = [t.decode() for t in self._spelled(anchor, near, fresh)]
            return any(low.find(t, max(0, lo - len(t) + 1), hi + len(t) - 1) != -1 for t in found)

        budget = MAX_COMPARISONS
        for tok, a in todo:
            at = occurrences(tok)
            toklen = len(tok)
            budget -= len(at) * len(by_anchor[a])
            if budget < 0:
                break  # a text repeating a near phrase thousands of times: enough compared
            for ri, entry, key, shorts, others in by_anchor[a]:
                reach = len(key) + 8
                for pos in at:
                    # ``verify_near`` compares ``key`` with ``low[lo:hi]`` (``_window``) and pairs each
                    # of its words with a word overlapping that window: its other anchor words
                    # must be there.
                    lo, hi = pos - reach, pos + toklen + reach
                    if shorts and not words_near(low, shorts, lo - 4, hi + 4):
                        continue
                    if others and not all(seen_near(o, lo, hi) for o in others):
                        continue
                    hit = verify_near(low, key, pos, toklen)
                    if hit is None:
                        continue
                    s, e, conf = hit
                    # The same place may be reached through several phrase forms: keep the
                    # closest, so the result does not depend on the order they are tried in.
                    held = best.get((ri, s))
                    if held is None or (conf, e - s) > (held[5], held[1] - held[0]):
                        best[(ri, s)] = (s, e, ri, entry, {}, conf)
        out = [best[k] for k in sorted(best)]
        if exact and out:
            out = [h for h in out if not overlaps_by_rule(exact_spans(), h[2], h[0], h[1])]
        return out


def _near_table(rules: Sequence[Rule]) -> Optional[NearTable]:
    """The near-variant table of the one compiled pack every fuzzily compared phrase of ``rules``
    comes from; None when they come from several, or from rules made in code."""
    owners = set()
    for rule in rules:
        for entry in rule.matches:
            if fuzzy_targets(entry):
                if not isinstance(entry.phrase, TabledPhrase):
                    return None
                owners.add(entry.phrase.index.near)
    return owners.pop() if len(owners) == 1 else None


#: Texts scanned before the short words worth looking for are worked out (see ``NearMatcher._have``).
TRACK_AFTER = 32
#: Texts scanned before the targets are filed by what those texts showed (``NearMatcher._filed``):
#: filing takes longer than the first texts, worth it only for a run of many texts.
FILE_AFTER = 512
_first = itemgetter(0)
_anchor_index = itemgetter(0, 1)



