"""Fixes: turning a finding's rewrite into raw-file edits.

A fix is offered only when the matched text is plain in the raw file (no tag, entity, escape or
placeholder inside it), so applying it can never damage markup or a placeholder. Deleting a
capitalised sentence opener also removes the space after it and capitalises the next word; a
rewrite that keeps the rest of the clause is two edits, one before the clause and one after it,
so the clause itself (its placeholders and markup included) is never touched.
"""
from __future__ import annotations

from typing import Optional

from macrolint.linting.prose import edit_problem, sentence_start
from macrolint.matching.finding import Finding
from macrolint.model import Applicability, Edit, Fix
from macrolint.text.document import MASK, Unit

_SENTENCE_END = ".!?\n"


def _at_sentence_start(text: str, s: int) -> bool:
    """Whether ``s`` begins a sentence: after its end, or at the start of a quoted string (a
    template's ``__( 'This email is to inform you that ...`` or ``= "..."``)."""
    i = s - 1
    quoted = False
    while i >= 0 and text[i] in " \t\"'“‘(":
        quoted = quoted or text[i] in "\"'“‘"
        i -= 1
    return (i < 0 or text[i] in _SENTENCE_END or text[i] == MASK and (i == 0 or text[i - 1] in _SENTENCE_END)
            or quoted and not text[i].isalnum() and text[i] not in ",;")


def plan(text: str, s: int, e: int, replacement: str) -> list[tuple[int, int, str]]:
    """View edits that put ``replacement`` in place of ``text[s:e]`` tidily.

    A deletion takes its surrounding space and punctuation with it: a sentence opener takes the
    space after it and capitalises the next word ("Obviously, you need" -> "You need"); a word
    between commas takes one comma ("will, obviously, refund" -> "will refund"); a word inside a
    sentence takes the space before it ("can simply click" -> "can click"), unless the match took
    the space after it ("Hi Wen, just clear" -> "Hi Wen, clear")."""
    if replacement:
        return [(s, e, replacement)]
    n = len(text)
    comma_after = e < n and text[e] in ",;:"
    k = e + 1 if comma_after else e
    while k < n and text[k] in " \t":
        k += 1
    if _at_sentence_start(text, s):
        if e < n and text[e] in ".!?":  # the phrase was the whole sentence
            k = e + 1
            while k < n and text[k] in " \t":
                k += 1
            return [(s, k, "")]
        m = k
        while m < n and text[m] in "\"'“‘(":
            m += 1  # 'click in' each wire: the capital goes on the word, inside the quotes
        if m < n and text[m].isalpha() and text[m].islower() and (text[s].isupper() or sentence_start(text, s)):
            return [(s, m + 1, text[k:m] + text[m].upper())]  # the sentence keeps its capital
        return [(s, k, "")]
    if text[e - 1] in " \t":  # the match took the space after it: the space before stays
        return [(s, k, "")]
    j = s
    while j > 0 and text[j - 1] in " \t":
        j -= 1
    comma_before = j > 0 and text[j - 1] in ",;:"
    if comma_before and (comma_after or (e < n and text[e] in ".!?")):
        return [(j - 1, e + 1 if comma_after else e, "")]
    if j < s:
        return [(j, e + 1 if comma_after else e, "")]
    return [(s, k, "")]


def view_edits_of(text: str, finding: Finding) -> list[tuple[int, int, str]]:
    """The edits, in view offsets, that put a finding's rewrite in place."""
    if finding.tail is not None:
        head_end, tail_at, tail = finding.tail
        return [(finding.start, head_end, finding.replacement or ""), (tail_at, tail_at, tail)]
    return plan(text, finding.start, finding.end, finding.replacement or "")


def fix_for(unit: Unit, finding: Finding) -> Optional[Fix]:
    """The raw-file fix for a finding, or None when it is a suggestion, not plain text, or would
    damage the sentence (``prose.edit_problem``)."""
    if finding.replacement is None or finding.applicability == Applicability.SUGGEST:
        return None
    return plan_fix(unit, finding)[0]


def plan_fix(unit: Unit, finding: Finding) -> tuple[Optional[Fix], Optional[str]]:
    """The raw-file fix that puts ``finding.replacement`` in place, or None and why not."""
    if finding.replacement is None:
        return None, "there is no rewrite"
    view_edits = view_edits_of(unit.text, finding)
    edits = []
    for s, e, content in view_edits:
        if MASK in unit.text[s:e] or not unit.omap.is_linear(s, e):
            return None, "the text spans markup or a placeholder"
        problem = edit_problem(unit.text, s, e, content)
        if problem:
            return None, problem
        if s == e and s < len(unit.text) and unit.omap.is_linear(s, s + 1):  # before the next character
            rs = re_ = unit.omap.raw_start(s)
        elif s == e and s > 0:  # at the end: just after the character before it
            rs = re_ = unit.omap.raw_end(s - 1)
        else:
            rs, re_ = unit.omap.raw_span(s, e)
        try:
            edits.append(Edit(rs, re_, unit.encode(content)))
        except ValueError:  # the container cannot hold this text where it is
            return None, "the file cannot hold this text here"
    match = unit.text[finding.start:finding.end]
    if finding.tail is not None:
        title = f"Rewrite as “{finding.rewrite_text(unit)}”"
    elif finding.replacement:
        title = f"Replace “{match}” with “{finding.replacement}”"
    else:
        title = f"Remove “{match}”"
    return Fix(tuple(edits), finding.applicability, title), None
