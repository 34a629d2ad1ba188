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

import re
from collections import Counter
from operator import itemgetter
from typing import Mapping, Optional, Sequence

from macrolint.model import Rule
from macrolint.text.document import MASK

MIN_WORDS = 3
#: Places a text's phrases are compared at, at most: a text that repeats an anchor word tens of
#: thousands of times costs time in proportion to this, not to its repetitions times its phrases.
MAX_COMPARISONS = 50_000
MIN_CHARS = 14
MIN_ANCHOR = 5
#: Lowest similarity (0..1) a near-variant needs to be reported at all.
FLOOR = 0.86
_STOP = frozenset("about would could should there their these those which where while your yours ours".split())
#: The words of a text as ``_word_ok`` sees them: runs of ``[a-z']`` not starting with ``'``. They
#: are cut out as bytes (every other byte, UTF-8 ones included, turned into a space), which is
#: several times faster than a regex. A token under four letters is never near an anchor (five
#: letters or more), so short ones only serve to tell which short words occur.
_WORD_RE = re.compile(r"[a-z][a-z']*")
_NOT_WORD = bytes(c if 97 <= c <= 122 or c == 39 else 32 for c in range(256))


def _words(low: str) -> set[bytes]:
    """``set(_WORD_RE.findall(low))``, as bytes."""
    flat = low.encode("utf-8", "surrogatepass").translate(_NOT_WORD)
    words = set(flat.split())
    if flat.startswith(b"'") or b" '" in flat:
        words = {w.lstrip(b"'") for w in words}
        words.discard(b"")
    return words


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


def _could_be(anchor: str, token: str) -> bool:
    """Whether ``token``, which shares a one-letter deletion with ``anchor`` (so is within two
    edits of it), could pass ``_word_ok`` as ``anchor``: ``_verify`` pairs every word of a phrase
    with a word of the text that way. Sharing such a deletion leaves an indel distance of 0, 1
    (lengths differ by one) or 2 (same length), so rapidfuzz's ratio >= 80 is
    ``5 * distance <= len(anchor) + len(token)``, worked out without importing it."""
    if anchor == token:
        return True
    distance = 1 if len(anchor) != len(token) else 2
    return 5 * distance <= len(anchor) + len(token)


def _deletes(word: str) -> set[str]:
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
        for d in _deletes(a):
            table.setdefault(d, set()).add(a)
    return {d: tuple(sorted(found)) for d, found in table.items()}


def _stored_deletes(rules: Sequence[Rule], anchors) -> Optional[Mapping[str, tuple[str, ...]]]:
    """The deletion table stored with the pack of ``rules`` (see ``cache``) when all their fuzzy
    phrases come from one cached pack whose table covers every anchor; None otherwise."""
    owners = set()
    for rule in rules:
        for entry in rule.matches:
            if fuzzy_targets(entry):
                groups = getattr(entry.phrase, "groups", None)
                filed = groups.filed() if groups is not None else None
                if filed is None:
                    return None
                owners.add(filed[0])
    if len(owners) != 1:
        return None
    found = owners.pop().deletes()
    if found is None:
        return None
    stored, table = found
    return table if set(stored) >= set(anchors) else None


