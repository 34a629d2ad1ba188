"""Readers turn a decoded file into ``Unit``s: the text to lint and its map to the raw file.

``read(path, raw, fmt, config)`` dispatches on the format; ``detect(path)`` picks a format from the
file name, ``sniff(raw)`` from the content when the name says nothing. Every reader masks
placeholders through ``masking.mask`` before handing units back. Data files (JSON, YAML, CSV) go
through ``structured``, which finds the text fields by the file's shape or by config.
"""
from __future__ import annotations

import os
from pathlib import PurePath
from typing import Any, Optional

from macrolint._lazy import LazyFunctions
from macrolint.readers.common import make_unit  # noqa: F401  (re-exported for readers of other formats)
from macrolint.text.document import Source

#: Formats whose whole file is prose (one or more units, never skipped): the reader of each,
#: imported when a file of that format is met (start-up stays fast).
READERS = LazyFunctions(__name__, {
    "text": ".text:read",
    "markdown": ".mdlib:read_markdown",
    "html": ".html:read",
    "tag": ".mdlib:read_tag",
    "rst": ".rst:read",
    "asciidoc": ".adoc:read",
})
#: Data formats (``structured.CONTAINERS``): parsed, and linted only where a known shape or config
#: names text fields.
DATA_FORMATS = ("json", "yaml", "csv")
EXTENSIONS = {
    ".txt": "text", ".text": "text",
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown", ".mdx": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".tag": "tag",
    ".rst": "rst", ".rest": "rst",
    ".adoc": "asciidoc", ".asciidoc": "asciidoc",
    ".json": "json",
    ".yaml": "yaml", ".yml": "yaml",
    ".csv": "csv", ".tsv": "csv",
}
FORMATS = (*READERS, *DATA_FORMATS)


def detect(path: str) -> Optional[str]:
    """The format of a file by its extension, or None when macrolint does not read it."""
    name = path[path.rfind("/") + 1:]
    if _PLAIN_PATHS and name not in ("", ".", ".."):
        # PurePath(path).suffix, without building a path object for every file
        i = name.rfind(".")
        return EXTENSIONS.get(name[i:].lower() if 0 < i < len(name) - 1 else "")
    return EXTENSIONS.get(PurePath(path).suffix.lower())


_PLAIN_PATHS = os.sep == "/" and not os.altsep


def sniff(raw: str) -> Optional[str]:
    """A data format recognised from the content (standard input, unknown extensions)."""
    if raw.lstrip()[:1] in ("{", "["):
        import json

        try:
            json.loads(raw)
        except (ValueError, RecursionError):  # not JSON, or nested too deep to be data we read
            return None
        return "json"
    return None


def read(path: str, raw: str, fmt: str, config: Any = None) -> Source:
    """Read decoded ``raw`` as ``fmt`` into a ``Source``."""
    if fmt in DATA_FORMATS:
        from macrolint.readers import structured

        return structured.read(path, raw, fmt, config)
    source = Source(path=path, raw=raw, format=fmt)
    reader = READERS[fmt]
    source.units = reader(raw, path) if fmt == "tag" else reader(raw)
    if fmt == "markdown":  # front matter marks help-center-as-code articles
        from macrolint.readers import markdown

        source.articles = markdown.front_matter(raw)[1] > 0
    elif fmt in ("rst", "asciidoc"):  # documentation markup: a help centre's article
        source.articles = True
    return source
