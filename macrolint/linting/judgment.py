"""What a unit's findings become once the text around them is known.

The engine finds phrases; this decides which of them a reader of that text would call a problem:

* **scope**: a tone rule reads only the scopes it declares (``text.scopes``), widened or narrowed
  by config, per path; a fix never edits quoted text or a legal notice, even where a config
  widens a rule to read them;
* **audience**: a rule written for customers (``audience: customers``, the technical-term
  jargon) is off where the config says the audience is ``technical``;
* **kind of text**: a rule for some kinds of text only (``kinds: [replies]``) is off in the
  others: a help-centre article, an automatic notice (``notices = true``), a reply; in an
  article, a rule with ``articles_need`` reports only where the sentence also holds one of
  those (a promise's owner: "we", "our team");
* **vocabulary**: a term the team accepts is never flagged by a tone rule; a term explained in
  the same text ("single sign-on (SSO)") is not jargon there;
* **one finding per span**: where tone rules overlap on the same words, the most specific one is
  reported (the longest match, then the most severe) and the others are listed as ``related``.

Code checks (placeholders) are left as they are.
"""
from __future__ import annotations

import re
from typing import Iterator, Optional

from macrolint.matching.checkbase import BESIDE
from macrolint.matching.contexts import PhraseSet, sentence_bounds
from macrolint.matching.finding import Finding
from macrolint.model import Applicability
from macrolint.packs.config import Config
from macrolint.packs.reading import Reading, Vocabulary
from macrolint.text.document import Source, Unit
from macrolint.text.normalize import normalize_text
from macrolint.text.paths import config_relative, glob_match
from macrolint.text.scopes import NEVER_FIXED, ScopeMap, text_scopes, unit_scope

#: The categories of tone rules: the ones scopes, audience and vocabulary apply to.
TONE = frozenset({"robotic", "blame", "jargon", "vague", "condescending"})