class FuzzyIndex:
    def __init__(self, rules: Sequence[Rule]):
        self.targets: dict[str, list[tuple[int, object, str]]] = {}
        for ri, rule in enumerate(rules):
            for entry in rule.matches:
                for key, anchors in fuzzy_targets(entry):
                    needs = frozenset(anchors)
                    for a in anchors:
                        self.targets.setdefault(a, []).append((ri, entry, key, needs))
        # The pack cache stores the table for all of a pack's anchors; it may hold anchors of rules
        # left out of this run, which ``_anchors_for`` passes over.
        by_delete = _stored_deletes(rules, self.targets) if self.targets else None
        self._by_delete: Mapping[str, Sequence[str]] = by_delete if by_delete is not None else delete_table(self.targets)
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

    def _anchors_for(self, token_bytes: bytes) -> tuple[str, ...]:
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
            for d in _deletes(token):
                cands.update(self._by_delete.get(d, ()))
            targets = self.targets
            found = tuple(sorted(a for a in cands if a in targets and _could_be(a, token)))
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
                target = (ri, entry, key, _shorts(key), tuple(others))
                by_needs.setdefault((_wanted(key), others), []).append((n, target))
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
    def _candidates(groups: tuple, have: set, present: set, exact_rules: set) -> list:
        """The targets in an anchor's ``groups`` worth comparing in this text, in index order: their
        short words (``have``) and anchor words (``present``) occur, and their rule has no exact match."""
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
        return [g[1] for g in out if g[1][0] not in exact_rules]

    def _have(self, words: set[bytes]) -> set[bytes]:
        """The short words of a text (``_words``) that targets want exactly (``_shorts``), give or
        take words no target wants: those change nothing, so the first texts of a run take every
        word under five letters instead of waiting for the set of wanted ones to be worked out."""
        tracked = self._tracked
        if tracked is not None:
            return words & tracked
        if self._scans >= _TRACK_AFTER:
            self._tracked = _all_wanted({t[2] for targets in self.targets.values() for t in targets})
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
                    every = needs | _wanted(key)
                    found = words[key] = (_shorts(key), groups.setdefault(every, []))
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

    def _by_anchor(self, present: set, have: set, exact_rules: set) -> dict[str, list]:
        """The targets worth comparing in a text, by anchor word, each anchor's in index order:
        their anchor words (``present``) and short words (``have``) occur, and their rule has no
        exact match. The first texts of a run look at each present anchor's groups (``_groups_of``)
        and count what they show; later ones look up the groups filed by those counts (``_filed``)."""
        wanted = present | have  # anchor words have five letters or more, short words fewer
        filing = self._filing
        by_anchor: dict[str, list] = {}
        if filing is None:
            self._seen.update(wanted)
            if self._scans >= _FILE_AFTER:
                self._filing = filing = self._filed(self._seen)
                self._filing_keys = frozenset(filing)
            groups = self._groups
            for a in present:
                g = groups.get(a) or self._groups_of(a)
                if g[0] or not g[3].isdisjoint(wanted):
                    targets = self._candidates(g, have, present, exact_rules)
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
            if target[0] not in exact_rules:
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

    def scan(self, low: str, exact: set[tuple[int, int]]):
        """Candidates ``(start, end, rule_index, entry, {}, confidence)`` for near-variants."""
        if not self.targets:
            return []
        words = _words(low)
        tokens = words - self._dead
        memo = self._memo
        # Tokens met for the first time are looked up once; the memo may be full, so keep them.
        fresh = {}
        for tok in tokens - self._known:
            anchors = self._anchors_for(tok)
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
        by_anchor = self._by_anchor(present, self._have(words), {ri for ri, _ in exact})
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
                at = places[tok] = _occurrences(low, tok.decode())
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
                    # ``_verify`` compares ``key`` with ``low[lo:hi]`` (``_window``) and pairs each
                    # of its words with a word overlapping that window: its other anchor words
                    # must be there.
                    lo, hi = pos - reach, pos + toklen + reach
                    if shorts and not _words_near(low, shorts, lo - 4, hi + 4):
                        continue
                    if others and not all(seen_near(o, lo, hi) for o in others):
                        continue
                    hit = _verify(low, key, pos, toklen)
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
#: Texts scanned before the short words worth looking for are worked out (see ``FuzzyIndex._have``).
_TRACK_AFTER = 32
#: Texts scanned before the targets are filed by what those texts showed (``FuzzyIndex._filed``):
#: filing costs a few milliseconds, worth it only for a run of many texts.
_FILE_AFTER = 512
_first = itemgetter(0)
_anchor_index = itemgetter(0, 1)
#: Words too common to be worth looking for before comparing a phrase (see ``FuzzyIndex._have``).
_COMMON = frozenset("the and you for your this that with have will are our not can was all any but has".split())


