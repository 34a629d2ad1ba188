"""Plain text: the whole file is one unit."""
from __future__ import annotations

from macrolint.readers.common import make_unit
from macrolint.text.document import OffsetMap, Unit


def read(raw: str) -> list[Unit]:
    return [make_unit(raw, OffsetMap.identity(len(raw)))]
