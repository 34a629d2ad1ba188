"""Near-variants and typos of long phrases ("apologise for any inconvienence").

Each fuzzy-eligible phrase form is indexed under its two longest words. A text's distinct
tokens are looked up in a memo (token -> anchor words within about two edits, via shared
one-character deletions); tokens known to lead nowhere are removed with one set difference, so
after warm-up almost no Python runs per token. Only around an anchor hit does rapidfuzz compare
the phrase with a window of the text. Short or generic phrases are never fuzzy-matched.
"""
from __future__ import annotations

import re
from typing import Sequence

from .model import Rule

MIN_WORDS = 3
MIN_CHARS = 14
MIN_ANCHOR = 5
#: Lowest similarity (0..1) a near-variant needs to be reported at all.
FLOOR = 0.86
_STOP = frozenset("about would could should there their these those which where while your yours ours".split())
_TOKEN_RE = re.compile(r"[a-z][a-z']{3,}")
_MAX_MEMO = 200_000
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


MAX_FORMS = 16


def representatives(keys) -> list[str]:
    """The few forms of a phrase worth comparing fuzzily: its shortest ones (optional words left
    out), as typed without contractions where possible. Exact matching covers the rest."""
    keys = sorted(keys)
    fewest = min(len(k.split(" ")) for k in keys)
    short = [k for k in keys if len(k.split(" ")) == fewest]
    plain = [k for k in short if "'" not in k] or short
    return plain[:MAX_FORMS]


def _deletes(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}


