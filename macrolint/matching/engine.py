"""The engine: every rule of a run compiled into one matcher of each kind, one scan per text.

* ``literal.LiteralMatcher``: literal phrases, every form of all of them found at once.
* ``gaps.GapMatcher``: phrases with gaps, tried only where all their parts occur.
* ``patterns.PatternMatcher``: ``pattern:`` regexes, tried only where their anchors occur.
* ``nearvariant.NearMatcher``: near-variants and typos of long phrases.
* ``checks.CheckMatcher``: code-backed rules on the placeholders and words of read files.

Each owns its prefilter, and an entry its prefilter cannot serve runs by itself on every text
(``full_scans``). The engine resolves the candidates: overlaps of one rule, masked placeholders
and benign contexts (``exceptions``, ``unless_*``), checked only for candidate matches (and for
the hits of code-backed rules that declare them).
"""
from __future__ import annotations

from typing import Iterator, Optional, Sequence

from macrolint.matching import rewrite
from macrolint.matching.checks import CheckMatcher
from macrolint.matching.contexts import Contexts
from macrolint.matching.finding import Finding
from macrolint.matching.gaps import GapMatcher
from macrolint.matching.literal import LiteralMatcher
from macrolint.matching.matcher import Matcher, Text
from macrolint.matching.nearvariant import NearMatcher
from macrolint.matching.patterns import PatternMatcher
from macrolint.matching.regexes import RegexBudget
from macrolint.model import Applicability
from macrolint.packs.model import MatchEntry, Rule
from macrolint.text.document import MASK
from macrolint.text.normalize import normalize_text
from macrolint.text.templates import has_slot

__all__ = ["Engine"]


