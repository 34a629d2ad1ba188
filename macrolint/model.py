"""The immutable values that flow through macrolint: rules, findings, fixes and diagnostics."""
from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING, Optional

from macrolint._records import field, record

if TYPE_CHECKING:  # the values name phrases; the pack layer above makes them
    from macrolint.packs.phrases import Phrase

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


@record(frozen=True)
class MatchEntry:
    """One ``match:`` entry of a rule: a phrase or a regex, with an optional rewrite."""

    phrase: Optional[Phrase]
    pattern: Optional[str]
    replace: Optional[str]
    fix: Applicability
    fuzzy: bool
    anchors: tuple[str, ...] = ()
    #: The few forms compared for near-variants, each with its anchor words
    #: (``matching.nearvariant.targets_of``), as the pack cache carries them; None: worked out
    #: when needed. Derived from ``phrase``, so left out of comparisons.
    fuzzy_keys: Optional[tuple[tuple[str, tuple[str, ...]], ...]] = field(default=None, compare=False)

    @property
    def source(self) -> str:
        return self.phrase.source if self.phrase else (self.pattern or "")


@record(frozen=True)
class Example:
    kind: str  # bad | ok
    text: str
    good: Optional[str] = None
    format: str = "text"
    line: int = 0


@record(frozen=True)
class Rule:
    code: str
    name: str
    pack: str
    category: str
    severity: Severity
    status: str
    summary: str
    why: str
    message: str
    matches: tuple[MatchEntry, ...]
    suggest: tuple[str, ...]
    examples: tuple[Example, ...]
    exceptions: tuple[Phrase, ...] = ()
    unless_before: tuple[Phrase, ...] = ()
    unless_after: tuple[Phrase, ...] = ()
    unless_sentence: tuple[Phrase, ...] = ()
    link: Optional[str] = None
    aliases: tuple[str, ...] = ()
    path: str = ""
    #: A code-backed check (``checks.CHECKS``) run instead of phrase matching.
    check: Optional[str] = None

    @property
    def best_fix(self) -> Applicability:
        """The most trusted fix any entry of the rule can apply."""
        return max((m.fix for m in self.matches if m.replace is not None), default=Applicability.SUGGEST)


@record(frozen=True)
class Edit:
    """Replace ``[start, end)`` (offsets into the raw text) by ``content``."""

    start: int
    end: int
    content: str


@record(frozen=True)
class Fix:
    edits: tuple[Edit, ...]
    applicability: Applicability
    title: str


@record(frozen=True)
class Finding:
    """What the engine reports for one unit, in view offsets."""

    rule: Rule
    start: int
    end: int
    confidence: float
    replacement: Optional[str]
    applicability: Applicability


@record(frozen=True)
class Diagnostic:
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
    #: The raw line of the match, for display; on a very long line (a minified export) only the
    #: part around the match, starting at column ``source_column``.
    source_line: str = field(default="", compare=False)
    source_column: int = field(default=1, compare=False)
