"""CSV with positions: a cell scanner with the ``csv`` module's (excel dialect, non-strict)
semantics that also records each cell's raw span.

A quoted cell may hold doubled quotes and line breaks; text after its closing quote is kept, as
``csv.reader`` does. ``cell_view`` maps a cell's decoded text back to the raw file: every doubled
quote is an atom, everything else maps one-to-one.
"""
from __future__ import annotations

import re
from typing import Callable

from macrolint.readers.tree import Arr, Obj, ScanError, Val
from macrolint.text.document import OffsetMap, ViewBuilder

# The lookahead-and-backreference makes the body atomic: like csv.reader, a quote after a quote
# is always an escaped quote, never the end of the cell followed by stray text.
_QUOTED = re.compile(r'"(?=([^"]*(?:""[^"]*)*))\1"')
_DQ = re.compile(r'""')


def sniff_delimiter(raw: str, path: str = "") -> str:
    """``\\t`` for .tsv files, else whichever of , ; or tab the header line uses most."""
    if path.lower().endswith(".tsv"):
        return "\t"
    first = raw[: raw.find("\n")] if "\n" in raw else raw[:4096]
    first = re.sub(r'"[^"]*"', "", first)
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def parse_rows(raw: str, delimiter: str = ",") -> list[Arr]:
    """Every record as an ``Arr`` of cell ``Val``s (blank lines give no record)."""
    d = re.escape(delimiter)
    unquoted = re.compile(rf"[^{d}\r\n]*")
    trailing = re.compile(rf"[^{d}\r\n]*")
    rows: list[Arr] = []
    n = len(raw)
    pos = 0
    while pos < n:
        if raw[pos] in "\r\n":  # a blank line
            pos += 2 if raw.startswith("\r\n", pos) else 1
            continue
        row = Arr(pos)
        while True:
            start = pos
            if pos < n and raw[pos] == '"':
                m = _QUOTED.match(raw, pos)
                if m is None:
                    raise ScanError("invalid CSV: a quoted cell is never closed (a \" is missing)", pos)
                value = m.group(1).replace('""', '"')
                pos = m.end()
                extra = trailing.match(raw, pos)
                if extra.end() > pos:  # text after the closing quote: kept, like csv.reader
                    value += extra.group()
                    pos = extra.end()
            else:
                m = unquoted.match(raw, pos)
                value = m.group()
                pos = m.end()
            row.append(Val(value, start, pos, "csv"))
            if pos < n and raw[pos] == delimiter:
                pos += 1
                continue
            break
        if pos < n:
            pos += 2 if raw.startswith("\r\n", pos) else 1
        rows.append(row)
    return rows


def parse(raw: str, path: str = "") -> Arr:
    """Records as mappings from the header row's column names to cells; raises ``ScanError``."""
    rows = parse_rows(raw, sniff_delimiter(raw, path))
    out = Arr(0)
    if not rows:
        return out
    header = [c.value.strip() for c in rows[0]]
    for row in rows[1:]:
        rec = Obj(row.start)
        for name, cell in zip(header, row):
            if name and name not in rec:
                rec[name] = cell
        out.append(rec)
    return out


def cell_view(raw: str, val: Val) -> tuple[str, OffsetMap]:
    """The decoded text of a cell with its map into ``raw``."""
    b = ViewBuilder()
    s, e = val.start, val.end
    if s < e and raw[s] == '"':
        m = _QUOTED.match(raw, s)
        inner_s, inner_e = m.span(1)
        pos = inner_s
        for q in _DQ.finditer(raw, inner_s, inner_e):
            b.text(pos, raw[pos:q.start()])
            b.atom(q.start(), q.end(), '"')
            pos = q.end()
        b.text(pos, raw[pos:inner_e])
        b.text(m.end(), raw[m.end():e])
    else:
        b.text(s, raw[s:e])
    return b.build()


def encoder(raw: str, val: Val) -> Callable[[str], str]:
    """Quotes double inside a quoted cell; an unquoted cell takes text as it is, unless the text
    holds a quote, a line break or the delimiter (``ValueError``: the cell would split)."""
    if val.start < val.end and raw[val.start] == '"':
        return lambda text: text.replace('"', '""')
    unsafe: set = set()

    def encode(text: str) -> str:
        if not unsafe:  # worked out when a fix first needs it: a file has 100,000 cells
            unsafe.update('"\r\n' + sniff_delimiter(raw))
        if unsafe.intersection(text):
            raise ValueError("an unquoted CSV cell cannot hold a quote, a line break or the delimiter")
        return text

    return encode


def unescape(raw: str) -> str:
    """Decode a slice of a cell (for checking reported spans)."""
    return raw.replace('""', '"')
