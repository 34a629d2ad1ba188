"""What the matchers report for one unit of text, before it is placed in its file."""
from __future__ import annotations

from typing import NamedTuple, Optional

from macrolint.model import Applicability
from macrolint.packs.model import Rule
from macrolint.text.document import Unit, unmasked


class Finding(NamedTuple):
    """What the engine reports for one unit, in view offsets."""

    rule: Rule
    start: int
    end: int
    confidence: float
    replacement: Optional[str]
    applicability: Applicability
    #: What to report as the match when the span is a masked placeholder (code checks).
    match: Optional[str] = None
    #: A rewrite a code check shows with the finding (fills ``{suggestion}`` in the message).
    suggestion: Optional[str] = None
    #: The codes of other rules that matched the same words (``linting.judgment.one_per_span``).
    related: tuple[str, ...] = ()
    #: A rewrite that keeps the clause after the match (``{rest}``): ``(head_end, tail_at, tail)``:
    #: ``replacement`` stands in for ``text[start:head_end]`` and ``tail`` goes in at ``tail_at``.
    tail: Optional[tuple[int, int, str]] = None

    def rewrite_text(self, unit: Unit) -> Optional[str]:
        """The rewrite as it will read, the kept clause included (its placeholders written out)."""
        if self.replacement is None or self.tail is None:
            return self.replacement
        head_end, tail_at, tail = self.tail
        return self.replacement + unmasked(unit, head_end, tail_at) + tail
