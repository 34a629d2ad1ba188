"""A rule's rewrite, built from the sentence it edits.

A ``replace:`` template may use

* ``{1}``, ``{name}``: what the match captured;
* ``{rest}``: the rest of the clause after the match (after a comma or colon and a leading
  "that"), kept as it is: "the system says your plan renews on the 3rd" with
  ``I can see {rest} — let me check that's right`` reads "I can see your plan renews on the 3rd —
  let me check that's right". The clause itself is never edited, so its numbers, dates, names,
  placeholders and links stay byte for byte; the fix is an edit before it and one after it;
* ``[a slot]``: a fact the rewrite needs and the text does not hold (a time, the specific
  problem). A rewrite with a slot is shown and offered in ``review`` (which asks for the slot),
  never applied by ``--fix``.

The case of the rewrite follows the sentence: capitalised where the match was, lower case in
the middle of a sentence (except "I" and words in capitals).
"""
from __future__ import annotations

import re
from typing import NamedTuple, Optional

from macrolint.text.casing import I_WORDS, match_case
from macrolint.text.document import MASK
from macrolint.text.templates import REST, fill

#: Where a clause ends: its punctuation, a blank line, or a line break before a list item or a
#: heading (a line break inside a wrapped sentence is not one).
_CLAUSE_END = re.compile(r"[.!?;:](?=[\s\"'”’)]|$)|\n(?=[ \t]*(?:\n|[-*•>#]|\d+[.)][ \t]|$))")
_THAT = re.compile(r"that\s+", re.I)
_MAX_REST = 240


class Rewrite(NamedTuple):
    """What stands in for the match: ``head`` replaces ``text[start:head_end]``; with a
    ``{rest}`` template the clause ``text[head_end:tail_at]`` stays and ``tail`` goes after it."""

    head: str
    head_end: int
    tail_at: Optional[int] = None
    tail: str = ""


def rest_of_clause(text: str, end: int) -> Optional[tuple[int, int]]:
    """Where the clause after ``end`` starts and ends, or None when there is none to keep."""
    i, n = end, len(text)
    while i < n and text[i] in " \t,:":
        i += 1
    m = _THAT.match(text, i)
    if m:
        i = m.end()
    stop = _CLAUSE_END.search(text, i, min(n, i + _MAX_REST + 1))
    j = stop.start() if stop else n
    if j - i > _MAX_REST or not stop and n - i > _MAX_REST:
        return None
    while j > i and text[j - 1] in " \t,":
        j -= 1
    clause = text[i:j]
    if sum(c.isalpha() for c in clause) < 3 or len(clause.split()) < 2 or clause.count(MASK) * 2 > len(clause):
        return None
    return i, j


def _sentence_case(rewrite: str, match: str) -> str:
    """Lower-case a capitalised rewrite that goes in the middle of a sentence."""
    if not rewrite or not match or not match[0].islower():
        return rewrite
    first = rewrite.split(maxsplit=1)[0].rstrip(",.;:")
    if first in I_WORDS or not first[:1].isupper() or sum(c.isupper() for c in first) > 1:
        return rewrite
    return rewrite[0].lower() + rewrite[1:]


def build(template: str, caps: dict, text: str, start: int, end: int) -> Optional[Rewrite]:
    """The rewrite of ``text[start:end]`` by ``template``, or None when the template needs a
    clause the text does not have."""
    filled = fill(template, caps)
    match = text[start:end]
    if REST not in filled:
        return Rewrite(_sentence_case(match_case(filled, match), match), end)
    span = rest_of_clause(text, end)
    if span is None:
        return None
    head, tail = filled.split(REST, 1)
    head = _sentence_case(match_case(head, match), match)
    return Rewrite(head, span[0], span[1], tail.replace(REST, ""))
