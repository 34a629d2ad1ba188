"""YAML with positions: PyYAML's parser gives every node its raw span and scalar style; this
module builds the neutral tree from its events and rebuilds each string scalar's decoded text
with an ``OffsetMap``.

Decoding follows PyYAML's scanner step by step: a block scalar (``|``, ``>``) is its content
lines with the indentation cut off, each folded line join an atom; a flow scalar (plain,
``'single'``, ``"double"``) folds line breaks into spaces or newlines, and every escape (``''``,
``\\n``, ``\\u2019``, an escaped line break) is an atom. A rebuilt text that disagrees with the
parser's value (a construct this module does not model) falls back to one atom for the scalar.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Optional

import yaml

from macrolint.readers.tree import Arr, Obj, ScanError, Val
from macrolint.text.document import OffsetMap, ViewBuilder

try:
    _Loader = yaml.CSafeLoader  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

_STR_TAG = "tag:yaml.org,2002:str"
_CONSTRUCT = yaml.constructor.SafeConstructor()
_BOOL = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}
_BREAK = re.compile(r"\r\n|\r|\n")
_DQ_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.S)
_ESCAPES = {
    "0": "\0", "a": "\x07", "b": "\x08", "t": "\t", "\t": "\t", "n": "\n", "v": "\x0b", "f": "\x0c",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "\\": "\\", "/": "/", "N": "\x85", "_": "\xa0",
    "L": "\u2028", "P": "\u2029",
}


#: Deeper nesting is reported as a malformed file (no reply library nests beyond a handful).
MAX_DEPTH = 200


def parse(raw: str) -> Any:
    """Read a YAML file into ``Obj``/``Arr``/``Val`` nodes; raises ``ScanError``.

    The tree is built from the parser's events (``_documents``), not by PyYAML's composer: the
    composer recurses once per level of nesting, in C with libyaml, where a file nested 100,000
    levels deep overflows the stack and kills the process (libyaml before 0.2.6 sets no limit)."""
    loader = _Loader(raw)
    try:
        docs = [d for d in _documents(loader, raw) if d is not None]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or str(exc)
        raise ScanError(f"invalid YAML: {problem}", mark.index if mark else 0) from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise ScanError(f"invalid YAML: {exc}", 0) from None
    finally:
        loader.dispose()
    if not docs:
        return Obj(0)
    if len(docs) == 1:
        return docs[0]
    out = Arr(docs[0].start)
    out.extend(docs)
    return out


def _documents(loader, raw: str):
    """Each document's tree (None for an empty one), as PyYAML's composer would build its nodes:
    the same tags, anchors shared (an alias is the same object, converted once, so shared spans
    are linted once and an alias that holds itself is a cycle), the same errors for an undefined
    alias or a duplicate anchor; nesting deeper than ``MAX_DEPTH`` is a ``ScanError``."""
    loader.get_event()  # stream start
    while not loader.check_event(yaml.StreamEndEvent):
        loader.get_event()  # document start
        yield _document(loader, raw)
        loader.get_event()  # document end


def _document(loader, raw: str) -> Any:
    anchors: dict[str, tuple[Any, Optional[str], Any]] = {}
    #: Open containers: [node, its key text while a mapping waits for the value, a mapping?]
    stack: list[list] = []
    while True:
        event = loader.get_event()
        key: Optional[str] = None  # what this node reads as when it is a mapping key
        if isinstance(event, yaml.AliasEvent):
            if event.anchor not in anchors:
                raise yaml.composer.ComposerError(None, None, f"found undefined alias {event.anchor!r}", event.start_mark)
            node, key, _ = anchors[event.anchor]
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            node = stack.pop()[0]
            key = _key_text(node)
        else:
            if event.anchor is not None and event.anchor in anchors:
                raise yaml.composer.ComposerError(
                    f"found duplicate anchor {event.anchor!r}; first occurrence", anchors[event.anchor][2],
                    "second occurrence", event.start_mark)
            if isinstance(event, yaml.ScalarEvent):
                node, key = _scalar(loader, event, raw), event.value
            else:
                mapping = isinstance(event, yaml.MappingStartEvent)
                node = (Obj if mapping else Arr)(event.start_mark.index)
                if len(stack) >= MAX_DEPTH:
                    raise ScanError(f"invalid YAML: nested deeper than {MAX_DEPTH} levels", event.start_mark.index)
                if event.anchor is not None:
                    anchors[event.anchor] = (node, None, event.start_mark)
                stack.append([node, None, mapping])
                continue
            if event.anchor is not None:
                anchors[event.anchor] = (node, key, event.start_mark)
        if not stack:
            return node
        parent = stack[-1]
        if not parent[2]:
            parent[0].append(node)
        elif parent[1] is None:
            parent[1] = key if key is not None else _key_text(node)
        else:
            parent[0][parent[1]] = node
            parent[1] = None


def _key_text(node: Any) -> str:
    """A key that is itself a mapping or sequence (``? [a, b] : c``), as text; never linted."""
    return f"<{type(node).__name__} at {getattr(node, 'start', 0)}>"


_PROPERTIES = re.compile(r"(?:[&!][^\s]*\s+)+")


def _scalar(loader, event, raw: str) -> Val:
    """A scalar's ``Val``: its tag resolved as the composer resolves it, its span without the
    ``&anchor`` and ``!tag`` that come before it."""
    tag = event.tag
    if tag is None or tag == "!":
        tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
    start, end = event.start_mark.index, event.end_mark.index
    if start < end and raw[start] in "&!":
        m = _PROPERTIES.match(raw, start)
        if m and m.end() < end:
            start = m.end()
    if tag == _STR_TAG:
        return Val(event.value, start, end, "yaml:" + (event.style or ""))
    if tag.endswith(":bool"):
        return Val(_BOOL.get(event.value.lower(), bool(event.value)), start, end)
    if tag.endswith(":null"):
        return Val(None, start, end)
    try:  # numbers, timestamps, custom tags: never linted
        value = _CONSTRUCT.construct_object(yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark,
                                                            style=event.style))
    except (yaml.YAMLError, ValueError, TypeError, OverflowError):
        value = event.value
    return Val(value, start, end)


# -- decoded views --------------------------------------------------------------------------------


def scalar_view(raw: str, val: Val) -> tuple[str, OffsetMap]:
    """The decoded text of a string scalar with its map into ``raw``."""
    style = val.style[5:]
    b = ViewBuilder()
    try:
        if style in ("|", ">"):
            _block(raw, val.start, val.value, b)
        elif style == "'":
            _flow(raw, val.start + 1, val.end - 1, b, _single_segment, False)
        elif style == '"':
            _flow(raw, val.start + 1, val.end - 1, b, _double_segment, True)
        else:
            _flow(raw, val.start, val.end, b, _plain_segment, False)
        view, omap = b.build()
    except (IndexError, ValueError):
        view, omap = None, None
    if view != val.value:
        b = ViewBuilder()
        b.atom(val.start, val.end, val.value)
        return b.build()
    return view, omap


def _plain_segment(raw: str, s: int, e: int, b: ViewBuilder) -> None:
    b.text(s, raw[s:e])


def _single_segment(raw: str, s: int, e: int, b: ViewBuilder) -> None:
    pos = s
    while True:
        q = raw.find("''", pos, e)
        if q == -1:
            b.text(pos, raw[pos:e])
            return
        b.text(pos, raw[pos:q])
        b.atom(q, q + 2, "'")
        pos = q + 2


def _double_segment(raw: str, s: int, e: int, b: ViewBuilder) -> None:
    pos = s
    for m in _DQ_ESCAPE.finditer(raw, s, e):
        b.text(pos, raw[pos:m.start()])
        code = m.group(1)
        if len(code) > 1:
            b.atom(m.start(), m.end(), chr(int(code[1:], 16)))
        else:
            b.atom(m.start(), m.end(), _ESCAPES[code])
        pos = m.end()
    b.text(pos, raw[pos:e])


def _escaped_break(raw: str, s: int, e: int) -> bool:
    """A double-quoted line ending in an odd number of backslashes continues without a space."""
    n = 0
    while e - 1 - n >= s and raw[e - 1 - n] == "\\":
        n += 1
    return n % 2 == 1


def _flow(raw: str, s: int, e: int, b: ViewBuilder, segment: Callable, double: bool) -> None:
    """Fold a flow scalar's lines: one break is a space, n+1 breaks are n newlines."""
    lines: list[tuple[int, int, int]] = []  # (content start, content end, line-break end)
    pos = s
    for m in _BREAK.finditer(raw, s, e):
        lines.append((pos, m.start(), m.end()))
        pos = m.end()
    lines.append((pos, e, e))
    last = len(lines) - 1

    def strip_lead(ls: int, le: int) -> int:
        while ls < le and raw[ls] in " \t":
            ls += 1
        return ls

    def strip_trail(ls: int, le: int) -> int:
        while le > ls and raw[le - 1] in " \t":
            le -= 1
        return le

    i = 0
    ls, le, _ = lines[0]
    while True:
        if i == last:
            segment(raw, ls, le, b)
            return
        escaped = double and _escaped_break(raw, ls, le)
        content_end = le - 1 if escaped else strip_trail(ls, le)
        segment(raw, ls, content_end, b)
        k = i + 1
        while k < last and strip_lead(lines[k][0], lines[k][1]) == lines[k][1]:
            k += 1
        next_start = strip_lead(lines[k][0], lines[k][1])
        blanks = k - i - 1
        join = "\n" * blanks if (escaped or blanks) else " "
        if join:
            b.atom(content_end, next_start, join)
        i, ls, le = k, next_start, lines[k][1]