class Judge:
    """The reading settings of one run, applied unit by unit (``judge``)."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._paths: dict[str, Reading] = {}
        #: Reduce overlapping tone findings to one (off where each rule is checked on its own:
        #: rule examples).
        self.one_per_span = True
        self._accept = _terms_regex(config.vocabulary)
        self._read: dict[Reading, frozenset] = {}
        #: Each rule's ``articles_need``, compiled on first use.
        self._needs: dict[str, PhraseSet] = {}

    def silent(self, source: Source, unit: Unit, rules) -> bool:
        """Whether no tone rule of ``rules`` reads any of ``unit``: its own scope is one they
        do not read (a macro's title, which only agents see) and nothing in it says otherwise."""
        reading = self.reading_for(source.path)
        read = self._read.get(reading)
        if read is None:
            read = self._read[reading] = frozenset().union(
                *(reading.scopes_for(r.scopes) for r in rules if r.category in TONE))
        articles = source.articles or reading.articles
        if unit.scopes or unit_scope(unit.item.field if unit.item is not None else None, articles) in read:
            return False
        return not any(scope in read for _, _, scope in text_scopes(unit.text))

    def reading_for(self, path: str) -> Reading:
        """The settings for a file: the last ``[paths."<glob>"]`` that matches it, else the top-level ones."""
        found = self._paths.get(path)
        if found is None:
            found = self.config.reading
            if self.config.paths:
                rel = config_relative(path, self.config.root)
                for glob, reading in self.config.paths:
                    if glob_match(rel, glob):
                        found = reading
            self._paths[path] = found
        return found

    def judge(self, source: Source, unit: Unit, findings: list[Finding]) -> list[Finding]:
        tone = [f for f in findings if f.rule.category in TONE]
        if not tone:
            return findings
        reading = self.reading_for(source.path)
        scopes = _Scopes(unit, source.articles or reading.articles)
        kind = reading.kind(source.articles)
        kept: list[Finding] = []
        explained = _Explained(unit.text)
        explained.prepare([(f.start, f.end) for f in tone if f.rule.category == "jargon"])
        low = None
        for f in tone:
            rule = f.rule
            if reading.audience == "technical" and rule.audience == "customers" or kind not in rule.kinds:
                continue
            if kind == "articles" and rule.articles_need:
                if low is None:
                    low = normalize_text(unit.text)
                if not self._article_needs(rule, low, f.start, f.end):
                    continue
            scope = scopes.at(f.start, f.end)
            if scope not in reading.scopes_for(rule.scopes):
                continue
            if self._accept is not None and _overlaps_any(self._accept, unit.text, f.start, f.end):
                continue
            if rule.category == "jargon" and explained(f.start, f.end):
                continue
            if scope in NEVER_FIXED and (f.replacement is not None or f.applicability != Applicability.SUGGEST):
                # someone else's words, or a literal's: advice only, no rewrite for --fix or review to paste
                f = f._replace(applicability=Applicability.SUGGEST, replacement=None, tail=None)
            kept.append(f)
        if self.one_per_span:
            kept = one_per_span(kept)
        others = [f for f in findings if f.rule.category not in TONE]
        if others:
            kept = sorted(kept + others, key=lambda f: (f.start, f.end))
        return kept

    def _article_needs(self, rule, low: str, start: int, end: int) -> bool:
        """Whether the sentence around ``[start, end)`` holds one of the rule's ``articles_need``."""
        needs = self._needs.get(rule.code)
        if needs is None:
            needs = self._needs[rule.code] = PhraseSet(rule.articles_need)
        a, z = sentence_bounds(low, start, end)
        return any(True for _ in needs.iter_spans(low, a, z))


class _Scopes:
    """The scope of a place in a unit, worked out on first use: what the text says of itself,
    then what the reader saw (raw offsets), then the unit's own scope."""

    __slots__ = ("unit", "articles", "_view", "_raw", "_default")

    def __init__(self, unit: Unit, articles: bool) -> None:
        self.unit = unit
        self.articles = articles
        self._view: Optional[ScopeMap] = None

    def at(self, start: int, end: int) -> str:
        unit = self.unit
        if self._view is None:
            self._view = ScopeMap(text_scopes(unit.text), None)
            # An article's block quote is the author's callout ("Note: ..."); a reply's quotes
            # the message it answers.
            raw = [s for s in unit.scopes if not (self.articles and s[2] == "quote")]
            self._raw = ScopeMap(raw, None) if raw else None
            self._default = unit_scope(unit.item.field if unit.item is not None else None, self.articles)
        scope = self._view.at(start, end)
        if scope is None and self._raw is not None:
            rs = unit.omap.raw_start(start)
            scope = self._raw.at(rs, rs + 1)
        return scope or self._default


def one_per_span(findings: list[Finding]) -> list[Finding]:
    """Findings whose spans overlap reduced to the most specific one (the longest, then the team's
    own vocabulary, then the most severe, then the lowest code); the others' codes go into its
    ``related``. A finding on how words are written (in capitals) stands beside those on the words."""
    if len(findings) < 2:
        return findings
    beside = [f for f in findings if f.rule.check in BESIDE]
    if beside:
        return sorted(one_per_span([f for f in findings if f.rule.check not in BESIDE]) + beside,
                      key=lambda f: (f.start, f.end))
    findings = sorted(findings, key=lambda f: (f.start, f.end))
    groups: list[list[Finding]] = []
    end = -1
    for f in findings:
        if groups and f.start < end:
            groups[-1].append(f)
            end = max(end, f.end)
        else:
            groups.append([f])
            end = f.end
    out = []
    for group in groups:
        if len(group) == 1:
            out.append(group[0])
            continue
        best = min(group, key=lambda f: (-(f.end - f.start), f.rule.pack != "vocabulary", -int(f.rule.severity),
                                          f.rule.code))
        related = tuple(sorted({f.rule.code for f in group if f.rule.code != best.rule.code}))
        out.append(best._replace(related=related) if related else best)
    return out


def _terms_regex(vocab: Vocabulary):
    """One pattern for every accepted term, as a whole word; a term with a capital letter is
    matched as written (a product name), one in lower case in any case."""
    if not vocab.accept:
        return None
    import regex

    parts = []
    for term in sorted(vocab.accept, key=len, reverse=True):
        words = r"\s+".join(regex.escape(w, special_only=True) for w in term.split())
        parts.append(words if term != term.lower() else f"(?i:{words})")
    return regex.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])")


