"""Running a rule's regular expressions: only where a match may start (``led_by``), with what the
groups captured as written in the text."""
from __future__ import annotations

import time
from typing import Iterator, Optional, Sequence

from macrolint.matching import automata

#: How far past its start a match is first looked for. The ``regex`` module sets up each
#: ``match`` for the text from ``pos`` to ``endpos``: on a text of megabytes, a pattern with a
#: repeated group (a phrase gap) cost hundreds of microseconds per start; within a window it
#: costs one.
MATCH_WINDOW = 4096


#: A long text is searched in windows of this many characters (each overlapping the next by
#: ``WINDOW_OVERLAP``), each with its own timeout: a pattern that stalls somewhere costs that
#: window, and the findings of the others are kept.
WINDOW = 1 << 18
WINDOW_OVERLAP = 4096
#: Windows a rule may lose to its timeout in one text before it is stopped there.
LOST_WINDOWS = 2


class RegexBudget:
    """The seconds each rule's regexes may still run on one file: ``automata.REGEX_TIMEOUT``,
    and as much again for every ``WINDOW`` characters of text the file holds beyond the first
    (``grant``), in all, not per call: a pattern tried at thousands of starts cannot take a
    second at each, nor a rule a second in each of a thousand macros, while a text of 200 MB
    is still searched to its end."""

    __slots__ = ("left", "granted")

    def __init__(self) -> None:
        self.left: dict[int, float] = {}
        self.granted = 0.0

    def grant(self, chars: int) -> None:
        """Another text of ``chars`` characters is to be searched in this file."""
        self.granted += automata.REGEX_TIMEOUT * chars / WINDOW

    def remaining(self, rule: int) -> float:
        """Seconds left for ``rule``; ``TimeoutError`` when none are."""
        left = self.left.get(rule, automata.REGEX_TIMEOUT) + self.granted
        if left <= 0:
            raise TimeoutError
        return left

    def spent(self, rule: int) -> bool:
        return self.left.get(rule, automata.REGEX_TIMEOUT) + self.granted <= 0

    def spend(self, rule: int, seconds: float) -> None:
        self.left[rule] = self.left.get(rule, automata.REGEX_TIMEOUT) - seconds


def timed_finditer(rx, low: str, budget: Optional[RegexBudget], rule: int, lost: Optional[list] = None) -> list:
    """``rx.finditer(low)`` as a list, within what ``budget`` leaves ``rule`` (else one timeout).
    A text longer than ``WINDOW`` is searched window by window, each window within the timeout;
    a window that runs out is skipped and ``rule`` appended to ``lost``, and the rule stops there,
    keeping what it found, when ``LOST_WINDOWS`` are lost or its budget is spent."""
    if len(low) > WINDOW:
        return _windowed(rx, low, budget, rule, lost)
    if budget is None:
        return list(rx.finditer(low, timeout=automata.REGEX_TIMEOUT))
    started = time.perf_counter()
    try:
        return list(rx.finditer(low, timeout=budget.remaining(rule)))
    finally:
        budget.spend(rule, time.perf_counter() - started)


def _windowed(rx, low: str, budget: Optional[RegexBudget], rule: int, lost: Optional[list]) -> list:
    n, out, end, failed = len(low), [], 0, 0
    clock = time.perf_counter
    for a in range(0, n, WINDOW):
        own, b = a + WINDOW, min(n, a + WINDOW + WINDOW_OVERLAP)
        started = clock()
        try:
            timeout = min(automata.REGEX_TIMEOUT, budget.remaining(rule)) if budget is not None else automata.REGEX_TIMEOUT
            for m in rx.finditer(low, max(a, end), b, timeout=timeout):
                if m.start() >= own:
                    break  # the next window's
                if b < n and m.end() >= b - 64:  # the window's end may have cut it short
                    m = rx.match(low, m.start(), timeout=timeout)
                    if m is None:
                        continue
                out.append(m)
                end = m.end()
        except TimeoutError:
            failed += 1
            if lost is not None:
                lost.append(rule)
            if failed >= LOST_WINDOWS or (budget is not None and budget.spent(rule)):
                break  # the rule stops here; what the earlier windows found is kept
        finally:
            if budget is not None:
                budget.spend(rule, clock() - started)
    return out


