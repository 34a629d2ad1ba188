"""Placeholder masking: every template variable, fill-in slot, URL and e-mail address in a view is
replaced by ``MASK`` before any rule runs, so no rule can match, report or rewrite inside one.

The families come from the help desks' own syntaxes (see the README's placeholder table).
"""
from __future__ import annotations

import re

from macrolint.text.document import (
    MASK,
    MASK_PATTERN,
    OffsetMap,
    rewrite,
    rewrite_linear,
)
from macrolint.text.normalize import is_word_char

#: HTML element names: ``<BR>`` or ``<B>`` written in capitals is markup, not a ``<SLOT>`` to fill in.
HTML_ELEMENTS = frozenset("""
    a abbr address article aside b bdi bdo big blockquote body br button caption center cite code col
    colgroup dd del details dfn div dl dt em fieldset figcaption figure font footer form h1 h2 h3 h4 h5
    h6 head header hr html i img input ins kbd label legend li link main mark meta nav ol p pre q s samp
    section small span strike strong style sub summary sup table tbody td textarea tfoot th thead title tr
    tt u ul var wbr""".split())
#: The rest of a tag after its "<", as old HTML writes it too (``<P>``, ``<BR/>``, ``<A HREF=...>``):
#: an element's name, bare or with an attribute; ``<LINK TO TICKET>`` starts with an element's
#: name but is a fill-in slot.
HTML_ELEMENT = r"(?i:" + "|".join(sorted(HTML_ELEMENTS, key=len, reverse=True)) + r")(?:\s[^<>]*=[^<>]*)?\s*/?>"

# Order matters: longer delimiters first. Every branch is a named group naming its family.
_FAMILIES = [
    # a translated string in a template ({{ _('Thanks for your order.') }}, Laravel's {{ __('…') }}):
    # the call is masked and the words in it are read, in the "string" scope (never fixed: a
    # rewrite could break the quoting of the literal)
    ("i18n-open", r"\{\{-?\s*(?:_{1,2}|gettext|trans|t)\(\s*['\"](?=[^'\"\n{}]{1,300}['\"]\s*\)\s*-?\}\})"),
    ("handlebars-raw", r"\{\{\{.{0,300}?\}\}\}"),
    ("liquid", r"\{\{.{0,300}?\}\}"),
    # Liquid tags ({% if %}) and Help Scout variables ({%customer.firstName,fallback=there%})
    ("liquid-tag", r"\{%.{0,300}?%\}"),
    ("percent-brace", r"%\{[^{}\n]{1,120}\}"),
    ("dollar-brace", r"\$\{[^{}\n]{1,120}\}"),
    ("intercom", r"<attribute\b[^<>]{0,300}>"),
    # PHP templates' output and code tags (<?= $values['email'] ?>, <?php echo $name; ?>)
    ("php", r"<\?(?:=|php\b).{0,300}?\?>"),
    ("brace", r"\{[A-Za-z_][\w.\-]{0,60}\}"),
    ("slot", r"\[[A-Z][A-Z0-9_ .\-/]{0,40}\]"),
    ("slot", r"#?<(?!" + HTML_ELEMENT + r")[A-Z][A-Z0-9_ \-]{0,40}>"),
    ("slot", r"#?<(?:insert|enter|your|add)\b[^<>\n]{0,40}>"),
    ("slot", r"\bX{3,}\b"),
    ("url", r"(?:https?|ftp)://[^\s<>\"'`" + MASK_PATTERN + r"]+|\bwww\.[A-Za-z0-9-]+\.[^\s<>\"'`" + MASK_PATTERN + r"]+"),
    ("email", r"\b[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+\b"),
]
#: The words of a translated string and the end of its call, after ``i18n-open``.
_I18N_BODY = re.compile(r"[^'\"\n{}]{1,300}(['\"]\s*\)\s*-?\}\})")
_MASK_RE = re.compile(
    "|".join(f"(?P<g{i}>{src})" for i, (_, src) in enumerate(_FAMILIES)), re.S
)
_KIND = {f"g{i}": kind for i, (kind, _) in enumerate(_FAMILIES)}
_TRAILING_URL_PUNCT = ".,;:!?)]}'\""

# Bare ALL-CAPS fill-in slots (ACCOUNTADDRESS, NEWEMAIL): long upper-case tokens in a line that
# is otherwise not shouted, so an ALL-CAPS sentence is still linted.
_CAPS_RE = re.compile(r"[A-Z][A-Z][A-Z][A-Z][A-Z][A-Z]+")  # bounded by hand: a leading \b is slow
_WORD_RE = re.compile(r"[A-Za-z]{2,}")


#: An upper-case word right next to another, across spaces: a shouted stretch ("PLEASE BE ADVISED
#: THAT"), not a fill-in slot standing alone.
_CAPS_BEFORE = re.compile(r"(?:^|[^\w])[A-Z]{2,}[ \t]+$")
_CAPS_AFTER = re.compile(r"[ \t]+[A-Z]{2,}(?![a-z])")
_LINE_REACH = 240


