"""JSON with positions: a small recursive-descent parser that records the raw span of every value.
Numbers are kept as the text they are written as (``Val.style`` empty tells them from strings).

The standard ``json`` module gives values but no positions, so this parser walks the text itself
(strings are decoded by the C-accelerated ``json.decoder.scanstring``). ``string_view`` rebuilds a
string's decoded text with an ``OffsetMap``: literal runs map one-to-one, and every escape
(``\\n``, ``\\"``, ``\\u2019``, a surrogate pair) is an atom covering its raw characters.
"""
from __future__ import annotations

import json
import re
from json.decoder import scanstring
from typing import Any, Callable

from macrolint.readers.tree import Arr, Obj, ScanError, Val
from macrolint.text.document import OffsetMap, ViewBuilder

MAX_DEPTH = 200

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_PIECE = re.compile(
    r"[^\\]+"
    r"|\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})"
    r"|\\u([0-9a-fA-F]{4})"
    r"|\\(.)",
    re.S,
)
_SIMPLE = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_CONSTANTS = (("true", True), ("false", False), ("null", None))


class _Parser:
    __slots__ = ("s", "n")

    def __init__(self, s: str):
        self.s = s
        self.n = len(s)

    def fail(self, message: str, pos: int) -> ScanError:
        if pos >= self.n:
            return ScanError(f"invalid JSON: {message} (the file ends too early)", self.n)
        return ScanError(f"invalid JSON: {message}", pos)

    def value(self, pos: int, depth: int) -> tuple[Any, int]:
        s = self.s
        if pos >= self.n:
            raise self.fail("expected a value", pos)
        c = s[pos]
        if c == '"':
            return self.string(pos)
        if c == "{":
            return self.obj(pos, depth + 1)
        if c == "[":
            return self.arr(pos, depth + 1)
        if c == "-" or "0" <= c <= "9":
            m = _NUMBER.match(s, pos)
            if not m:
                raise self.fail("bad number", pos)
            # kept as written: a number is only ever an id here, and converting one of 5,000
            # digits fails (Python's limit on int conversions), as "1e400" becomes infinity
            return Val(m.group(), pos, m.end()), m.end()
        for word, val in _CONSTANTS:
            if s.startswith(word, pos):
                return Val(val, pos, pos + len(word)), pos + len(word)
        raise self.fail(f"unexpected character {c!r}", pos)

    def string(self, pos: int) -> tuple[Val, int]:
        try:
            decoded, end = scanstring(self.s, pos + 1, True)
        except json.JSONDecodeError as exc:
            raise self.fail(exc.msg.lower(), exc.pos) from None
        if _LONE_SURROGATE.search(decoded):  # "\ud83d" cut from a pair cannot be printed or written
            decoded = _LONE_SURROGATE.sub("\ufffd", decoded)
        return Val(decoded, pos, end, "json"), end

    def obj(self, pos: int, depth: int) -> tuple[Obj, int]:
        if depth > MAX_DEPTH:
            raise self.fail(f"nested deeper than {MAX_DEPTH} levels", pos)
        s, ws = self.s, _WS.match
        out = Obj(pos)
        pos = ws(s, pos + 1).end()
        if pos < self.n and s[pos] == "}":
            return out, pos + 1
        while True:
            if pos >= self.n or s[pos] != '"':
                raise self.fail("expected a key in double quotes", pos)
            key, pos = self.string(pos)
            pos = ws(s, pos).end()
            if pos >= self.n or s[pos] != ":":
                raise self.fail("expected ':' after a key", pos)
            pos = ws(s, pos + 1).end()
            value, pos = self.value(pos, depth)
            out[key.value] = value
            pos = ws(s, pos).end()
            if pos < self.n and s[pos] == ",":
                pos = ws(s, pos + 1).end()
                continue
            if pos < self.n and s[pos] == "}":
                return out, pos + 1
            raise self.fail("expected ',' or '}' in an object", pos)

    def arr(self, pos: int, depth: int) -> tuple[Arr, int]:
        if depth > MAX_DEPTH:
            raise self.fail(f"nested deeper than {MAX_DEPTH} levels", pos)
        s, ws = self.s, _WS.match
        out = Arr(pos)
        pos = ws(s, pos + 1).end()
        if pos < self.n and s[pos] == "]":
            return out, pos + 1
        while True:
            value, pos = self.value(pos, depth)
            out.append(value)
            pos = ws(s, pos).end()
            if pos < self.n and s[pos] == ",":
                pos = ws(s, pos + 1).end()
                continue
            if pos < self.n and s[pos] == "]":
                return out, pos + 1
            raise self.fail("expected ',' or ']' in an array", pos)


def parse(raw: str) -> Any:
    """Parse a JSON document into ``Obj``/``Arr``/``Val`` nodes; raises ``ScanError``."""
    p = _Parser(raw)
    pos = _WS.match(raw).end()
    try:
        value, pos = p.value(pos, 0)
    except RecursionError:  # a caller already deep in the stack: still one clear problem
        raise ScanError("invalid JSON: nested too deeply", 0) from None
    pos = _WS.match(raw, pos).end()
    if pos != len(raw):
        raise p.fail("extra data after the document", pos)
    return value


def string_view(raw: str, val: Val) -> tuple[str, OffsetMap]:
    """The decoded text of the JSON string token ``val`` with its map into ``raw``."""
    b = ViewBuilder()
    for m in _PIECE.finditer(raw, val.start + 1, val.end - 1):
        s, e = m.span()
        if m.group(1):
            hi, lo = int(m.group(1), 16), int(m.group(2), 16)
            b.atom(s, e, chr(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)))
        elif m.group(3):
            cp = int(m.group(3), 16)
            # A lone surrogate cannot be printed or re-encoded: show the replacement character.
            b.atom(s, e, "\ufffd" if 0xD800 <= cp <= 0xDFFF else chr(cp))
        elif m.group(4) is not None:
            b.atom(s, e, _SIMPLE.get(m.group(4), m.group(4)))
        else:
            b.text(s, m.group())
    return b.build()


def encoder(raw: str) -> Callable[[str], str]:
    """How replacement text is written into this file's strings: escaped like JSON, keeping
    non-ASCII literal when the file already does."""
    ascii_only = raw.isascii()

    def encode(text: str) -> str:
        return json.dumps(text, ensure_ascii=ascii_only)[1:-1]

    return encode


def unescape(raw: str) -> str:
    """Decode the escapes of a slice of a JSON string body (for checking reported spans)."""
    out = []
    for m in _PIECE.finditer(raw):
        if m.group(1):
            hi, lo = int(m.group(1), 16), int(m.group(2), 16)
            out.append(chr(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)))
        elif m.group(3):
            cp = int(m.group(3), 16)
            out.append("\ufffd" if 0xD800 <= cp <= 0xDFFF else chr(cp))
        elif m.group(4) is not None:
            out.append(_SIMPLE.get(m.group(4), m.group(4)))
        else:
            out.append(m.group())
    return "".join(out)