def _fuzz():
    """rapidfuzz.fuzz, imported on first use (start-up stays fast when nothing is near)."""
    global _FUZZ
    if _FUZZ is None:
        from rapidfuzz import fuzz

        _FUZZ = fuzz
    return _FUZZ


_SHORTS: dict[str, tuple[str, ...]] = {}


def _shorts(key: str) -> tuple[str, ...]:
    """The words of three or four letters ``_word_ok`` wants exactly as typed, longest first."""
    found = _SHORTS.get(key)
    if found is None:
        found = _SHORTS[key] = tuple(sorted(
            {w for w in key.split(" ") if 3 <= len(w) < 5 and _WORD_RE.fullmatch(w)}, key=lambda w: (-len(w), w)))
    return found


def _all_wanted(keys) -> frozenset:
    """``frozenset().union(*map(_wanted, keys))``, each distinct word looked at once."""
    words = {w for key in keys for w in key.split(" ") if 3 <= len(w) < 5}
    return frozenset(w.encode() for w in words if w not in _COMMON and _WORD_RE.fullmatch(w))


_WANTED: dict[str, frozenset] = {}


def _wanted(key: str) -> frozenset:
    """The words of ``key`` a text must have exactly before it is worth comparing (``_shorts``
    but the very common ones), as bytes like the text's words (``_words``)."""
    found = _WANTED.get(key)
    if found is None:
        found = _WANTED[key] = frozenset(w.encode() for w in _shorts(key) if w not in _COMMON)
    return found


def _words_near(low: str, words: tuple[str, ...], lo: int, hi: int) -> bool:
    """Whether each of ``words`` occurs as a whole word in ``low[lo:hi]``. ``_verify`` compares a
    window reaching ``len(key) + 8`` characters either side and may widen the match to whole
    words, so callers pass bounds four characters wider: a short word it could use lies inside."""
    lo = max(0, lo)
    hi = min(len(low), hi)
    for w in words:
        n = len(w)
        i = low.find(w, lo, hi)
        while i != -1:
            if (i == 0 or low[i - 1] not in _WORDISH) and (i + n == len(low) or low[i + n] not in _WORDISH):
                break
            i = low.find(w, i + 1, hi)
        else:
            return False
    return True


_WORDISH = frozenset("abcdefghijklmnopqrstuvwxyz'")


def _occurrences(low: str, tok: str) -> list[int]:
    """Where ``tok`` occurs in ``low`` as a whole word (no letter, digit or apostrophe either side)."""
    found = []
    n = len(tok)
    end = len(low)
    i = low.find(tok)
    while i != -1:
        if i:
            before = low[i - 1]
            if before.isalnum() or before == "'":
                i = low.find(tok, i + 1)
                continue
        if i + n < end:
            after = low[i + n]
            if after.isalnum() or after == "'":
                i = low.find(tok, i + 1)
                continue
        found.append(i)
        i = low.find(tok, i + 1)
    return found


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


def _window(key: str, pos: int, toklen: int) -> tuple[int, int]:
    """Where ``_verify`` looks for ``key`` around a token at ``pos`` (before clipping to the text)."""
    return pos - len(key) - 8, pos + toklen + len(key) + 8


def _verify(low: str, key: str, pos: int, toklen: int):
    lo, hi = _window(key, pos, toklen)
    lo, hi = max(0, lo), min(len(low), hi)
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
    if not (s <= pos < e) or MASK in low[s:e] or _BLANK_LINE.search(low, s, e):
        return None
    span = " ".join(low[s:e].split())
    if not _words_agree(key.split(" "), span.split(" ")):
        return None
    score = fuzz.ratio(key, span) / 100
    if score < FLOOR:
        return None
    return s, e, min(score, 0.99)
