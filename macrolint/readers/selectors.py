"""Field selectors for data files a team declares in config (``[[tool.macrolint.sources]]``).

A selector is a dotted path through the value tree: ``name`` steps into a mapping key, ``name[]``
or ``[]`` steps into every element of a list, ``*`` into every value of a mapping. In ``id`` and
``title``, ``@key`` names the mapping key (or list index) an item was reached by::

    [[tool.macrolint.sources]]
    glob = "exports/*.json"
    items = "items[]"          # each reply (default: every row of a CSV, else the whole file)
    text = ["reply", "note"]   # fields of an item to lint
    id = "id"
    title = "name"
    markup = "html"            # text, html or markdown (default text)
"""
from __future__ import annotations

import re
from typing import Any, Iterator, Optional

from macrolint.readers.tree import Field, ShapeError, Val, is_text, scalar

_SEGMENT = re.compile(r"^(?:(?P<name>[^.\[\]*@]+)?(?P<each>\[\])?|(?P<star>\*)|(?P<key>@key))$")


def check(path: str) -> Optional[str]:
    """A problem with a selector's syntax, or None."""
    if path in ("", "."):
        return None
    for seg in path.split("."):
        m = _SEGMENT.match(seg)
        if not seg or not m:
            return f'"{seg}" in "{path}" is not a key, key[], [], * or @key'
    return None


#: Values one path may reach: YAML aliases can make a small file a very wide tree.
MAX_REACHED = 1_000_000


def walk(node: Any, path: str, key: Any = None) -> Iterator[tuple[Any, Any]]:
    """Every ``(key, node)`` the path reaches from ``node``; ``ShapeError`` past ``MAX_REACHED``."""
    if path in ("", "."):
        yield key, node
        return
    current = [(key, node)]
    for seg in path.split("."):
        m = _SEGMENT.match(seg)
        nxt = []
        for k, n in current:
            if len(nxt) > MAX_REACHED:
                raise ShapeError(f'"{path}" reaches more than {MAX_REACHED:,} values', node)
            if m.group("star"):
                if isinstance(n, dict):
                    nxt.extend(n.items())
                continue
            if m.group("key"):
                nxt.append((k, Val(str(k), 0, 0) if k is not None else None))
                continue
            if m.group("name"):
                if not isinstance(n, dict) or m.group("name") not in n:
                    continue
                k, n = m.group("name"), n[m.group("name")]
            if m.group("each"):
                if isinstance(n, list):
                    nxt.extend(enumerate(n))
                continue
            nxt.append((k, n))
        current = nxt
    yield from current


def _first_scalar(node: Any, path: Optional[str], key: Any) -> Optional[str]:
    if not path:
        return None
    for _, n in walk(node, path, key):
        value = scalar(n)
        if value is not None:
            return value
    return None


def extract(tree: Any, items: Optional[str], texts: tuple[str, ...], id_path: Optional[str],
            title_path: Optional[str], markup: str) -> list[Field]:
    """The fields a configured source names; raises ``ShapeError`` when nothing matches."""
    if items is None:
        items = "[]" if isinstance(tree, list) else ""
    found = list(walk(tree, items))
    if not found:
        raise ShapeError(f'the configured items path "{items}" matches nothing in this file', tree)
    out: list[Field] = []
    reached = False
    for key, item in found:
        rid = _first_scalar(item, id_path, key)
        title = _first_scalar(item, title_path, key)
        if title_path and title_path != "@key":
            for _, n in walk(item, title_path, key):
                if is_text(n) and n.end > n.start:
                    out.append(Field(n, "title", "text", rid, title))
        for path in texts:
            name = path.rsplit(".", 1)[-1].rstrip("[]") or "text"
            for _, n in walk(item, path, key):
                reached = True
                if is_text(n):
                    out.append(Field(n, name, markup, rid, title))
    if not reached:
        first = found[0][1]
        seen = f" (the first has {', '.join(map(str, list(first)[:8]))})" if isinstance(first, dict) and first else ""
        names = ", ".join(f'"{t}"' for t in texts)
        raise ShapeError(f"none of the {len(found)} items has the configured text field {names}{seen}; "
                         "check [[sources]] text", tree)
    return out
