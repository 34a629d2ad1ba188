"""Documents: the text a reader hands to the engine, and how it maps back to the raw file.

A reader turns a file's decoded text (``Source.raw``) into one or more ``Unit``s. A unit's
``text`` is the prose the engine sees: tags removed, entities decoded, placeholders replaced by
``MASK``. ``Unit.omap`` maps every character offset of that text back to a half-open span of
``Source.raw``, so every finding lands on the exact characters of the file.
"""
from __future__ import annotations

import bisect
from array import array
from typing import Callable, Iterable, NamedTuple, Optional, Sequence

#: Stands in for a placeholder, a code span or any other region the rules must never see: SUB, a
#: control character no reply holds, neither a word character nor a space. An ASCII character
#: keeps a masked text ASCII, so every later step takes the fast paths for ASCII strings (one byte
#: a character, no UTF-8 encoding for the Aho-Corasick automata).
MASK = "\x1a"
#: ``MASK`` as written in a regular expression (rule patterns write it so too).
MASK_PATTERN = "\\x1a"


class OffsetMap:
    """Maps offsets in a view string to spans of the raw text, run by run.

    A *linear* run maps view characters one-to-one onto raw characters. An *atomic* run maps
    every view character in it to the whole raw span ``[rstart, rend)`` (an entity, an escape,
    a masked placeholder, a tag turned into a separator).
    """

    __slots__ = ("vstarts", "rstarts", "rends", "length")

    def __init__(self, vstarts: Sequence[int], rstarts: Sequence[int], rends: list[Optional[int]], length: int):
        self.vstarts = vstarts
        self.rstarts = rstarts
        self.rends = rends
        self.length = length

    @classmethod
    def identity(cls, length: int, base: int = 0) -> "OffsetMap":
        return cls([0], [base], [None], length)

    def _run(self, pos: int) -> int:
        return max(bisect.bisect_right(self.vstarts, pos) - 1, 0)

    def raw_start(self, pos: int) -> int:
        """Raw offset where view character ``pos`` begins (``pos == len`` maps past the end)."""
        if pos >= self.length:
            return self.raw_end(self.length - 1) if self.length else self.rstarts[0]
        k = self._run(pos)
        if self.rends[k] is None:
            return self.rstarts[k] + pos - self.vstarts[k]
        return self.rstarts[k]

    def raw_end(self, pos: int) -> int:
        """Raw offset just after view character ``pos``."""
        k = self._run(pos)
        end = self.rends[k]
        if end is None:
            return self.rstarts[k] + pos - self.vstarts[k] + 1
        return end

    @property
    def verbatim(self) -> bool:
        """Whether the view is one verbatim stretch of the raw text (a plain-text file, a string
        without escapes): view offset ``i`` is raw offset ``rstarts[0] + i``."""
        return len(self.rends) == 1 and self.rends[0] is None

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw half-open span covering view span ``[start, end)``."""
        if self.verbatim and 0 <= start < end <= self.length:
            return self.rstarts[0] + start, self.rstarts[0] + end
        if end <= start:
            r = self.raw_start(start)
            return r, r
        return self.raw_start(start), self.raw_end(end - 1)

    def is_linear(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` lies in linear runs that are contiguous in the raw text."""
        if end <= start:
            return True
        k0, k1 = self._run(start), self._run(end - 1)
        for k in range(k0, k1 + 1):
            if self.rends[k] is not None:
                return False
            if k > k0:
                prev_end = self.rstarts[k - 1] + (self.vstarts[k] - self.vstarts[k - 1])
                if prev_end != self.rstarts[k]:
                    return False
        return True

    def runs(self):
        """Yield ``(vstart, vend, rstart, rend_or_None)`` for every run."""
        n = len(self.vstarts)
        for k in range(n):
            vend = self.vstarts[k + 1] if k + 1 < n else self.length
            if vend > self.vstarts[k]:
                yield self.vstarts[k], vend, self.rstarts[k], self.rends[k]


class ViewBuilder:
    """Builds a view string and its ``OffsetMap`` piece by piece."""

    __slots__ = ("_parts", "_vstarts", "_rstarts", "_rends", "_n")

    def __init__(self) -> None:
        self._parts: list[str] = []
        # machine integers: an export's escapes make a run each, hundreds of thousands a file
        self._vstarts = array("q")
        self._rstarts = array("q")
        self._rends: list[Optional[int]] = []
        self._n = 0

    def text(self, raw_start: int, s: str) -> None:
        """Append ``s``, which is the raw text starting at ``raw_start`` verbatim."""
        if not s:
            return
        if self._rends and self._rends[-1] is None:
            k = len(self._vstarts) - 1
            if self._rstarts[k] + (self._n - self._vstarts[k]) == raw_start:
                self._parts.append(s)
                self._n += len(s)
                return
        self._vstarts.append(self._n)
        self._rstarts.append(raw_start)
        self._rends.append(None)
        self._parts.append(s)
        self._n += len(s)

    def atom(self, raw_start: int, raw_end: int, s: str) -> None:
        """Append ``s`` standing for the raw span ``[raw_start, raw_end)`` as a whole."""
        if not s:
            return
        self._vstarts.append(self._n)
        self._rstarts.append(raw_start)
        self._rends.append(raw_end)
        self._parts.append(s)
        self._n += len(s)

    def __len__(self) -> int:
        return self._n

    def build(self) -> tuple[str, OffsetMap]:
        if not self._vstarts:
            return "", OffsetMap([0], [0], [None], 0)
        return "".join(self._parts), OffsetMap(self._vstarts, self._rstarts, self._rends, self._n)


