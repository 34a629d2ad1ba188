"""The matcher: every rule of a run compiled into a few combined patterns, one scan per text.

* Literal phrases (all their expanded forms) go into one Aho-Corasick automaton, run once over a
  flattened copy of the text (lower case, straight apostrophes, hyphens and runs of spaces or a
  single line break turned into one space, blank lines kept as barriers). Word boundaries are
  checked by hand on the few hits, and offsets are mapped back to the view.
* Regex patterns and phrases with gaps run only where one of their required literals occurs;
  the literals of all of them form a second automaton, scanned once.
* Near-variants and typos of long phrases are found by ``fuzzy.FuzzyIndex``.
* Benign contexts (``exceptions``, ``unless_*``) are checked only for candidate matches.
"""
from __future__ import annotations

import re
from typing import Optional, Sequence

from macrolint.matching import automata
from macrolint.matching.automata import (
    automaton,
    compile_once,
    flat_hits,
    literal_hits,
)
from macrolint.matching.contexts import Contexts
from macrolint.matching.finding import Finding
from macrolint.matching.literal import FormIndex, Heads
from macrolint.matching.nearvariant import FuzzyIndex
from macrolint.matching.regexes import captures, led_by, matches_at
from macrolint.model import Applicability
from macrolint.packs.model import MatchEntry, Rule
from macrolint.packs.phrases import GAP, SEP, key_regex
from macrolint.text.casing import match_case
from macrolint.text.document import MASK
from macrolint.text.normalize import flatten, normalize_text


class PatternTimeout(Exception):
    """A user regex ran out of time on one text."""

    def __init__(self, rule: Rule):
        super().__init__(rule.code)
        self.rule = rule


