"""Fixes: turning a finding's rewrite into raw-file edits.

A fix is offered only when the matched text is plain in the raw file (no tag, entity, escape or
placeholder inside it), so applying it can never damage markup or a placeholder. Deleting a
sentence opener also removes the space after it and capitalises the next word.
"""
from __future__ import annotations

from typing import Optional

from .document import MASK, Unit
from .model import Applicability, Edit, Finding, Fix

_SENTENCE_END = ".!?\n"


def _at_sentence_start(text: str, s: int) -> bool:
    i = s - 1
    while i >= 0 and text[i] in " \t\"'“‘(":
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END or text[i] == MASK and (i == 0 or text[i - 1] in _SENTENCE_END)


def plan(text: str, s: int, e: int, replacement: str) -> list[tuple[int, int, str]]:
    """View edits that put ``replacement`` in place of ``text[s:e]`` tidily."""
    if replacement:
        return [(s, e, replacement)]
    end = e
    while end < len(text) and text[end] in " \t":
        end += 1
    if _at_sentence_start(text, s):
        if end < len(text) and text[end].isalpha() and text[end].islower():
            return [(s, end + 1, text[end].upper())]
        return [(s, end, "")]
    start = s
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    if end < len(text) and text[end] in ",;:" and start < s:
        return [(start, end + 1, "")]
    return [(start, e, "")] if start < s else [(s, end, "")]


def fix_for(unit: Unit, finding: Finding) -> Optional[Fix]:
    """The raw-file fix for a finding, or None when it is a suggestion or not plain text."""
    if finding.replacement is None or finding.applicability == Applicability.SUGGEST:
        return None
    view_edits = plan(unit.text, finding.start, finding.end, finding.replacement)
    edits = []
    for s, e, content in view_edits:
        if MASK in unit.text[s:e] or not unit.omap.is_linear(s, e):
            return None
        rs, re_ = unit.omap.raw_span(s, e)
        edits.append(Edit(rs, re_, unit.encode(content)))
    match = unit.text[finding.start:finding.end]
    title = f"Replace “{match}” with “{finding.replacement}”" if finding.replacement else f"Remove “{match}”"
    return Fix(tuple(edits), finding.applicability, title)
