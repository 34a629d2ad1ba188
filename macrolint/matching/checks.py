"""Code-backed checks: rules that look at placeholders and template syntax, not at phrases (and,
registered from ``wordchecks``, at the words of a text: capitals, acronyms).

A rule file names one with ``check: <name>`` instead of ``match:``. A check receives a
``CheckInput`` (the unit, the placeholders in it with their view position, raw span, family and
decoded text, and the help desk the file comes from) and yields ``Hit``s in view offsets. A hit on
a placeholder covers its masked character and carries the placeholder's text as ``match``.

Register a new check with ``@check("name")``; ``macrolint rules test`` runs the rule's examples.
"""
from __future__ import annotations

import re
from typing import Iterator, Optional, Sequence

from macrolint.matching import wordchecks
from macrolint.matching.checkbase import CHECKS, CheckInput, Hit, Placeholder, check
from macrolint.matching.finding import Finding
from macrolint.matching.matcher import Matcher, Text
from macrolint.model import Applicability
from macrolint.packs.model import Rule
from macrolint.text.document import Source, Unit

#: The checks that read words, registered by their module (``CHECKS`` holds every check).
WORD_CHECKS = (wordchecks.shouting, wordchecks.unexplained_acronym)


def placeholders(unit: Unit, source: Source) -> tuple[Placeholder, ...]:
    """The placeholders of a unit, at the ``MASK`` masking left for each, with the text the
    reader decoded for each."""
    if not unit.placeholders:
        return ()
    return tuple(Placeholder(pos, s, e, kind, text)
                 for pos, (s, e, kind), text in zip(unit.masked_at, unit.placeholders, unit.placeholder_texts))


#: Item names label a macro for agents (Help Scout "Billing Refund FILLIN"); they are not sent.
TITLE_FIELDS = frozenset(("title", "name"))


class CheckMatcher(Matcher):
    """The code-backed rules of a run, on the units of read files (a bare text has no
    placeholders to look at). The engine clears their hits in the rule's benign contexts, if it
    declares any."""

    def __init__(self, rules: Sequence[Rule]):
        self.rules = rules

    @classmethod
    def compile(cls, rules: Sequence[Rule]) -> Optional["CheckMatcher"]:
        mine = [r for r in rules if r.check is not None]
        return cls(mine) if mine else None

    def scan(self, text: Text) -> list[Finding]:
        if text.unit is None or text.source is None:
            return []
        return [Finding(rule, hit.start, hit.end, 1.0, None, Applicability.SUGGEST, hit.match, hit.suggestion)
                for rule, hit in run_all(self.rules, text.unit, text.source)]


def run_all(rules: Sequence[Rule], unit: Unit, source: Source) -> Iterator[tuple[Rule, Hit]]:
    """Every code-backed rule's hits on one unit, with the unit's placeholders located once
    (item titles are not checked)."""
    if not rules or (unit.item is not None and unit.item.field in TITLE_FIELDS):
        return
    inp = CheckInput(unit, source.platform, placeholders(unit, source), source.articles)
    for rule in rules:
        for hit in CHECKS[rule.check](inp._replace(words=dict(rule.words)) if rule.words else inp):
            yield rule, hit



# -- manual slots ---------------------------------------------------------------------------------


#: Words fill-in slots are made of: ACCOUNTADDRESS, NEWEMAIL, EXPIRATIONDATE, INSERTNAMEHERE.
_SLOT_WORDS = re.compile(r"NAME|EMAIL|ADDRESS|DATE|NUMBER|AMOUNT|ACCOUNT|INSERT|HERE|MONTH|YEAR|PHONE|LINK|URL|"
                         r"PRICE|ORDER|CODE|TICKET|AGENT|CUSTOMER|COMPANY")


