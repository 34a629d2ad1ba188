"""Readers turn a decoded file into ``Unit``s: the text to lint and its map to the raw file.

``read(path, raw, fmt)`` dispatches on the format; ``detect(path)`` picks a format from the file
name. Every reader masks placeholders through ``masking.mask`` before handing units back.
"""
from __future__ import annotations

from pathlib import PurePath
from typing import Callable, Optional

from ..document import Source, Unit
from . import html, markdown, text
from .common import make_unit  # noqa: F401  (re-exported for readers of other formats)

READERS: dict[str, Callable[[str], list[Unit]]] = {
    "text": text.read,
    "markdown": markdown.read,
    "html": html.read,
}
EXTENSIONS = {
    ".txt": "text", ".text": "text",
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
}
FORMATS = tuple(READERS)


def detect(path: str) -> Optional[str]:
    """The format of a file by its extension, or None when macrolint does not read it."""
    return EXTENSIONS.get(PurePath(path).suffix.lower())


def read(path: str, raw: str, fmt: str) -> Source:
    """Read decoded ``raw`` as ``fmt`` into a ``Source``."""
    source = Source(path=path, raw=raw, format=fmt)
    source.units = READERS[fmt](raw)
    return source