def matches_at(rx, low: str, starts: Sequence[int], window: bool = False,
               budget: Optional[RegexBudget] = None, rule: int = -1) -> Iterator:
    """What ``rx.finditer(low)`` finds when every match must start at one of ``starts`` (sorted):
    leftmost first, each tried from the end of the last, empty matches left out.

    ``window``: the pattern's matches are short (a phrase: words and gaps of a few words), so
    each start is tried within ``MATCH_WINDOW`` characters; a match that comes near the
    window's end (whose lookahead the end would decide) is tried again on the whole text."""
    end, n = 0, len(low)
    clock = time.perf_counter
    for p in starts:
        if p < end:
            continue
        stop = p + MATCH_WINDOW
        started = clock()
        timeout = budget.remaining(rule) if budget is not None else automata.REGEX_TIMEOUT
        if window and stop < n:
            m = rx.match(low, p, stop, timeout=timeout)
            if m is not None and m.end() >= stop - 64:
                m = rx.match(low, p, timeout=timeout)
        else:
            m = rx.match(low, p, timeout=timeout)
        if budget is not None:
            budget.spend(rule, clock() - started)
        if m is None or m.end() == m.start():
            continue
        end = m.end()
        yield m


def captures(m, text: str) -> dict:
    """What a pattern's groups captured, by number and by name, as written in ``text``."""
    caps = {str(k): text[m.start(k):m.end(k)] for k in range(1, (m.re.groups or 0) + 1) if m.start(k) >= 0}
    caps.update({name: text[m.start(name):m.end(name)] for name in m.re.groupindex if m.start(name) >= 0})
    return caps


_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyz0123456789' ")
_QUANTIFIERS = ("?", "*", "+", "{")


def pattern_leads(pattern: str) -> list[str]:
    """Strings one of which every match of ``pattern`` starts with, read off its opening: plain
    lower-case characters and non-capturing groups of plain alternatives, up to the first other
    construct, quantifier or optional last character ("records?" leads with "record"). Empty
    when the opening has nothing plain."""
    i = 2 if pattern.startswith("\\b") else 0
    leads = [""]
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c in _PLAIN:
            if pattern[i + 1:i + 2] in _QUANTIFIERS:
                break
            leads = [p + c for p in leads]
            i += 1
            continue
        if not pattern.startswith("(?:", i):
            break
        j = pattern.find(")", i)
        if j == -1 or pattern[j + 1:j + 2] in _QUANTIFIERS:
            break
        alts = []
        cut = False
        for alt in pattern[i + 3:j].split("|"):
            if alt[-1:] == "?" and alt[-2:-1] in _PLAIN:  # "records?": the "s" is optional
                alt, cut = alt[:-2], True
            if not alt or not all(ch in _PLAIN for ch in alt):
                return leads if all(leads) else []
            alts.append(alt)
        leads = [p + a for p in leads for a in alts]
        i = j + 1
        if cut:
            break
    return leads if all(leads) else []


def led_by(pattern: str, anchors: Sequence[str]) -> bool:
    """Whether every match of ``pattern`` starts where one of ``anchors`` starts: each string it
    can open with (``pattern_leads``) begins with an anchor, no ``|`` outside a group offers another
    start, and no inline flag changes what the opening means (verbose mode). Run on lower-cased
    text where case folding adds nothing (see ``_plain``), an anchor then occurs where a match starts."""
    leads = pattern_leads(pattern)
    if not leads or not all(any(p.startswith(a) for a in anchors) for p in leads):
        return False
    depth = 0
    i = 0
    in_class = False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "]" or pattern[i + 1:i + 3] == "^]":
                i += 2 if pattern[i + 1] == "]" else 3
                continue
        elif c == "(":
            if pattern[i + 1:i + 2] == "?" and pattern[i + 2:i + 3] not in (":", "=", "!", "<", ">", "P"):
                return False
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return False
        i += 1
    return depth == 0