class Engine:
    """All enabled rules of a run, compiled for scanning.

    Regexes and benign contexts compile on first use: most runs touch few of them, and
    start-up matters in a pre-commit hook.
    """

    def __init__(self, rules: Sequence[Rule], fuzzy: bool = True):
        self.rules = list(rules)
        by_head = Heads()
        self._regex_entries: list[tuple[int, MatchEntry]] = []
        for ri, rule in enumerate(self.rules):
            for ei, entry in enumerate(rule.matches):
                if entry.phrase is not None and entry.phrase.is_literal:
                    by_head.add((ri, ei), ri, entry, entry.phrase)
                else:
                    self._regex_entries.append((ri, entry))
        # Literal forms are numbered as texts need them, and their targets worked out on a hit.
        self._literals = FormIndex(by_head) if by_head else None
        self._targets = self._literals.targets if self._literals is not None else []
        anchors: dict[str, list[int]] = {}
        self._always: list[int] = []
        for i, (_, entry) in enumerate(self._regex_entries):
            found = _anchors(entry)
            if not found:
                self._always.append(i)
            for a in found:
                anchors.setdefault(a, []).append(i)
        self._anchor_ids = list(anchors.values())
        self._anchors = automaton(list(anchors))
        self._init_gaps()
        self._compiled: dict = {}
        self._contexts: dict[int, Optional[Contexts]] = {}
        self._fuzzy = FuzzyIndex(self.rules) if fuzzy else None

    def _init_gaps(self) -> None:
        """Phrases with gaps, prepared to run only where every part occurs.

        A gap phrase can only match where each of its parts has a key present, and only from
        where a key of its first part starts. The keys of the later parts (the rarer words) form
        one automaton, those of the first parts another, run only when some phrase has all its
        later parts present; both run on the flattened text like the literal automaton. The regex
        is then rebuilt from the keys present (same order, so the same alternative wins), which
        keeps it small. Texts where case folding or exotic spaces could make the regex match a key
        the flat literal search does not see take the plain regex path.
        """
        self._gap_ac = self._pattern_anchors = None
        self._gap_rx: dict = {}
        self._gap_order: dict[int, list[list[str]]] = {}
        first: dict[str, list[int]] = {}
        rest: dict[str, list[tuple[int, int]]] = {}
        pattern_anchors: dict[str, list[int]] = {}
        for i, (_, entry) in enumerate(self._regex_entries):
            if entry.phrase is None:
                for a in _anchors(entry):
                    pattern_anchors.setdefault(a, []).append(i)
                continue
            order = [sorted(seg, key=len, reverse=True) for seg in entry.phrase.segments]
            if not all(k.isascii() for seg in order for k in seg) or len(order) < 2:
                return
            self._gap_order[i] = order
            for k in order[0]:
                first.setdefault(k, []).append(i)
            for si, seg in enumerate(order[1:], 1):
                for k in seg:
                    rest.setdefault(k, []).append((i, si))
        if self._always or not self._gap_order:
            return
        self._first_keys = list(first)
        self._first_targets = [first[k] for k in self._first_keys]
        self._first_ac = automaton(self._first_keys)
        self._rest_keys = list(rest)
        self._rest_targets = [rest[k] for k in self._rest_keys]
        self._gap_ac = automaton(self._rest_keys)
        self._pattern_anchor_ids = list(pattern_anchors.values())
        self._pattern_anchors = automaton(list(pattern_anchors))
        self._pattern_anchor_keys = list(pattern_anchors)
        self._led: dict[int, Optional[frozenset[int]]] = {}

    def _led_keys(self, i: int) -> Optional[frozenset[int]]:
        """For a pattern whose every match starts where one of its anchors starts (``led_by``),
        the numbers of those anchors in the pattern-anchor automaton: it is tried only there."""
        if i in self._led:
            return self._led[i]
        entry = self._regex_entries[i][1]
        led = None
        if entry.anchors and led_by(entry.pattern, entry.anchors):
            led = frozenset(self._pattern_anchor_keys.index(a) for a in entry.anchors)
        self._led[i] = led
        return led

    def prepare_for_many(self) -> None:
        """Build the automaton over the heads of the literal forms now, before worker processes
        fork: a long run needs it anyway, and built once it is shared instead of built in every
        worker."""
        if self._literals is not None:
            self._literals.automaton()

    # -- scanning ------------------------------------------------------------------------------

    def scan(self, text: str) -> list[Finding]:
        """All findings in one view text (offsets into ``text``)."""
        low = normalize_text(text)
        cands: list[tuple[int, int, int, MatchEntry, dict, float]] = []
        flat_view = flatten(low) if self._literals is not None or self._gap_ac is not None else None
        if self._literals is not None:
            self._scan_literals(low, cands, flat_view)
        if self._regex_entries:
            if self._gap_ac is not None and _plain(low):
                self._scan_gaps(text, low, cands, flat_view)
            else:
                self._scan_regex(text, low, cands)
        if self._fuzzy is not None:
            exact = {(c[2], c[0]) for c in cands}
            cands.extend(self._fuzzy.scan(low, exact))
        if not cands:
            return []
        return self._resolve(text, low, cands)

    def _scan_literals(self, low: str, cands: list, flat_view=None) -> None:
        targets = self._targets
        for idx, s, e in literal_hits(self._literals, low, flat_view=flat_view):
            for ri, entry, caps in targets[idx]:
                cands.append((s, e, ri, entry, caps, 1.0))

    def _regex(self, i: int):
        compiled = self._compiled.get(i)
        if compiled is None:
            entry = self._regex_entries[i][1]
            if entry.phrase is not None:
                src = "(?<!\\w)(?:" + entry.phrase.regex_source() + ")(?!\\w)"
            else:
                src = entry.pattern
            compiled = self._compiled[i] = compile_once(src, _PATTERN_FLAGS)
        return compiled

    def _scan_regex(self, text: str, low: str, cands: list) -> None:
        todo = set(self._always)
        if self._anchors is not None:
            for idx, _, _ in self._anchors.find_matches_as_indexes(low, overlapping=True):
                todo.update(self._anchor_ids[idx])
        for i in sorted(todo):
            ri, entry = self._regex_entries[i]
            try:
                for m in self._regex(i).finditer(low, timeout=automata.REGEX_TIMEOUT):
                    if m.end() == m.start():
                        continue
                    caps = {} if entry.phrase is not None else captures(m, text)
                    cands.append((m.start(), m.end(), ri, entry, caps, 1.0))
            except TimeoutError:
                raise PatternTimeout(self.rules[ri]) from None

    def _scan_gaps(self, text: str, low: str, cands: list, flat_view) -> None:
        """``_scan_regex`` with gap phrases run only from where their first part starts."""
        todo: set[int] = set()
        anchor_hits = ()
        if self._pattern_anchors is not None:
            anchor_hits = self._pattern_anchors.find_matches_as_indexes(low, overlapping=True)
            for idx, _, _ in anchor_hits:
                todo.update(self._pattern_anchor_ids[idx])
        present: dict[int, list[set[str]]] = {}
        keys, targets, order = self._rest_keys, self._rest_targets, self._gap_order
        # Only which keys occur matters here, not where: no offsets to map back.
        for idx in {idx for idx, _, _ in self._gap_ac.find_matches_as_indexes(flat_view[0], overlapping=True)}:
            key = keys[idx]
            for i, si in targets[idx]:
                segs = present.get(i)
                if segs is None:
                    segs = present[i] = [set() for _ in order[i]]
                segs[si].add(key)
        ready = {i for i, segs in present.items() if all(segs[1:])}
        starts: dict[int, set[int]] = {}
        if ready:
            keys, targets = self._first_keys, self._first_targets
            for idx, s, _ in flat_hits(self._first_ac, flat_view):
                for i in targets[idx]:
                    if i in ready:
                        present[i][0].add(keys[idx])
                        starts.setdefault(i, set()).add(s)
            todo.update(starts)
        for i in sorted(todo):
            ri, entry = self._regex_entries[i]
            if entry.phrase is None:
                led = self._led_keys(i)
                if led is None:
                    self._run_pattern(i, ri, entry, text, low, cands)
                else:
                    self._run_led(i, ri, entry, text, low, cands, sorted({s for idx, s, _ in anchor_hits if idx in led}))
                continue
            parts = tuple(tuple(k for k in seg if k in got) for seg, got in zip(order[i], present[i]))
            rx = self._gap_rx.get((i, parts))
            if rx is None:
                from macrolint.storage.cache import compiled

                src = "(?<!\\w)(?:" + (SEP + GAP).join(
                    "(?:" + "|".join(key_regex(k) for k in part) + ")" for part in parts) + ")(?!\\w)"
                if len(self._gap_rx) > 4096:
                    self._gap_rx.clear()
                rx = self._gap_rx[(i, parts)] = compiled(src, _PATTERN_FLAGS)
            try:
                for m in matches_at(rx, low, sorted(starts[i])):
                    cands.append((m.start(), m.end(), ri, entry, {}, 1.0))
            except TimeoutError:
                raise PatternTimeout(self.rules[ri]) from None

    def _run_pattern(self, i: int, ri: int, entry: MatchEntry, text: str, low: str, cands: list) -> None:
        try:
            for m in self._regex(i).finditer(low, timeout=automata.REGEX_TIMEOUT):
                if m.end() == m.start():
                    continue
                cands.append((m.start(), m.end(), ri, entry, captures(m, text), 1.0))
        except TimeoutError:
            raise PatternTimeout(self.rules[ri]) from None

    def _run_led(self, i: int, ri: int, entry: MatchEntry, text: str, low: str, cands: list, starts: list[int]) -> None:
        """``_run_pattern`` for a pattern ``led_by`` its anchors, tried only where they start."""
        try:
            for m in matches_at(self._regex(i), low, starts):
                cands.append((m.start(), m.end(), ri, entry, captures(m, text), 1.0))
        except TimeoutError:
            raise PatternTimeout(self.rules[ri]) from None

    def _context(self, ri: int) -> Optional[Contexts]:
        if ri not in self._contexts:
            r = self.rules[ri]
            has = r.exceptions or r.unless_before or r.unless_after or r.unless_sentence
            self._contexts[ri] = Contexts(r) if has else None
        return self._contexts[ri]

    def _resolve(self, text: str, low: str, cands: list) -> list[Finding]:
        cands.sort(key=lambda c: (c[0], -c[1], c[2]))
        kept: list[tuple[int, int, int]] = []
        out: list[Finding] = []
        for s, e, ri, entry, caps, conf in cands:
            if MASK in text[s:e]:
                continue
            if any(k_ri == ri and k_s <= s and e <= k_e for k_s, k_e, k_ri in kept):
                continue
            ctx = self._context(ri)
            if ctx is not None:
                try:
                    if ctx.suppresses(low, s, e):
                        continue
                except TimeoutError:  # a context pattern of the rule ran out of time
                    raise PatternTimeout(self.rules[ri]) from None
            kept.append((s, e, ri))
            replacement = None
            applicability = Applicability.SUGGEST
            if entry.replace is not None:
                replacement = match_case(_fill(entry.replace, caps), text[s:e])
                applicability = entry.fix
                if conf < 1.0:
                    applicability = min(applicability, Applicability.UNSAFE)
            out.append(Finding(self.rules[ri], s, e, conf, replacement, applicability))
        return out


#: ``regex.IGNORECASE | regex.V0``, spelled out so the module need not be imported to name it.
_PATTERN_FLAGS = 2 | 8192

_RISKY: dict[str, bool] = {}


def _plain(low: str) -> bool:
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


_FIELD = re.compile(r"(?<!\{)\{(\w+)\}(?!\})")


def _fill(template: str, caps: dict) -> str:
    """Fill ``{1}`` / ``{name}`` in a rewrite with the parts the match captured."""

    def sub(m: "re.Match[str]") -> str:
        key = m.group(1)
        if key in caps:
            return caps[key]
        if key.isdigit() and int(key) in caps:
            return caps[int(key)]
        return ""

    return _FIELD.sub(sub, template)


def _anchors(entry: MatchEntry) -> tuple[str, ...]:
    if entry.phrase is None:
        return entry.anchors
    if entry.anchors:
        return entry.anchors
    for seg in entry.phrase.segments:
        words = {max(key.split(" "), key=len) for key in seg}
        if all(len(w) >= 3 for w in words):
            return tuple(sorted(words))
    return ()
