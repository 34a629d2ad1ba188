"""Helpers shared by the readers."""
from __future__ import annotations

from typing import Callable, Optional

from ..document import Item, OffsetMap, Unit
from ..masking import mask


def make_unit(view: str, omap: OffsetMap, item: Optional[Item] = None, encode: Callable[[str], str] = str) -> Unit:
    """Mask placeholders in a view and wrap it as a ``Unit``."""
    masked, masked_map, spans, at = mask(view, omap)
    return Unit(masked, masked_map, item=item, encode=encode, placeholders=spans, masked_at=at)
