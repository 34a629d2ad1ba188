"""The matcher: every rule of a run compiled into a few combined patterns, one scan per text.

* Literal phrases (all their expanded forms) form one trie-shaped ``re`` alternation run on the
  lower-cased text, with the left word boundary checked by hand (a leading ``\\b`` would switch
  off ``re``'s fast prefix search). A match is mapped back to its rules by dictionary lookup.
* Regex patterns and phrases with gaps run only where one of their required literals occurs;
  the literals of all of them form a second trie, scanned once.
* Near-variants and typos of long phrases are found by ``fuzzy.FuzzyIndex``.
* Benign contexts (``exceptions``, ``unless_*``) are checked only for candidate matches.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence

import regex

from .casing import match_case
from .fuzzy import FuzzyIndex
from .model import Applicability, Finding, MatchEntry, Rule
from .phrases import SEP, RawPattern, normalize_key

REGEX_TIMEOUT = 1.0  # seconds a single user pattern may run on one text

_NORM = str.maketrans({
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2010": "-", "\u2011": "-",
})


def normalize_text(text: str) -> str:
    """Lower-case, straighten apostrophes and unify spaces, keeping every offset in place."""
    t = text.translate(_NORM)
    low = t.lower()
    if len(low) != len(t):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in t)
    return low


def trie_pattern(keys, sep: str = SEP) -> str:
    """A trie-shaped alternation of ``keys``; a space in a key stands for ``sep``."""
    root: dict = {}
    for key in keys:
        node = root
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node: dict) -> str:
        branches = []
        for ch in sorted(k for k in node if k):
            piece = sep if ch == " " else re.escape(ch)
            branches.append(piece + emit(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return (body if len(branches) > 1 else "(?:" + body + ")") + "?"
        return body

    return emit(root)


class PatternTimeout(Exception):
    """A user regex ran out of time on one text."""

    def __init__(self, rule: Rule):
        super().__init__(rule.code)
        self.rule = rule


@dataclass(frozen=True)
class _RegexEntry:
    rule: int
    entry: MatchEntry
    compiled: "regex.Pattern"


def _bounded(phrase) -> str:
    """A context's regex: phrases get word boundaries, ``re:`` patterns are used as written."""
    src = phrase.regex_source()
    return src if isinstance(phrase, RawPattern) else "(?<!\\w)(?:" + src + ")(?!\\w)"


def _phrase_union(phrases: Sequence) -> Optional["regex.Pattern"]:
    if not phrases:
        return None
    return regex.compile("|".join(_bounded(p) for p in phrases))


class _Context:
    """A rule's benign contexts, compiled once."""

    __slots__ = ("exceptions", "before", "after", "sentence")

    def __init__(self, rule: Rule):
        self.exceptions = _phrase_union(rule.exceptions)
        before = _phrase_union(rule.unless_before)
        self.before = regex.compile("(?:" + before.pattern + ")[\\s,;:\\-]*\\Z") if before else None
        after = _phrase_union(rule.unless_after)
        self.after = regex.compile("[\\s,;:\\-]*(?:" + after.pattern + ")") if after else None
        self.sentence = _phrase_union(rule.unless_sentence)

    def suppresses(self, low: str, s: int, e: int) -> bool:
        if self.exceptions is not None:
            lo = max(0, s - 200)
            for m in self.exceptions.finditer(low, lo, min(len(low), e + 200)):
                if m.start() <= s and m.end() >= e:
                    return True
        if self.before is not None and self.before.search(low, max(0, s - 120), s):
            return True
        if self.after is not None and self.after.match(low, e, min(len(low), e + 120)):
            return True
        if self.sentence is not None:
            a, z = sentence_bounds(low, s, e)
            if self.sentence.search(low, a, s) or self.sentence.search(low, e, z):
                return True
        return False


_SENT_BREAK = re.compile(r"[.!?]+[\"')\]]*(?=\s|$)|\n[^\S\n]*\n")


def sentence_bounds(text: str, s: int, e: int) -> tuple[int, int]:
    """The sentence around ``[s, e)``: bounded by ., ! or ? before a space, or a blank line."""
    lo = max(0, s - 400)
    start = lo
    for m in _SENT_BREAK.finditer(text, lo, s):
        start = m.end()
    m = _SENT_BREAK.search(text, e, min(len(text), e + 400))
    end = m.end() if m else min(len(text), e + 400)
    return start, end


