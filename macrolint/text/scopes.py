"""What each stretch of a text is: customer-facing prose, or something a tone rule should leave alone.

A rule reads the scopes it declares (``scopes:`` in its file; by default ``body`` and ``link``).
The scope of a place comes from three levels, the most specific first:

* the text itself (``text_scopes``): a quoted e-mail under "On Monday, Ana wrote:" or an
  "-----Original Message-----" line, ``>`` lines of plain text, agent-facing lines ("Use when:",
  "Internal note:"), and licence or legal notices;
* the reader (``Unit.scopes``, raw offsets): Markdown and HTML headings, block quotes, link text;
* the unit (``unit_scope``): an article's title is a ``heading``; a macro's title (a label for
  agents) and the preamble of a saved-reply library are ``note``s.
"""
from __future__ import annotations

import bisect
import re
from typing import Optional

#: Every scope, in the order they are listed to users.
SCOPES = ("body", "heading", "quote", "note", "code", "link", "legal", "string")
#: The scopes a rule reads unless it says otherwise: what customers read as the writer's words.
DEFAULT_SCOPES = ("body", "heading", "link", "string")
#: Scopes a fix never edits, whatever a config widens: someone else's words, and the words of a
#: string literal in template code, whose quoting a rewrite could break.
NEVER_FIXED = frozenset({"quote", "legal", "string"})

#: The kinds of text a rule can be for (``kinds:`` in its file; all of them unless it says
#: otherwise): replies an agent sends (macros, saved replies), automatic notices (transactional
#: e-mails, auto-replies: ``notices = true`` in config) and help-centre articles.
KINDS = ("replies", "notices", "articles")

#: The item fields that are titles: headings of articles, labels of macros.
_TITLE_FIELDS = frozenset({"title", "name"})
#: Item fields that hold what agents read, not customers.
_NOTE_FIELDS = frozenset({"preamble", "notes", "note", "internal_note"})


def unit_scope(field: Optional[str], articles: bool = False) -> str:
    """The scope of a whole unit from its item's field: a title is an article's heading, or a
    macro's label that only agents see."""
    if field in _TITLE_FIELDS:
        return "heading" if articles else "note"
    if field in _NOTE_FIELDS:
        return "note"
    return "body"


# A reply quoting the message it answers: everything from the attribution line on is quoted.
_WROTE = re.compile(
    r"""(?imx)
    ^[ \t>]*(?:on\b[^\n]{3,200}?\bwrote:|[^\n]{0,120}<[^<>\s@]+@[^<>\s]+>\s+wrote:)[ \t]*$
    | ^[ \t>]*-{2,}[ \t]*(?:original\ message|forwarded\ message)[ \t]*-{2,}
    | ^[ \t>]*from:[^\n]+\n[ \t>]*(?:sent|date):[^\n]+\n
    """)
_QUOTE_LINES = re.compile(r"(?m)^[ \t]{0,3}>[^\n]*(?:\n[ \t]{0,3}>[^\n]*)*")
# A line addressed to agents; its note runs to the end of the paragraph.
_NOTE = re.compile(
    r"""(?imx)
    ^[ \t*_\[(]*(?:use\ (?:this\ )?when|when\ to\ use|internal(?:\ only|\ note)?|note\ to\ (?:agents?|self|team)
    |agent\ notes?|for\ agents?(?:\ only)?|agent\ instructions?|instructions\ for\ agents?|do\ not\ send)
    [ \t*_\])]*[:\-–—]""")
_PARAGRAPH_END = re.compile(r"\n[ \t]*\n")
# Licence and legal notices quoted in an article: the paragraph that holds one of these.
_LEGAL = re.compile(
    r"""(?ix)
    permission\ is\ hereby\ granted | the\ software\ is\ provided\ "?as\ is | without\ warranty\ of\ any\ kind
    | licensed\ under\ the | all\ rights\ reserved | copyright\ (?:\(c\)|©)\s*\d{4}
    | redistribution\ and\ use\ in\ source | gnu\ (?:general|lesser)\ public\ license
    | in\ no\ event\ shall\ the | liable\ for\ any\ (?:claim|damages)
    | \bi\ [^.!?\n]{0,120}?\bhereby\ (?:grant|give|consent|authori[sz]e|certify|declare|acknowledge|waive|release)\b""")


# A licence document: its title on a line of its own near the top makes the whole text a legal notice.
_LICENCE_TITLE = re.compile(
    r"""(?imx)^[ \t#*_]*(?:the\ )?(?:gnu\ (?:general|lesser|library|affero)\ public\ licen[cs]e | mit\ licen[cs]e
    | apache\ licen[cs]e | bsd\ (?:[0-9]-clause\ )?licen[cs]e | mozilla\ public\ licen[cs]e
    | creative\ commons\ [^\n]{0,60}licen[cs]e | eclipse\ public\ licen[cs]e | unlicense)
    (?:[ \t,]+(?:version\ )?[0-9.]+)?[ \t*_]*(?:\([^)\n]*\))?[ \t]*$""")


def _paragraph(text: str, at: int) -> tuple[int, int]:
    s = text.rfind("\n\n", 0, at)
    s = 0 if s == -1 else s + 2
    m = _PARAGRAPH_END.search(text, at)
    return s, (m.start() if m else len(text))


#: Cheap tests for whether the regexes below can match at all (a lower-cased copy of a long
#: text would cost its size in memory for a yes or no).
_WROTE_HINT = re.compile(r"wrote:|message--|from:", re.IGNORECASE)
_LEGAL_HINT = re.compile(r"licen|rights reserved|copyright|warrant|liable|redistribution|hereby", re.IGNORECASE)


def text_scopes(text: str) -> list[tuple[int, int, str]]:
    """Spans of ``text`` (a unit's view) that are not the writer's customer-facing prose, as
    ``(start, end, scope)`` in text order; the first claim on a place wins."""
    spans: list[tuple[int, int, str]] = []
    if _WROTE_HINT.search(text):
        m = _WROTE.search(text)
        # what follows is a quoted message only when the writer's own text comes first: a
        # template that opens with "From: … Date: …" headers is all the writer's
        if m and text[:m.start()].strip():
            spans.append((m.start(), len(text), "quote"))
    if ">" in text:
        spans += [(m.start(), m.end(), "quote") for m in _QUOTE_LINES.finditer(text)]
    if ":" in text or "-" in text:
        for m in _NOTE.finditer(text):
            spans.append((m.start(), _paragraph(text, m.start())[1], "note"))
    if _LEGAL_HINT.search(text):
        if _LICENCE_TITLE.search(text, 0, 400):
            return [(0, len(text), "legal")]
        for m in _LEGAL.finditer(text):
            s, e = _paragraph(text, m.start())
            spans.append((s, e, "legal"))
    spans.sort()
    return spans


class ScopeMap:
    """The scope at any offset of one text, from sorted ``(start, end, scope)`` spans; places no
    span covers are ``default``."""

    __slots__ = ("_starts", "_spans", "default")

    def __init__(self, spans: list[tuple[int, int, str]], default: Optional[str] = "body") -> None:
        self._spans = spans
        self._starts = [s for s, _, _ in spans]
        self.default = default

    def at(self, start: int, end: int) -> Optional[str]:
        """The scope of ``[start, end)``: that of the first span holding its start."""
        for j in range(bisect.bisect_right(self._starts, start) - 1, -1, -1):
            s, e, scope = self._spans[j]
            if s <= start < max(e, s + 1):
                return scope
        return self.default