class Engine:
    """All enabled rules of a run, compiled for scanning.

    Regexes and benign contexts compile on first use: most runs touch few of them, and
    start-up matters in a pre-commit hook.
    """

    def __init__(self, rules: Sequence[Rule], near: bool = True):
        self.rules = list(rules)
        self.literal = LiteralMatcher.compile(self.rules)
        self.gaps = GapMatcher.compile(self.rules)
        self.patterns = PatternMatcher.compile(self.rules)
        self.near = NearMatcher.compile(self.rules) if near else None
        self.checks = CheckMatcher.compile(self.rules)
        #: Gap phrases and patterns of one rule give their candidates in entry order.
        self._entry_order = {id(entry): ei for rule in self.rules for ei, entry in enumerate(rule.matches)}
        self._contexts: dict[int, Optional[Contexts]] = {}
        self._index = {id(rule): ri for ri, rule in enumerate(self.rules)}
        self._budget_source: object = None
        self._budget = RegexBudget()
        #: The rules that ran out of time in the last ``scan`` (their findings there are lost).
        self.timed_out: list[Rule] = []
        #: Whether the last ``scan`` stopped at its ``limit`` with text left unread.
        self.truncated = False

    def matchers(self) -> list[Matcher]:
        return [m for m in (self.literal, self.gaps, self.patterns, self.near, self.checks) if m is not None]

    def full_scans(self) -> list[tuple[Rule, MatchEntry]]:
        """The entries that run in full on every text: no literal to look for first."""
        where = {id(rule): ri for ri, rule in enumerate(self.rules)}
        order = self._entry_order
        return sorted((found for m in self.matchers() for found in m.full_scans()),
                      key=lambda f: (where[id(f[0])], order[id(f[1])]))

    def prepare_for_many(self) -> None:
        """Build the automaton over the heads of the literal forms now, before worker processes
        fork: a long run needs it anyway, and built once it is shared instead of built in every
        worker."""
        if self.literal is not None:
            self.literal.prepare_for_many()

    def scan(self, text: str, unit=None, source=None, limit: Optional[int] = None,
             phrases: bool = True) -> list[Finding]:
        """All findings in one view text (offsets into ``text``); ``unit`` and ``source`` are the
        reader's when the text is a unit of a read file (code checks need them).

        A long text is matched in windows of ``WINDOW`` characters, each read with ``MARGIN``
        characters of the text on either side (a phrase across the cut, and the contexts a rule's
        guards look at), keeping the findings that start in the window: what a match allocates
        then follows the window, not the text, and a 200 MB text costs what 1,600 texts of 128K
        characters do. With ``limit``, windows stop once more findings than that are in hand
        (``truncated`` says so): a file of noise costs what its first reported findings do.
        Without ``phrases`` only the code checks run (a text whose phrase findings would all be
        dropped: a macro's title, which only agents read)."""
        if source is None or source is not self._budget_source:  # one budget per file
            self._budget_source, self._budget = source, RegexBudget()
        self._budget.grant(len(text))
        self.truncated = False
        timed_out: list[Rule] = []
        if not phrases:
            out = []
        elif len(text) <= WINDOW + 2 * MARGIN:
            out = self._matched(text, timed_out)
        else:
            out = []
            for a, b in windows(text):
                if limit is not None and len(out) > limit:
                    self.truncated = True
                    break
                lo, hi = max(0, a - MARGIN), min(len(text), b + MARGIN)
                found = self._matched(text[lo:hi], timed_out)
                out.extend(_shifted(f, lo) for f in found if a <= f.start + lo < b)
            out = _inside_dropped(out)
        if self.checks is not None:
            t = Text(text, unit, source, self._budget)
            out.extend(self._checked(t, self.checks.scan(t)))
            timed_out += t.timed_out
        self.timed_out = list({rule.code: rule for rule in timed_out}.values())
        return out

    def _matched(self, text: str, timed_out: list) -> list[Finding]:
        """The findings of the phrase and pattern matchers in one text (or window of one)."""
        t = Text(text, None, None, self._budget)
        cands: list = self.literal.scan(t) if self.literal is not None else []
        gaps = self.gaps.scan(t) if self.gaps is not None else []
        patterns = self.patterns.scan(t) if self.patterns is not None else []
        if gaps and patterns:
            gaps += patterns
            order = self._entry_order
            gaps.sort(key=lambda c: (c[2], order[id(c[3])]))
            cands += gaps
        else:
            cands += gaps or patterns
        if self.near is not None:
            cands.extend(self.near.scan(t, cands))
        out = self._resolve(t, cands) if cands else []
        timed_out += t.timed_out
        return out

    def _context(self, ri: int) -> Optional[Contexts]:
        if ri not in self._contexts:
            r = self.rules[ri]
            has = r.exceptions or r.unless_before or r.unless_after or r.unless_sentence
            self._contexts[ri] = Contexts(r) if has else None
        return self._contexts[ri]

    def _checked(self, t: Text, found: list[Finding]) -> Iterator[Finding]:
        """The code-backed findings the rule's own benign contexts leave standing."""
        big = len(t.text) > WINDOW + 2 * MARGIN
        for f in found:
            ctx = self._context(self._index[id(f.rule)])
            try:
                if ctx is not None and big:  # what the guards read around it, not a copy of the whole text
                    lo = max(0, f.start - MARGIN)
                    if ctx.suppresses(normalize_text(t.text[lo:f.end + MARGIN]), f.start - lo, f.end - lo):
                        continue
                elif ctx is not None and ctx.suppresses(t.low, f.start, f.end):
                    continue
            except TimeoutError:
                t.timed_out.append(f.rule)
                continue
            yield f

    def _resolve(self, t: Text, cands: list) -> list[Finding]:
        text, low = t.text, t.low
        cands.sort(key=lambda c: (c[0], -c[1], c[2]))
        # Candidates come by start: a later one of a rule lies inside an earlier kept one of the
        # same rule exactly when it ends by the furthest end kept for that rule so far.
        reach: dict[int, int] = {}
        out: list[Finding] = []
        for s, e, ri, entry, caps, conf in cands:
            if MASK in text[s:e]:
                continue
            if e <= reach.get(ri, -1):
                continue
            ctx = self._context(ri)
            if ctx is not None:
                try:
                    if ctx.suppresses(low, s, e):
                        continue
                except TimeoutError:  # a context pattern of the rule ran out of time: no finding
                    t.timed_out.append(self.rules[ri])
                    continue
            if e > reach.get(ri, -1):
                reach[ri] = e
            replacement = tail = None
            applicability = Applicability.SUGGEST
            built = rewrite.build(entry.replace, caps, text, s, e) if entry.replace is not None else None
            if built is not None:
                replacement, applicability = built.head, entry.fix
                if built.tail_at is not None:  # the kept clause was not what the rule matched
                    tail = (built.head_end, built.tail_at, built.tail)
                    applicability = min(applicability, Applicability.UNSAFE)
                if conf < 1.0:
                    applicability = min(applicability, Applicability.UNSAFE)
                if has_slot(built.head) or has_slot(built.tail):
                    applicability = Applicability.SUGGEST  # the writer fills it in: review only
            out.append(Finding(self.rules[ri], s, e, conf, replacement, applicability, tail=tail))
        return out


#: Texts longer than this (plus two margins) are matched window by window (``Engine.scan``).
WINDOW = 128 * 1024
#: Text read on either side of a window: longer than any match and than what a guard looks at
#: (a sentence, ``contexts.sentence_bounds``, reaches 400 characters either way).
MARGIN = 2048


def windows(text: str) -> Iterator[tuple[int, int]]:
    """``[a, b)`` windows that tile ``text``, each cut after a line break where one is near."""
    a, n = 0, len(text)
    while a < n:
        b = min(n, a + WINDOW)
        if b < n:
            cut = text.rfind("\n", a + WINDOW // 2, b)
            if cut != -1:
                b = cut + 1
        yield a, b
        a = b


def _shifted(f: Finding, by: int) -> Finding:
    tail = f.tail if f.tail is None else (f.tail[0] + by, f.tail[1] + by, f.tail[2])
    return f._replace(start=f.start + by, end=f.end + by, tail=tail)


def _inside_dropped(found: list[Finding]) -> list[Finding]:
    """A window's finding that lies inside one of the same rule found in the window before
    (which read past the cut) is the same match seen again: dropped, as within one text."""
    reach: dict[str, int] = {}
    out = []
    for f in found:  # windows come in order, each sorted by start
        code = f.rule.code
        if f.end <= reach.get(code, -1):
            continue
        reach[code] = max(reach.get(code, -1), f.end)
        out.append(f)
    return out