class Engine:
    """All enabled rules of a run, compiled for scanning."""

    def __init__(self, rules: Sequence[Rule], fuzzy: bool = True):
        self.rules = list(rules)
        self.literal: dict[str, list[tuple[int, MatchEntry, dict]]] = {}
        regex_entries: list[_RegexEntry] = []
        for ri, rule in enumerate(self.rules):
            for entry in rule.matches:
                if entry.phrase is not None and entry.phrase.is_literal:
                    for key, caps in entry.phrase.segments[0].items():
                        self.literal.setdefault(key, []).append((ri, entry, caps))
                else:
                    if entry.phrase is not None:
                        src = "(?<!\\w)(?:" + entry.phrase.regex_source() + ")(?!\\w)"
                    else:
                        src = entry.pattern
                    compiled = regex.compile(src, regex.IGNORECASE | regex.V0)
                    regex_entries.append(_RegexEntry(ri, entry, compiled))
        self._trie = re.compile(trie_pattern(self.literal) + r"(?!\w)") if self.literal else None
        self._regex_entries = regex_entries
        anchors: dict[str, set[int]] = {}
        self._always: list[int] = []
        for i, re_entry in enumerate(regex_entries):
            found = _anchors(re_entry.entry)
            if not found:
                self._always.append(i)
            for a in found:
                anchors.setdefault(a, set()).add(i)
        # A found literal triggers the entries of every anchor it contains (the trie returns
        # only the longest literal at a position).
        self._anchor_map = {a: sorted({i for b, ids in anchors.items() if b in a for i in ids}) for a in anchors}
        self._anchor_re = re.compile(trie_pattern(anchors, sep=" ")) if anchors else None
        self._contexts = [_Context(r) if (r.exceptions or r.unless_before or r.unless_after or r.unless_sentence) else None
                          for r in self.rules]
        self._fuzzy = FuzzyIndex(self.rules) if fuzzy else None

    # -- scanning ------------------------------------------------------------------------------

    def scan(self, text: str) -> list[Finding]:
        """All findings in one view text (offsets into ``text``)."""
        low = normalize_text(text)
        cands: list[tuple[int, int, int, MatchEntry, dict, float]] = []
        if self._trie is not None:
            self._scan_literals(low, cands)
        if self._regex_entries:
            self._scan_regex(text, low, cands)
        if self._fuzzy is not None:
            exact = {(c[2], c[0]) for c in cands}
            cands.extend(self._fuzzy.scan(low, exact))
        if not cands:
            return []
        return self._resolve(text, low, cands)

    def _scan_literals(self, low: str, cands: list) -> None:
        search = self._trie.search
        literal = self.literal
        pos = 0
        while True:
            m = search(low, pos)
            if m is None:
                return
            s, e = m.span()
            pos = s + 1
            if s and (low[s - 1].isalnum() or low[s - 1] == "_") and (low[s].isalnum() or low[s] == "_"):
                continue
            for ri, entry, caps in literal.get(normalize_key(m.group()), ()):
                cands.append((s, e, ri, entry, caps, 1.0))

    def _scan_regex(self, text: str, low: str, cands: list) -> None:
        todo = set(self._always)
        if self._anchor_re is not None:
            for found in set(self._anchor_re.findall(low)):
                todo.update(self._anchor_map[found])
        for i in sorted(todo):
            re_entry = self._regex_entries[i]
            entry = re_entry.entry
            try:
                for m in re_entry.compiled.finditer(low, timeout=REGEX_TIMEOUT):
                    if m.end() == m.start():
                        continue
                    if entry.phrase is not None:
                        caps = {}
                    else:
                        caps = {str(k): text[m.start(k):m.end(k)] for k in range(1, (m.re.groups or 0) + 1) if m.start(k) >= 0}
                        caps.update({name: text[m.start(name):m.end(name)] for name in m.re.groupindex if m.start(name) >= 0})
                    cands.append((m.start(), m.end(), re_entry.rule, entry, caps, 1.0))
            except TimeoutError:
                raise PatternTimeout(self.rules[re_entry.rule]) from None

    def _resolve(self, text: str, low: str, cands: list) -> list[Finding]:
        cands.sort(key=lambda c: (c[0], -c[1], c[2]))
        kept: list[tuple[int, int, int]] = []
        out: list[Finding] = []
        for s, e, ri, entry, caps, conf in cands:
            if "\ufffc" in text[s:e]:
                continue
            if any(k_ri == ri and k_s <= s and e <= k_e for k_s, k_e, k_ri in kept):
                continue
            ctx = self._contexts[ri]
            if ctx is not None and ctx.suppresses(low, s, e):
                continue
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
