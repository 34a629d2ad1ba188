"""The neutral value tree the data-file scanners (JSON, YAML, CSV) produce, and what the shape
readers pull out of it.

A scanner keeps the raw position of everything: mappings and sequences carry ``start``, and every
scalar is a ``Val`` holding its decoded value and the raw span of its token, so a shape reader can
point a problem at the offending value and the unit builder can map text back to the file.
"""
from __future__ import annotations

from typing import Any, Iterator, NamedTuple, Optional


class Val(NamedTuple):
    """A scalar: decoded ``value``, raw token span ``[start, end)``, and the scanner's ``style``
    (``json``, ``csv``, ``yaml:<style>``; empty for numbers, booleans and nulls: a JSON number's
    value is its text)."""

    value: Any
    start: int
    end: int
    style: str = ""


class Obj(dict):
    """A mapping with the raw offset where it starts."""

    __slots__ = ("start",)

    def __init__(self, start: int = 0):
        super().__init__()
        self.start = start


class Arr(list):
    """A sequence with the raw offset where it starts."""

    __slots__ = ("start",)

    def __init__(self, start: int = 0):
        super().__init__()
        self.start = start


class ScanError(ValueError):
    """A data file that does not parse; ``offset`` is where the problem is in the raw text."""

    def __init__(self, message: str, offset: int = 0):
        super().__init__(message)
        self.offset = offset


class ShapeError(ValueError):
    """A file that claims a known shape but breaks it (``"macros": 5``)."""

    def __init__(self, message: str, node: Any = None):
        super().__init__(message)
        self.offset = offset_of(node)


class Field(NamedTuple):
    """One text value a shape reader wants linted."""

    value: Val
    field: str
    #: ``text``, ``html`` or ``markdown``: how the decoded value is marked up.
    markup: str
    item_id: Optional[str] = None
    item_title: Optional[str] = None
    #: The item's usage counts and the like (``Item.meta``).
    item_meta: tuple = ()


def offset_of(node: Any) -> int:
    if isinstance(node, Val):
        return node.start
    return getattr(node, "start", 0) or 0


def text(node: Any) -> Optional[str]:
    """The string value of a string scalar (one a scanner read as text), else None."""
    if isinstance(node, Val) and node.style and isinstance(node.value, str):
        return node.value
    return None


def is_text(node: Any) -> bool:
    """A string scalar with something other than whitespace in it."""
    s = text(node)
    return s is not None and not s.isspace() and s != ""


def scalar(node: Any) -> Optional[str]:
    """Any scalar as a string (ids may be numbers), else None."""
    if isinstance(node, Val) and node.value is not None and not isinstance(node.value, bool):
        return str(node.value)
    return None


def get(node: Any, key: str) -> Any:
    return node.get(key) if isinstance(node, dict) else None


def objects(node: Any) -> Iterator[Obj]:
    """The mappings of a sequence (other entries are ignored)."""
    if isinstance(node, list):
        for item in node:
            if isinstance(item, dict):
                yield item


def plain(node: Any) -> Any:
    """The tree as plain Python values (for tests and debugging): JSON numbers, kept as their
    text, become numbers again."""
    if isinstance(node, dict):
        return {k: plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, Val):
        if isinstance(node.value, str) and not node.style:
            import json

            try:
                return json.loads(node.value)
            except ValueError:  # a YAML scalar no constructor took, or a number too long
                return node.value
        return node.value
    return node
