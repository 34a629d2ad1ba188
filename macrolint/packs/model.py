"""Rules as a pack defines them: each ``match:`` entry, each example, the rule itself."""
from __future__ import annotations

from typing import NamedTuple, Optional

from macrolint.model import Applicability, Severity
from macrolint.packs.phrases import Phrase
from macrolint.text.scopes import DEFAULT_SCOPES, KINDS


class MatchEntry(NamedTuple):
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
    fuzzy_keys: Optional[tuple[tuple[str, tuple[str, ...]], ...]] = None
    #: Where the entry is in its rule file (0: not from a file).
    line: int = 0

    # The fields derived from the others, and where the entry was written, are not compared.
    def __eq__(self, other: object) -> bool:
        if isinstance(other, MatchEntry):
            return self[:6] == other[:6]
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash(self[:6])

    @property
    def source(self) -> str:
        return self.phrase.source if self.phrase else (self.pattern or "")


class Example(NamedTuple):
    kind: str  # bad | ok
    text: str
    good: Optional[str] = None
    format: str = "text"
    line: int = 0
    #: The exact text after this rule's fixes (safe and unsafe) are applied to ``text``.
    fixed: Optional[str] = None


class Rule(NamedTuple):
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
    #: In a help-centre article, the rule reports a match only where its sentence also holds one
    #: of these (``linting.judgment``): an article describes, and only some of its sentences promise.
    articles_need: tuple[Phrase, ...] = ()
    link: Optional[str] = None
    aliases: tuple[str, ...] = ()
    path: str = ""
    #: A code-backed check (``checks.CHECKS``) run instead of phrase matching.
    check: Optional[str] = None
    #: The scopes of a text the rule reads (``text.scopes.SCOPES``).
    scopes: tuple[str, ...] = DEFAULT_SCOPES
    #: The only audience the rule is for (``customers``: words a technical reader knows), or None: all.
    audience: Optional[str] = None
    #: The pack word classes a code-backed check looks words up in: (name, lower-cased words).
    words: tuple[tuple[str, frozenset[str]], ...] = ()
    #: The kinds of text the rule is for (``text.scopes.KINDS``).
    kinds: tuple[str, ...] = KINDS

    @property
    def best_fix(self) -> Applicability:
        """The most trusted fix any entry of the rule can apply."""
        return max((m.fix for m in self.matches if m.replace is not None), default=Applicability.SUGGEST)
