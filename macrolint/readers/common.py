"""Helpers shared by the readers."""
from __future__ import annotations

from typing import Callable, Optional, Sequence

from macrolint.text.document import Item, OffsetMap, Unit
from macrolint.text.masking import mask


def trimmed_span(m, group: str, chars: str = " \t") -> tuple[int, int]:
    """The span of ``group`` less a carriage return and then ``chars`` at its end: what a lazy
    ``(?P<group>[^\n]*?)[chars]*\r?$`` captures, without the backtracking that costs the square of
    a long line's length."""
    s, e = m.span(group)
    text = m.string
    if e > s and text[e - 1] == "\r":
        e -= 1
    while e > s and text[e - 1] in chars:
        e -= 1
    return s, e


def make_unit(view: str, omap: OffsetMap, item: Optional[Item] = None, encode: Callable[[str], str] = str,
              scopes: Sequence[tuple[int, int, str]] = ()) -> Unit:
    """Mask placeholders in a view and wrap it as a ``Unit`` (``scopes``: the reader's, in raw offsets)."""
    masked, masked_map, spans, at, texts = mask(view, omap)
    strings = [(a[1], b[0], "string") for a, b in zip(spans, spans[1:])
               if a[2] == "i18n-open" and b[2] == "i18n-close"]
    return Unit(masked, masked_map, item=item, encode=encode, placeholders=spans, masked_at=at,
                placeholder_texts=texts, scopes=tuple(sorted((*scopes, *strings))))