#: Everyday compounds that happen to contain a slot word.
_WORDS = frozenset(("USERNAME", "FILENAME", "HOSTNAME", "NICKNAME", "SURNAME", "PASSCODE", "BARCODE", "ZIPCODE",
                    "POSTCODE", "DATETIME", "UPDATE", "UPDATED", "HEREBY", "THEREFORE", "WHERE", "THERE"))


def _is_fill_in(token: str) -> bool:
    """A bracketed slot, an XXX run, or a bare capitalised compound of slot words. A bare
    ALL-CAPS word on its own (a product name like MATLAB, a button like CREATE) is not one."""
    if not token.isalpha() or not token.isupper():
        return True
    if token in _WORDS:
        return False
    for m in _SLOT_WORDS.finditer(token):
        rest = token[:m.start()] + token[m.end():]
        if len(rest) >= 3:
            return True
    return token.strip("X") == ""


@check("manual-slot")
def manual_slot(inp: CheckInput) -> Iterator[Hit]:
    """``[AMOUNT]``, ``XXXXXXX``, ``<ISSUE_NUMBER>``, ``ACCOUNTADDRESS``: text an agent must fill.
    Articles are left alone: there such a slot stands for the reader's own value."""
    if inp.article:
        return
    for p in inp.placeholders:
        if p.kind == "slot" and _is_fill_in(p.text):
            yield Hit(p.pos, p.pos + 1, p.text)


# -- variables ------------------------------------------------------------------------------------

_VARIABLE = re.compile(r"^\{\{\{?\s*(?P<liquid>[A-Za-z_][\w.\[\]-]*)|^\{%\s*(?P<hs>[A-Za-z_]\w*\.[\w.]+)\s*(?:,|%\})"
                       r"|^<attribute\b[^>]*?\bkey\s*=\s*[\"'](?P<attr>[^\"']+)")
_LIQUID_TAG = re.compile(r"^\{%-?\s*(?P<word>[a-z]+)")
_FALLBACK = {
    "liquid": re.compile(r"\|\s*(?:default|fallback)\s*:\s*(?:\"[^\"]+\"|'[^']+'|[“‘][^”’]+[”’]|[^\s|}\"']+)|\|\|\s*\S"),
    "liquid-tag": re.compile(r",\s*fallback\s*=\s*[^\s%]"),
    "intercom": re.compile(r"\bdefault\s*=\s*(?:\"[^\"\s][^\"]*\"|'[^'\s][^']*')"),
}
_GREETING = re.compile(
    r"(?:^|[^\w])(?:hi|hello|hey|hiya|howdy|dear|greetings|good\s+(?:morning|afternoon|evening)|welcome)[ \t\u00a0]*\Z",
    re.I)
_GREETING_REACH = 60
_NAMEISH = re.compile(r"name", re.I)
#: Help desks with no fallback syntax: a missing name there is not fixed in the macro.
_NO_FALLBACK = frozenset(("freshdesk", "gorgias", "front", "osticket"))


def variable(p: Placeholder) -> Optional[str]:
    """The variable path a placeholder reads (``ticket.requester.first_name``), if any."""
    m = _VARIABLE.match(p.text)
    if not m:
        return None
    return m.group("liquid") or m.group("hs") or m.group("attr")


def _with_fallback(p: Placeholder) -> str:
    if p.kind == "liquid":
        return re.sub(r"\s*\}\}\Z", ' | default: "there"}}', p.text, count=1)
    if p.kind == "liquid-tag":
        return re.sub(r"(?:,\s*fallback\s*=\s*)?\s*%\}\Z", ",fallback=there%}", p.text, count=1)
    return re.sub(r"\s*(?:\bdefault\s*=\s*(?:\"\"|''))?\s*/?>\Z", ' default="there"/>', p.text, count=1)


#: ``(kind, text)`` of placeholders met -> whether each reads a name with no fallback: a library
#: repeats the same few placeholders in reply after reply.
_NAME_WITHOUT_FALLBACK: dict[tuple[str, str], bool] = {}