def _block(raw: str, start: int, value: str, b: ViewBuilder) -> None:
    """A literal or folded block scalar, following PyYAML's ``scan_block_scalar``."""
    pos = start
    folded = raw[pos] == ">"
    pos += 1
    chomping: Optional[bool] = None
    increment: Optional[int] = None
    for _ in range(2):
        c = raw[pos] if pos < len(raw) else ""
        if c in ("+", "-"):
            chomping = c == "+"
            pos += 1
        elif c.isdigit() and c != "0":
            increment = int(c)
            pos += 1
    m = _BREAK.search(raw, pos)
    body = m.end() if m else len(raw)
    if increment is None:
        _block_body(raw, body, folded, chomping, _auto_indent(raw, body), b)
        return
    # The indentation is relative to the parent node, which the composer does not record: try
    # the plausible parents and keep the reading that reproduces the parsed value.
    line_start = raw.rfind("\n", 0, start) + 1
    header = raw[line_start:start]
    candidates = {len(header) - len(header.lstrip(" -")), len(header) - len(header.lstrip(" ")), 0}
    for parent in sorted(candidates, reverse=True):
        trial = ViewBuilder()
        _block_body(raw, body, folded, chomping, parent + increment, trial)
        if trial.build()[0] == value:
            _block_body(raw, body, folded, chomping, parent + increment, b)
            return
    raise ValueError("block scalar indentation not modelled")


