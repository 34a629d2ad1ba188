"""Which parts of a file are comments readers never see, and which are text they do.

An inline suppression counts only in a comment: ``suppressions`` asks this module where those are.

* HTML and Markdown (``html_regions``): one linear pass over the states of the HTML tokenizer
  that matter here. Outside tags ``<!--`` opens a comment, up to the first ``-->``. A tag is read
  to its ``>`` with its attribute values, which are text (a ``title`` shows as a tooltip). The
  content of the raw-text elements (``<script>``, ``<style>``, and the legacy ones parsed alike)
  and of the escapable raw-text ones (``<textarea>``, ``<title>``: shown as is) is never markup,
  so a ``<!--`` there is no comment. ``<pre>`` and ``<code>`` are ordinary elements: a comment in
  them is still a comment. In Markdown, code spans and fences are skipped (a comment shown there
  is an example), and ``<`` opens a tag only as CommonMark's raw HTML would: a ``<`` that cannot
  be part of a tag (``if a<b then <!-- … -->``) leaves the tag for text, and reading resumes there.
  Nothing steps back, so the pass is linear.
* YAML (``yaml_text_spans``): the raw span of every scalar, from PyYAML's parser events (the
  scanner's tokens, checked for structure too); a ``#`` outside them is a comment. A block
  scalar's span starts on its first content line: the comment after its ``|`` or ``>`` header is
  not part of the value.
"""
from __future__ import annotations

import re
from typing import Optional, Sequence

COMMENT = "comment"
ATTRIBUTE = "attribute"
#: Elements whose content is never markup: the HTML spec's raw-text elements and the legacy ones
#: its tokenizer reads the same way (hidden), and its escapable raw-text elements (shown as is).
HIDDEN_RAW_TEXT = frozenset(("script", "style", "xmp", "iframe", "noembed", "noframes"))
SHOWN_RAW_TEXT = frozenset(("textarea", "title"))

_SPACE = re.compile(r"[ \t\n\f\r]*")
_TAG_OPEN = re.compile(r"</?[A-Za-z]")
_LINE_BREAK = re.compile(r"[\r\n]")


class _Syntax:
    """How a tag is spelled: what the browser tokenizer accepts (``html``), or CommonMark's
    stricter raw HTML (``markdown``), where anything else leaves the ``<`` as text."""

    def __init__(self, strict: bool, name: str, attribute: str, unquoted: str, gap: str) -> None:
        self.strict = strict
        self.name = re.compile(name)
        self.attribute = re.compile(attribute)
        self.unquoted = re.compile(unquoted)
        self.gap = re.compile(gap)


_HTML = _Syntax(False, r"[A-Za-z][^ \t\n\f\r/>]*", r"[^ \t\n\f\r/>][^ \t\n\f\r/>=]*",
                r"[^ \t\n\f\r>]*", r"[ \t\n\f\r/]*")
_MARKDOWN = _Syntax(True, r"[A-Za-z][A-Za-z0-9-]*", r"[A-Za-z_:][A-Za-z0-9_.:-]*",
                    r"[^ \t\n\f\r\"'=<>`]+", r"[ \t\n\f\r]*")
_END_TAGS: dict[str, re.Pattern] = {}


def _end_tag(name: str) -> re.Pattern:
    """Where a raw-text element ``name`` ends: ``</name`` then a space, ``/`` or ``>``."""
    pattern = _END_TAGS.get(name)
    if pattern is None:
        pattern = _END_TAGS[name] = re.compile(rf"</{name}[ \t\n\f\r/>]", re.I)
    return pattern


