"""Plain text: the whole file is one unit."""
from __future__ import annotations

from ..document import OffsetMap, Unit
from .common import make_unit


def read(raw: str) -> list[Unit]:
    return [make_unit(raw, OffsetMap.identity(len(raw)))]