def _is_slot(text: str, start: int, end: int) -> bool:
    """Whether the capitals at ``[start, end)`` are a fill-in slot (ACCOUNTADDRESS): a noun
    standing alone in a line that is not shouted; an adverb (SIMPLY, OBVIOUSLY) is emphasis, and
    a word next to other capitals is part of a shouted stretch."""
    if text.endswith("LY", start, end):
        return False
    if _CAPS_AFTER.match(text, end) or _CAPS_BEFORE.search(text, max(0, start - 40), start):
        return False
    # The line around it, at most _LINE_REACH characters each way: a line of a minified export
    # runs for megabytes, and is not one shouted sentence.
    line_start = max(text.rfind("\n", max(0, start - _LINE_REACH), start) + 1, start - _LINE_REACH, 0)
    line_end = text.find("\n", end, end + _LINE_REACH)
    if line_end == -1:
        line_end = min(len(text), end + _LINE_REACH)
    words = _WORD_RE.findall(text, line_start, line_end)
    shouted = sum(1 for w in words if w.isupper())
    return shouted * 2 <= len(words)


#: Characters a family can start with, besides the URL schemes and "www." (each found with
#: ``str.find``, several times faster than searching for a character class).
_START_CHARS = "{%$<[#X"
#: Upper-case ASCII letters as "A", every other byte as a space: six "A"s in a row is where
#: ``_CAPS_RE`` can match.
_CAPS_BYTES = bytes(65 if 65 <= c <= 90 else 32 for c in range(256))
_SCHEMES = ("https", "http", "ftp")


def _starts(text: str) -> list[int]:
    """Every offset where a family other than e-mail can start, in order."""
    starts: list[int] = []
    for ch in _START_CHARS:
        i = text.find(ch)
        while i != -1:
            starts.append(i)
            i = text.find(ch, i + 1)
    for mark in ("://", "www."):
        i = text.find(mark)
        while i != -1:
            if mark == "www.":
                starts.append(i)
            else:
                starts.extend(i - len(s) for s in _SCHEMES if text.startswith(s, i - len(s)))
            i = text.find(mark, i + 1)
    starts.sort()
    return starts


def _matches(text: str):
    """``_MASK_RE.finditer(text)``, trying the pattern only where one of its families can start."""
    if "@" in text:
        yield from _MASK_RE.finditer(text)
        return
    end = 0
    match = _MASK_RE.match
    for p in _starts(text):
        if p < end:
            continue
        m = match(text, p)
        if m is not None:
            end = m.end()
            yield m


def _has_caps_run(text: str, chunk: int = 1 << 20) -> bool:
    """Whether six capitals or more run together anywhere (a ``[SLOT]``-style fill-in may be
    there), tested on the UTF-8 bytes mapped to ``A``/other a megabyte at a time: a copy of the
    whole text would cost twice its size in memory for a yes or no."""
    for i in range(0, len(text), chunk):
        if b"AAAAAA" in text[i:i + chunk + 5].encode("utf-8", "surrogatepass").translate(_CAPS_BYTES):
            return True
    return False


def find_placeholders(text: str) -> list[tuple[int, int, str]]:
    """Return sorted ``(start, end, kind)`` spans of every protected region in ``text``."""
    spans: list[tuple[int, int, str]] = []
    strings = False
    for m in _matches(text):
        start, end = m.span()
        kind = _KIND[m.lastgroup]
        if kind == "i18n-open":  # the call's close, which the opening's lookahead saw
            close = _I18N_BODY.match(text, end)
            spans.append((close.start(1), close.end(1), "i18n-close"))
            strings = True
        if kind == "url":
            while end > start and text[end - 1] in _TRAILING_URL_PUNCT:
                end -= 1
        spans.append((start, end, kind))
    if strings:
        spans.sort()
    if _has_caps_run(text):
        for m in _CAPS_RE.finditer(text):
            start, end = m.span()
            if (start and is_word_char(text[start - 1])) or (end < len(text) and is_word_char(text[end])):
                continue
            if _is_slot(text, start, end) and not any(s <= start < e for s, e, _ in spans):
                spans.append((start, end, "slot"))
        spans.sort()
    return spans


def mask(text: str, omap: OffsetMap) -> tuple[str, OffsetMap, list[tuple[int, int, str]], tuple[int, ...],
                                              tuple[str, ...]]:
    """Mask every placeholder in a view; returns the new view, its map, the raw spans masked,
    where each one's ``MASK`` is in the new view, and each one's text as the view had it."""
    spans = find_placeholders(text)
    if not spans:
        return text, omap, [], (), ()
    raw_spans = [(*omap.raw_span(s, e), kind) for s, e, kind in spans]
    masks = ((s, e, MASK) for s, e, _ in spans)  # placeholders are never empty
    new_text, new_map = (rewrite_linear(text, omap.rstarts[0], masks) if omap.verbatim
                         else rewrite(text, omap, list(masks)))
    at = []
    shift = 0
    for s, e, _ in spans:  # each span before this one became one character
        at.append(s - shift)
        shift += e - s - 1
    return new_text, new_map, raw_spans, tuple(at), tuple(text[s:e] for s, e, _ in spans)