class FuzzyIndex:
    def __init__(self, rules: Sequence[Rule]):
        self.targets: dict[str, list[tuple[int, object, str]]] = {}
        for ri, rule in enumerate(rules):
            for entry in rule.matches:
                if not entry.fuzzy or entry.phrase is None or not entry.phrase.is_literal:
                    continue
                keys = entry.fuzzy_keys
                if keys is None:
                    keys = representatives(entry.phrase.segments[0])
                for key in keys:
                    words = key.split(" ")
                    if len(words) < MIN_WORDS or len(key) < MIN_CHARS:
                        continue
                    anchors = sorted((w for w in set(words) if len(w) >= MIN_ANCHOR and w not in _STOP), key=lambda w: (-len(w), w))[:2]
                    for a in anchors:
                        self.targets.setdefault(a, []).append((ri, entry, key, frozenset(anchors)))
        self._by_delete: dict[str, set[str]] = {}
        for a in self.targets:
            for d in _deletes(a):
                self._by_delete.setdefault(d, set()).add(a)
        self._memo: dict[str, tuple[str, ...]] = {}
        self._dead: set[str] = set()
        self._groups: dict[str, list] = {}
        self._words_ac = None

    def _anchors_for(self, token: str) -> tuple[str, ...]:
        found = self._memo.get(token)
        if found is None:
            cands: set[str] = set()
            for d in _deletes(token):
                cands |= self._by_delete.get(d, set())
            from rapidfuzz.distance import Levenshtein

            found = tuple(sorted(a for a in cands if Levenshtein.distance(a, token, score_cutoff=2) <= 2))
            if len(self._memo) < _MAX_MEMO:
                self._memo[token] = found
        return found

    def _candidates(self, anchor: str, have: frozenset) -> list:
        """The targets of ``anchor`` whose words under five letters all occur in the text, in order.

        ``_word_ok`` wants those words exactly as typed, so a phrase missing one cannot verify.
        Targets with the same such words form one group, ruled in or out at once; ``have`` is
        the set of those words found in the text.
        """
        groups = self._groups.get(anchor)
        if groups is None:
            by_words: dict[frozenset, list] = {}
            tracked = self._tracked()
            for n, target in enumerate(self.targets[anchor]):
                short = frozenset(w for w in target[2].split(" ") if w in tracked)
                by_words.setdefault(short, []).append((n, target))
            groups = self._groups[anchor] = list(by_words.items())
        out: list = []
        passed = 0
        for words, group in groups:
            if words <= have:
                out.extend(group)
                passed += 1
        if passed > 1:
            out.sort(key=lambda g: g[0])
        return [g[1] for g in out]

    def _tracked(self) -> frozenset:
        """The targets' words under five letters worth looking for: a word of one or two letters
        or a very common one is taken to be there (which rules nothing out, so changes nothing)."""
        if self._words_ac is None:
            words = sorted({w for targets in self.targets.values() for t in targets
                            for w in t[2].split(" ") if 3 <= len(w) < 5 and w not in _COMMON})
            import ahocorasick_rs

            self._words = words
            self._tracked_set = frozenset(words)
            self._words_ac = ahocorasick_rs.AhoCorasick(words or ["\x00"], matchkind=ahocorasick_rs.MatchKind.Standard)
        return self._tracked_set

    def _short_words(self, low: str) -> frozenset:
        """Which tracked words occur in ``low`` (as substrings, as ``_word_ok`` would need them)."""
        if self._words_ac is None:
            self._tracked()
        words = self._words
        return frozenset(words[i] for i in {i for i, _, _ in self._words_ac.find_matches_as_indexes(low, overlapping=True)})

    def scan(self, low: str, exact: set[tuple[int, int]]):
        """Candidates ``(start, end, rule_index, entry, {}, confidence)`` for near-variants."""
        if not self.targets:
            return []
        tokens = set(_TOKEN_RE.findall(low))
        tokens -= self._dead
        best: dict[tuple[int, int], tuple] = {}
        exact_rules = {ri for ri, _ in exact}
        near: list[tuple[str, tuple[str, ...]]] = []
        for tok in sorted(tokens):
            anchors = self._anchors_for(tok)
            if anchors:
                near.append((tok, anchors))
            elif len(self._dead) < _MAX_MEMO:
                self._dead.add(tok)
        # A phrase is only compared where all its anchor words occur (give or take a typo).
        present = {a for _, anchors in near for a in anchors}
        have = self._short_words(low) if near else frozenset()
        by_anchor: dict[str, list] = {}
        for tok, anchors in near:
            places = None
            for a in anchors:
                targets = by_anchor.get(a)
                if targets is None:
                    targets = by_anchor[a] = self._candidates(a, have)
                for ri, entry, key, needs in targets:
                    if ri in exact_rules or not needs <= present:
                        continue
                    if places is None:
                        places = list(_occurrences(low, tok))
                    for pos in places:
                        hit = _verify(low, key, pos, len(tok))
                        if hit is None:
                            continue
                        s, e, conf = hit
                        # The same place may be reached through several phrase forms: keep the
                        # closest, so the result does not depend on the order they are tried in.
                        held = best.get((ri, s))
                        if held is None or (conf, e - s) > (held[5], held[1] - held[0]):
                            best[(ri, s)] = (s, e, ri, entry, {}, conf)
        return [best[k] for k in sorted(best)]


_FUZZ = None
#: Words too common to be worth looking for before comparing a phrase (see ``FuzzyIndex._tracked``).
_COMMON = frozenset("the and you for your this that with have will are our not can was all any but has".split())


def _fuzz():
    """rapidfuzz.fuzz, imported on first use (start-up stays fast when nothing is near)."""
    global _FUZZ
    if _FUZZ is None:
        from rapidfuzz import fuzz

        _FUZZ = fuzz
    return _FUZZ


def _occurrences(low: str, tok: str):
    i = low.find(tok)
    n = len(tok)
    while i != -1:
        before = low[i - 1] if i else " "
        after = low[i + n] if i + n < len(low) else " "
        if not (before.isalnum() or before == "'") and not (after.isalnum() or after == "'"):
            yield i
        i = low.find(tok, i + 1)


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


def _verify(low: str, key: str, pos: int, toklen: int):
    lo = max(0, pos - len(key) - 8)
    hi = min(len(low), pos + toklen + len(key) + 8)
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
    if not (s <= pos < e) or "\ufffc" in low[s:e] or _BLANK_LINE.search(low, s, e):
        return None
    span = " ".join(low[s:e].split())
    if not _words_agree(key.split(" "), span.split(" ")):
        return None
    score = fuzz.ratio(key, span) / 100
    if score < FLOOR:
        return None
    return s, e, min(score, 0.99)
