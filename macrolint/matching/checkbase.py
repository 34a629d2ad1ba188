"""What every code-backed check is handed and gives back, and the registry of checks by name
(``checks`` registers the placeholder checks, ``wordchecks`` those that read words)."""
from __future__ import annotations

from types import MappingProxyType
from typing import Callable, Iterable, Mapping, NamedTuple, Optional

from macrolint.text.document import Unit


class Placeholder(NamedTuple):
    """A placeholder as checks see it."""

    pos: int        # view offset of its masked character
    start: int      # raw span
    end: int
    kind: str       # masking family: liquid, liquid-tag, intercom, slot, ...
    text: str       # decoded text, e.g. {{ticket.requester.first_name}}


class CheckInput(NamedTuple):
    """What every check of a unit is handed (made once a unit, like ``Placeholder``)."""

    unit: Unit
    platform: Optional[str]
    placeholders: tuple[Placeholder, ...]
    #: The text is a help-center article, where ``<SSID>`` or ``XXXXXX`` stand for the reader's own value.
    article: bool = False
    #: The word classes the rule names under ``words:`` (name -> lower-cased words).
    words: Mapping[str, frozenset] = MappingProxyType({})


class Hit(NamedTuple):
    start: int
    end: int
    #: What to report as the match when the span is a masked placeholder.
    match: Optional[str] = None
    #: A rewrite shown with the finding (fills ``{suggestion}`` in the rule's message).
    suggestion: Optional[str] = None


#: Checks on how words are written, not which: their findings stand beside others on the same words
#: (``linting.judgment.one_per_span``), so “PLEASE UTILIZE THE PORTAL” keeps the fix for “utilize”.
BESIDE = frozenset({"shouting"})

CheckFn = Callable[[CheckInput], Iterable[Hit]]
CHECKS: dict[str, CheckFn] = {}


def check(name: str) -> Callable[[CheckFn], CheckFn]:
    """Register a check function under ``name`` (the value of a rule's ``check:`` key)."""

    def register(fn: CheckFn) -> CheckFn:
        CHECKS[name] = fn
        return fn

    return register