def rewrite(text: str, omap: OffsetMap, replacements: list[tuple[int, int, str]]) -> tuple[str, OffsetMap]:
    """Replace sorted, non-overlapping view spans by atoms, composing the offset map."""
    if not replacements:
        return text, omap
    if omap.verbatim and all(s < e and rep for s, e, rep in replacements):
        return rewrite_linear(text, omap.rstarts[0], replacements)
    vstarts, rstarts, rends = omap.vstarts, omap.rstarts, omap.rends
    parts: list[str] = []
    out_v = array("q")
    out_r = array("q")
    out_e: list[Optional[int]] = []
    n = 0  # length of the new view so far
    k = 0  # the run that holds ``pos``
    pos = 0
    final = len(text)
    # Each stretch between replacements is copied at once: its first run (a piece of a linear run
    # joins the run before it when it continues it in the raw text, as ``ViewBuilder.text`` does),
    # then the other runs it reaches, moved to their new offsets (already as ``ViewBuilder`` left
    # them: no two of them join). The replacement becomes an atom over the raw span it covers.
    for s, e, rep in (*replacements, (final, final, None)):
        if pos < s:
            k = bisect.bisect_right(vstarts, pos, k) - 1
            last = bisect.bisect_right(vstarts, s - 1, k) - 1
            end_ = rends[k]
            raw = rstarts[k] + pos - vstarts[k] if end_ is None else rstarts[k]
            if not (end_ is None and out_e and out_e[-1] is None and out_r[-1] + (n - out_v[-1]) == raw):
                out_v.append(n)
                out_r.append(raw)
                out_e.append(end_)
            if last > k:
                shift = n - pos
                out_v.extend([v + shift for v in vstarts[k + 1:last + 1]])
                out_r.extend(rstarts[k + 1:last + 1])
                out_e.extend(rends[k + 1:last + 1])
            parts.append(text[pos:s])
            n += s - pos
        if rep is None:
            break
        if rep:
            rs, re_ = omap.raw_span(s, e)
            out_v.append(n)
            out_r.append(rs)
            out_e.append(re_)
            parts.append(rep)
            n += len(rep)
        pos = e
    if not out_v:
        return "", OffsetMap([0], [0], [None], 0)
    return "".join(parts), OffsetMap(out_v, out_r, out_e, n)


def rewrite_linear(text: str, base: int, replacements: Iterable[tuple[int, int, str]]) -> tuple[str, OffsetMap]:
    """``rewrite`` for a view that is one verbatim stretch of the raw text (a plain-text file),
    with non-empty spans and replacements: the runs alternate, so they are written directly."""
    chunks: list[str] = []
    parts: list[str] = []
    # machine integers: a long text masks hundreds of thousands of placeholders
    vstarts = array("q")
    rstarts = array("q")
    rends: list[Optional[int]] = []
    pos = n = 0
    for s, e, rep in replacements:
        if s > pos:
            vstarts.append(n)
            rstarts.append(base + pos)
            rends.append(None)
            parts.append(text[pos:s])
            n += s - pos
        vstarts.append(n)
        rstarts.append(base + s)
        rends.append(base + e)
        parts.append(rep)
        n += len(rep)
        pos = e
        if len(parts) >= _JOIN_EVERY:  # a long text's slices become one string as they come
            chunks.append("".join(parts))
            parts.clear()
    if pos < len(text):
        vstarts.append(n)
        rstarts.append(base + pos)
        rends.append(None)
        parts.append(text[pos:])
        n += len(text) - pos
    chunks.extend(parts)
    return "".join(chunks), OffsetMap(vstarts, rstarts, rends, n)


#: Slices ``rewrite_linear`` joins at a time: a megabyte-long text of short stretches would
#: otherwise hold a string object for each beside the joined copy.
_JOIN_EVERY = 4096


class LineIndex:
    """1-based line and column (in characters) for offsets into a raw text."""

    __slots__ = ("starts",)

    def __init__(self, raw: str) -> None:
        # an array of machine integers: a list of int objects costs five times the memory on a
        # text of a million lines
        starts = array("q", [0])
        find = raw.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self.starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1


class Item(NamedTuple):
    """The macro, reply or article a unit belongs to."""

    id: Optional[str]
    title: Optional[str]
    field: str
    #: What the export says about the item besides its text, as ``(key, value)`` pairs: how often
    #: it was used (``usage_30d``, ``usage_7d``... see ``readers.shapes.usage``). Not part of
    #: ``as_dict``: a diagnostic names its item, the library report reads the rest.
    meta: tuple[tuple[str, float], ...] = ()

    def as_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "field": self.field}