def _overlaps_any(pattern, text: str, start: int, end: int) -> bool:
    lo = max(0, start - 200)
    return any(m.start() < end and start < m.end() for m in pattern.finditer(text, lo, min(len(text), end + 200)))


# What explains a term right after it: "provisioning (setting up your account)", "RMA, which
# means", "an RMA is what"; and right before it, in parentheses: "single sign-on (SSO)".
_GLOSS_AFTER = re.compile(
    r"\s*\((?=[^)]*[a-z]{3})[^()\n]{3,80}\)"
    r"|[,:]?\s+(?:means|stands\s+for|refers\s+to|is\s+(?:what|when|how|where)\b|\(?i\.e\.)"
    r"|,\s+which\s+(?:means|is)\b")
_GLOSS_BEFORE = re.compile(r"[a-z][\w'’-]*(?:[ -][\w'’-]+){1,6}\s*\(\s*$")
_CLOSE = re.compile(r"\s*\)")


class _Explained:
    """Whether a unit's text explains the term at ``[start, end)`` wherever it uses it, each
    term's answer kept, so a text that uses one term a thousand times is read for it once."""

    __slots__ = ("text", "_known", "_glossy")

    def __init__(self, text: str) -> None:
        self.text = text
        self._known: dict[str, bool] = {}
        self._glossy = ("(" in text or " mean" in text or "stand" in text or "refer" in text or " is " in text
                        or "i.e." in text)

    def __call__(self, start: int, end: int) -> bool:
        if not self._glossy:
            return False
        term = _term(self.text, start, end)
        if term not in self._known:
            self.prepare([(start, end)])
        return self._known[term]

    def prepare(self, spans: list[tuple[int, int]]) -> None:
        """Work out the terms at ``spans`` together: the text is read once for all of them (a long
        text holds hundreds of terms, and each read of it lower-cases it a megabyte at a time)."""
        if not self._glossy or not spans:
            return
        todo = {t: False for t in (_term(self.text, s, e) for s, e in spans) if t not in self._known}
        for term in [t for t in todo if not t or len(t) > 60]:
            self._known[term] = todo.pop(term)
        for term, at in _uses(self.text, todo):
            if not todo[term] and _explained_at(self.text, term, at):
                todo[term] = True
        self._known.update(todo)


def _term(text: str, start: int, end: int) -> str:
    return " ".join(text[start:end].split()).lower()


def _uses(text: str, terms, step: int = 1 << 20) -> Iterator[tuple[str, int]]:
    """``(term, offset)`` for each use of each lower-case term in ``text``, any case, the text
    read a megabyte at a time (each piece lower-cased once for every term)."""
    if not terms:
        return
    k = max(len(t) for t in terms)
    for lo in range(0, len(text), step):
        piece = text[lo:lo + step + k - 1]
        low = piece.lower()
        if len(low) != len(piece):  # a letter whose lower case is longer: offsets would move
            for term in terms:
                yield from ((term, lo + m.start()) for m in re.finditer(re.escape(term), piece, re.IGNORECASE)
                            if m.start() < step)
            continue
        for term in terms:
            i = low.find(term)
            while i != -1 and i < step:
                yield term, lo + i
                i = low.find(term, i + 1)


def _explained_at(text: str, term: str, at: int) -> bool:
    """Whether the use of the lower-case ``term`` at ``at`` is followed or framed by a gloss (read in
    lower case with what stands around it, not a lower-cased copy of the whole text)."""
    after = at + len(term)
    if (at and (text[at - 1].isalnum() or text[at - 1] in "-_")) or (
            after < len(text) and (text[after].isalnum() or text[after] in "-_")):
        return False
    lo = max(0, at - 80)
    low = text[lo:after + 100].lower()
    a, z = at - lo, after - lo
    if len(low) != min(len(text), after + 100) - lo:  # a letter whose lower case is longer
        a = low.find(term, max(0, a - 4))
        if a == -1:
            return False
        z = a + len(term)
    return bool(_GLOSS_AFTER.match(low, z) or (_CLOSE.match(low, z) and _GLOSS_BEFORE.search(low, max(0, a - 80), a)))