def _tag(raw: str, i: int, syntax: _Syntax) -> tuple[int, Optional[str], list[tuple[int, int]]]:
    """Read the tag at ``raw[i]`` (``<`` or ``</`` then a letter): where reading goes on, the
    name of the start tag (None for an end tag, and for what is no tag after all: then reading
    goes on inside it) and the spans of its attribute values."""
    n = len(raw)
    closing = raw.startswith("</", i)
    pos = name_end = syntax.name.match(raw, i + 2 if closing else i + 1).end()
    values: list[tuple[int, int]] = []
    while True:
        gap = syntax.gap.match(raw, pos).end()
        if raw.startswith(">", gap) or (syntax.strict and raw.startswith("/>", gap)):
            return raw.index(">", gap) + 1, None if closing else raw[i + 1:name_end].lower(), values
        if gap >= n:
            return n, None, values  # the file ends inside the tag: the browser drops it
        if syntax.strict and (closing or gap == pos):
            return gap, None, []  # an attribute with no space before it, or on an end tag
        attribute = syntax.attribute.match(raw, gap)
        if attribute is None:
            return gap, None, []
        pos = _SPACE.match(raw, attribute.end()).end()
        if not raw.startswith("=", pos):
            pos = attribute.end()
            continue
        pos = _SPACE.match(raw, pos + 1).end()
        quote = raw[pos:pos + 1]
        if quote in ("'", '"'):
            close = raw.find(quote, pos + 1)
            if close == -1:
                if syntax.strict:
                    return pos + 1, None, []
                values.append((pos + 1, n))
                return n, None, values
            values.append((pos + 1, close))
            pos = close + 1
            continue
        value = syntax.unquoted.match(raw, pos)
        if value is None:
            return pos, None, []
        if value.end() > pos:
            values.append(value.span())
        pos = value.end()


def html_regions(raw: str, code: Sequence[tuple[int, int]] = (), markdown: bool = False) -> list[tuple[int, int, str]]:
    """The comments of an HTML text, and the parts of it shown as text where a ``<!--`` is no
    comment: ``(start, end, kind)`` in order, ``kind`` being ``COMMENT``, ``ATTRIBUTE`` or the
    name of a ``SHOWN_RAW_TEXT`` element. ``code`` (sorted, not overlapping) is skipped: Markdown
    code spans and fences."""
    syntax = _MARKDOWN if markdown else _HTML
    out: list[tuple[int, int, str]] = []
    n = len(raw)
    pos = k = 0
    while pos < n:
        i = raw.find("<", pos)
        if i == -1:
            break
        while k < len(code) and code[k][1] <= i:
            k += 1
        if k < len(code) and code[k][0] <= i:
            pos = code[k][1]
            continue
        if raw.startswith("<!--", i):
            if raw.startswith(("<!-->", "<!--->"), i):  # an empty comment, closed at once
                pos = raw.index(">", i) + 1
                continue
            close = raw.find("-->", i + 4)
            pos = n if close == -1 else close + 3
            out.append((i, pos, COMMENT))
        elif _TAG_OPEN.match(raw, i):
            pos, name, values = _tag(raw, i, syntax)
            out.extend((s, e, ATTRIBUTE) for s, e in values)
            if name in HIDDEN_RAW_TEXT or name in SHOWN_RAW_TEXT:
                end = _end_tag(name).search(raw, pos)
                content_end = end.start() if end else n
                if name in SHOWN_RAW_TEXT:
                    out.append((pos, content_end, name))
                pos = content_end
        elif not markdown and raw.startswith(("<!", "<?", "</"), i):  # a bogus comment, to the next ">"
            close = raw.find(">", i)
            pos = n if close == -1 else close + 1
        else:
            pos = i + 1
    return out


def yaml_text_spans(raw: str) -> Optional[list[tuple[int, int]]]:
    """The raw span of every scalar of a YAML text (with its anchor or tag), in order; None when
    the text is no YAML."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    spans = []
    try:
        for event in yaml.parse(raw, Loader=loader):
            if isinstance(event, yaml.ScalarEvent):
                start, end = event.start_mark.index, event.end_mark.index
                if event.style in ("|", ">"):  # the header line, and its comment, are not the value
                    header_end = _LINE_BREAK.search(raw, start, end)
                    start = header_end.start() if header_end else end
                spans.append((start, end))
    except (yaml.YAMLError, RecursionError):
        return None
    return spans
