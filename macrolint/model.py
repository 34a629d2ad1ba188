"""The values every stage shares: severities, how far a fix may be trusted, fixes and
diagnostics. Rules are the packs' (``packs.model``), findings the matchers' (``matching.finding``)."""
from __future__ import annotations

from enum import IntEnum
from typing import NamedTuple, Optional

CATEGORIES = ("robotic", "blame", "jargon", "vague", "condescending")


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, name: str) -> "Severity":
        return cls[name.upper()]

    def __str__(self) -> str:
        return self.name.lower()


class Applicability(IntEnum):
    """How far a fix may be trusted; higher is safer."""

    SUGGEST = 0  # shown only: needs a human
    UNSAFE = 1   # applied with --unsafe-fixes: the voice or meaning may shift
    SAFE = 2     # applied by --fix: meaning preserved

    @classmethod
    def parse(cls, name: str) -> "Applicability":
        return {"suggest": cls.SUGGEST, "suggestion": cls.SUGGEST, "unsafe": cls.UNSAFE, "safe": cls.SAFE}[name]

    def __str__(self) -> str:
        return {0: "suggestion", 1: "unsafe", 2: "safe"}[int(self)]


class Edit(NamedTuple):
    """Replace ``[start, end)`` (offsets into the raw text) by ``content``."""

    start: int
    end: int
    content: str


class Fix(NamedTuple):
    edits: tuple[Edit, ...]
    applicability: Applicability
    title: str


class Diagnostic(NamedTuple):
    """A finding placed in its file: raw offsets, 1-based line/column, and its item."""

    path: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    name: str
    category: str
    severity: Severity
    message: str
    match: str
    confidence: float = 1.0
    suggestions: tuple[str, ...] = ()
    fix: Optional[Fix] = None
    item: Optional[dict] = None
    #: (line, column, end_line, end_column) of each fix edit, for reporters.
    edit_positions: tuple[tuple[int, int, int, int], ...] = ()
    #: Other rules that matched the same words; this finding is the most specific of them.
    related: tuple[str, ...] = ()
    #: The raw line of the match, for display; on a very long line (a minified export) only the
    #: part around the match, starting at column ``source_column``.
    source_line: str = ""
    source_column: int = 1

    # Where the match is shown from is not part of what was found.
    def __eq__(self, other: object) -> bool:
        if isinstance(other, Diagnostic):
            return self[:_COMPARED] == other[:_COMPARED]
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash(self[:_COMPARED])


#: The fields of a ``Diagnostic`` that say what was found (all but ``source_line``/``source_column``).
_COMPARED = len(Diagnostic._fields) - 2
