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


def _representatives(keys) -> list[str]:
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
                for key in _representatives(entry.phrase.segments[0]):
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
        for tok, anchors in near:
            for a in anchors:
                for ri, entry, key, needs in self.targets[a]:
                    if ri in exact_rules or not needs <= present:
                        continue
                    for pos in _occurrences(low, tok):
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