class Unit(NamedTuple):
    """One text value to lint, with its mapping into ``Source.raw``."""

    text: str
    omap: OffsetMap
    item: Optional[Item] = None
    #: Re-encodes replacement text the way the raw file stores it (HTML escaping, JSON escapes).
    encode: Callable[[str], str] = str
    #: The raw spans masked and their kinds, and (``masked_at``) where each one's ``MASK`` is in
    #: ``text``, in order; ``readers.common.make_unit`` fills both.
    placeholders: Sequence[tuple[int, int, str]] = ()
    masked_at: tuple[int, ...] = ()
    #: Each masked placeholder's text as the reader decoded it (``{{ticket.id}}``), in order.
    placeholder_texts: tuple[str, ...] = ()
    #: Stretches the reader knows are not the unit's main prose, as ``(raw start, raw end,
    #: scope)``: headings, block quotes, link text (``text.scopes``).
    scopes: tuple[tuple[int, int, str], ...] = ()


class ReadProblem(NamedTuple):
    """A file-level problem a reader reports instead of raising (bad encoding, malformed data)."""

    code: str
    message: str
    offset: int = 0


class Source:
    """A file (or stdin) decoded, and the units a reader produced from it (filled in as the
    reader goes; a data file's are built again on each pass over them)."""

    __slots__ = ("path", "raw", "format", "units", "problems", "skipped", "platform", "articles", "encoding",
                 "_lines")

    def __init__(self, path: str, raw: str, format: str, units: Optional[list[Unit]] = None,
                 problems: Optional[list[ReadProblem]] = None, skipped: Optional[str] = None,
                 platform: Optional[str] = None, articles: bool = False, encoding: str = "utf-8"):
        self.path = path
        self.raw = raw
        self.format = format
        self.units: Iterable[Unit] = [] if units is None else units
        self.problems: list[ReadProblem] = [] if problems is None else problems
        #: Why the file was not linted (a data file of no known shape), or None.
        self.skipped = skipped
        #: The help desk whose export this is (``zendesk``, ``freshdesk``...), when the reader knows.
        self.platform = platform
        #: The file holds help-center articles (for readers of the docs), not replies an agent sends.
        self.articles = articles
        #: How the file was encoded (``utf-8``, ``utf-8-sig``, ``utf-16-le``...), to write it back the same.
        self.encoding = encoding
        self._lines: Optional[LineIndex] = None

    def __repr__(self) -> str:
        return (f"Source(path={self.path!r}, format={self.format!r}, units={len(self.units)}, "
                f"problems={self.problems!r}, skipped={self.skipped!r})")

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            self._lines = LineIndex(self.raw)
        return self._lines


def compose(view: str, inner: OffsetMap, outer: OffsetMap) -> OffsetMap:
    """Chain two maps: ``inner`` maps ``view`` into a decoded value, ``outer`` maps that value
    into the raw file (an HTML body inside a JSON string, say)."""
    if outer.verbatim and inner.length:  # a value without escapes: every raw offset moves by where it starts
        shift = outer.rstarts[0]
        return OffsetMap(inner.vstarts, array("q", [r + shift for r in inner.rstarts]) if shift else inner.rstarts,
                         [None if e is None else e + shift for e in inner.rends], inner.length)
    b = ViewBuilder()
    outer_runs = list(outer.runs())
    starts = [r[0] for r in outer_runs]
    for vs, ve, rs, re_ in inner.runs():
        if re_ is not None:
            a, z = outer.raw_span(rs, re_)
            b.atom(a, z, view[vs:ve])
            continue
        lo, hi = rs, rs + (ve - vs)
        k = max(bisect.bisect_right(starts, lo) - 1, 0)
        while k < len(outer_runs) and outer_runs[k][0] < hi:
            ovs, ove, ors, ore = outer_runs[k]
            a, z = max(lo, ovs), min(hi, ove)
            if a < z:
                piece = view[vs + a - lo: vs + z - lo]
                if ore is None:
                    b.text(ors + a - ovs, piece)
                else:
                    b.atom(ors, ore, piece)
            k += 1
    return b.build()[1]


def unmasked(unit: "Unit", start: int, end: int) -> str:
    """``unit.text[start:end]`` with each masked placeholder written out again."""
    text = unit.text[start:end]
    if MASK not in text:
        return text
    at = bisect.bisect_left(unit.masked_at, start)
    parts, pos = [], start
    while at < len(unit.masked_at) and unit.masked_at[at] < end:
        m = unit.masked_at[at]
        parts.append(unit.text[pos:m])
        parts.append(unit.placeholder_texts[at] if at < len(unit.placeholder_texts) else MASK)
        pos, at = m + 1, at + 1
    parts.append(unit.text[pos:end])
    return "".join(parts)