def _name_without_fallback(p: Placeholder) -> bool:
    key = (p.kind, p.text)
    found = _NAME_WITHOUT_FALLBACK.get(key)
    if found is None:
        var = variable(p)
        found = var is not None and bool(_NAMEISH.search(var)) and not _FALLBACK[p.kind].search(p.text)
        if len(_NAME_WITHOUT_FALLBACK) >= 4096:
            _NAME_WITHOUT_FALLBACK.clear()
        _NAME_WITHOUT_FALLBACK[key] = found
    return found


@check("greeting-without-fallback")
def greeting_without_fallback(inp: CheckInput) -> Iterator[Hit]:
    """``Hi {{ticket.requester.first_name}},`` reads ``Hi ,`` when the name is empty."""
    if inp.platform in _NO_FALLBACK:
        return
    text = inp.unit.text
    for p in inp.placeholders:
        if p.kind not in _FALLBACK or not _name_without_fallback(p):
            continue
        # The greeting is just before the name, on its line: only that much is searched (a
        # whole line of a minified export, once a placeholder, grew with the square of its length).
        lo = max(text.rfind("\n", max(0, p.pos - _GREETING_REACH), p.pos), p.pos - _GREETING_REACH, 0)
        if _GREETING.search(text, lo, p.pos):
            yield Hit(p.pos, p.pos + 1, p.text, _with_fallback(p))


#: How each help desk spells the name attributes: first_name, firstname or firstName.
_NAME_STYLE = {"zendesk": "snake", "front": "snake", "intercom": "snake",
               "freshdesk": "flat", "gorgias": "flat", "helpscout": "camel"}
_NAME_PART = re.compile(r"\b(first|last)(_?)(name)\b", re.I)


def _respell(part: re.Match, style: str) -> str:
    word = part.group(1).lower()
    return {"snake": f"{word}_name", "flat": f"{word}name", "camel": f"{word}Name"}[style]


@check("platform-placeholder")
def platform_placeholder(inp: CheckInput) -> Iterator[Hit]:
    """``{{ticket.requester.firstname}}`` in a Zendesk macro: Zendesk spells it ``first_name``."""
    style = _NAME_STYLE.get(inp.platform or "")
    if style is None:
        return
    for p in inp.placeholders:
        var = variable(p)
        if var is None:
            continue
        for part in _NAME_PART.finditer(var):
            wanted = _respell(part, style)
            if part.group() != wanted:
                fixed = p.text.replace(part.group(), wanted, 1)
                yield Hit(p.pos, p.pos + 1, p.text, fixed)
                break


# -- template syntax ------------------------------------------------------------------------------

_OPENERS = frozenset(("if", "unless", "for", "case", "capture", "comment", "raw", "tablerow"))
_STRAY = re.compile(r"\{\{|\}\}|\{%|%\}")


@check("unbalanced-template")
def unbalanced_template(inp: CheckInput) -> Iterator[Hit]:
    """``{% if %}`` without ``{% endif %}``, an ``{% endif %}`` with no opener, a lone ``{{``."""
    stack: list[tuple[str, Placeholder]] = []
    for p in inp.placeholders:
        if p.kind != "liquid-tag":
            continue
        m = _LIQUID_TAG.match(p.text)
        if not m:
            continue  # a Help Scout variable, {%customer.firstName%}
        word = m.group("word")
        if word in _OPENERS:
            stack.append((word, p))
        elif word.startswith("end") and word[3:] in _OPENERS:
            if stack and stack[-1][0] == word[3:]:
                stack.pop()
            else:
                yield Hit(p.pos, p.pos + 1, p.text)
    for _, p in stack:
        yield Hit(p.pos, p.pos + 1, p.text)
    text = inp.unit.text
    # Placeholders are masked: most texts have no brace or percent sign left to look at.
    if "{" in text or "}" in text:
        for m in _STRAY.finditer(text):
            yield Hit(m.start(), m.end())