def _auto_indent(raw: str, pos: int) -> int:
    col = max_indent = 0
    n = len(raw)
    while pos < n and raw[pos] in " \r\n":
        if raw[pos] == " ":
            col += 1
            max_indent = max(max_indent, col)
        else:
            col = 0
        pos += 1
    return max(1, max_indent)


def _block_body(raw: str, pos: int, folded: bool, chomping: Optional[bool], indent: int, b: ViewBuilder) -> None:
    n = len(raw)

    def line_break(p: int) -> tuple[int, int]:
        """The raw span of the line break at ``p`` (empty at the end of the text)."""
        if raw.startswith("\r\n", p):
            return p, p + 2
        if p < n and raw[p] in "\r\n":
            return p, p + 1
        return p, p

    def emit_break(span: tuple[int, int]) -> None:
        s, e = span
        if e - s == 1 and raw[s] == "\n":
            b.text(s, "\n")
        elif e > s:
            b.atom(s, e, "\n")

    def skip_indent(p: int, line_start: int) -> int:
        while p - line_start < indent and p < n and raw[p] == " ":
            p += 1
        return p

    def breaks(p: int) -> tuple[list[tuple[int, int]], int, int]:
        """Blank lines from ``p``: their breaks, the position after them, and the line start."""
        line_start = p
        out = []
        p = skip_indent(p, line_start)
        while p < n and raw[p] in "\r\n":
            span = line_break(p)
            out.append(span)
            p = line_start = span[1]
            p = skip_indent(p, line_start)
        return out, p, line_start

    found, pos, line_start = breaks(pos)
    last_break: tuple[int, int] = (pos, pos)
    while pos - line_start == indent and pos < n:
        for span in found:
            emit_break(span)
        leading_non_space = raw[pos] not in " \t"
        end = pos
        while end < n and raw[end] not in "\r\n":
            end += 1
        b.text(pos, raw[pos:end])
        last_break = line_break(end)
        found, pos, line_start = breaks(last_break[1])
        if pos - line_start == indent and pos < n:
            if folded and last_break[1] > last_break[0] and leading_non_space and raw[pos] not in " \t":
                if not found:
                    b.atom(last_break[0], last_break[1], " ")
            else:
                emit_break(last_break)
        else:
            break
    if chomping is not False:
        emit_break(last_break)
    if chomping is True:
        for span in found:
            emit_break(span)


def encoder(val: Val) -> Callable[[str], str]:
    """How replacement text is written into this scalar, by its style."""
    style = val.style[5:]
    if style == "'":
        return lambda text: _unbroken(text).replace("'", "''")
    if style == '"':
        return lambda text: text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return _unbroken if style in ("|", ">") else _plain


def _unbroken(text: str) -> str:
    if "\n" in text or "\r" in text:
        raise ValueError("a line break cannot be written into this scalar as it is")
    return text


def _plain(text: str) -> str:
    """A plain scalar ends at ``: `` and a comment starts at `` #``: refuse text that holds either."""
    if "#" in text or ":" in text:
        raise ValueError("a plain YAML scalar cannot hold '#' or ':' safely")
    return _unbroken(text)


def unescape(raw: str) -> str:
    """Decode the escapes of a slice of a quoted scalar (for checking reported spans)."""
    out = _DQ_ESCAPE.sub(lambda m: chr(int(m.group(1)[1:], 16)) if len(m.group(1)) > 1
                         else _ESCAPES.get(m.group(1), m.group(1)), raw)
    return out.replace("''", "'")
