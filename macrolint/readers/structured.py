"""Data files (JSON, YAML, CSV): parse with positions, find the text fields, build units.

A file is read as a configured source when a ``[[tool.macrolint.sources]]`` glob names it, else
by the first known shape it fits (Zendesk, Freshdesk, Help Scout ... see ``shapes`` and
``gitshapes``). A file of no known shape is skipped, not linted as prose: a CI workflow or a
package manifest holds no customer-facing text. A file that does not parse, or that claims a
shape and breaks it, gets one problem at the offending position.
"""
from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

from macrolint.readers import csvscan, gitshapes, jsonscan, shapes, yamlscan
from macrolint.readers.common import make_unit
from macrolint.readers.html import encode as html_encode
from macrolint.readers.html import html_view
from macrolint.readers.markdown import markdown_view
from macrolint.readers.selectors import extract
from macrolint.readers.tree import Field, ScanError, ShapeError, Val
from macrolint.text.document import Item, OffsetMap, ReadProblem, Source, Unit, compose
from macrolint.text.paths import posix_path, relative_forms

MALFORMED = "IO002"
CONTAINERS: dict[str, Callable[..., Any]] = {
    "json": lambda raw, path: jsonscan.parse(raw),
    "yaml": lambda raw, path: yamlscan.parse(raw),
    "csv": csvscan.parse,
}
ALL_SHAPES = shapes.SHAPES + gitshapes.SHAPES


def configured_source(path: str, config: Any) -> Optional[Any]:
    """The ``sources`` entry of ``config`` whose glob names ``path``, if any."""
    specs = getattr(config, "sources", ()) if config is not None else ()
    if not specs:
        return None
    candidates = relative_forms(path, getattr(config, "root", None)) | {Path(path).name}
    for spec in specs:
        glob = posix_path(spec.glob)
        if any(fnmatch.fnmatch(c, glob) or (glob.startswith("**/") and fnmatch.fnmatch(c, glob[3:])) for c in candidates):
            return spec
    return None


def sniff(tree: Any, ctx: shapes.Context) -> Optional[tuple[shapes.Shape, list[Field]]]:
    """The first known shape the tree fits, with its fields."""
    for shape in ALL_SHAPES:
        fields = shape.read(tree, ctx)
        if fields is not None:
            return shape, fields
    return None


def _describe(tree: Any) -> str:
    if isinstance(tree, dict):
        keys = list(tree)[:5]
        more = ", ..." if len(tree) > 5 else ""
        return f"an object with keys {', '.join(keys)}{more}" if keys else "an empty object"
    if isinstance(tree, list):
        return f"a list of {len(tree)} entries"
    return "a single value"


def read(path: str, raw: str, fmt: str, config: Any = None) -> Source:
    """Read a data file into a ``Source``: units, or one problem, or a reason it was skipped."""
    source = Source(path=path, raw=raw, format=fmt)
    try:
        tree = CONTAINERS[fmt](raw, path)
    except ScanError as exc:
        source.problems.append(ReadProblem(MALFORMED, str(exc), exc.offset))
        return source
    spec = configured_source(path, config)
    try:
        if spec is not None:
            fields = extract(tree, spec.items, spec.text, spec.id, spec.title, spec.markup)
        else:
            ctx = shapes.Context(path=path, internal_notes=bool(getattr(config, "internal_notes", False)))
            found = sniff(tree, ctx)
            if found is None:
                source.skipped = (f"{_describe(tree)}: not a known macro, reply or article export "
                                  "(declare its text fields under [[tool.macrolint.sources]] to lint it)")
                return source
            shape, fields = found
            source.platform = shape.platform
            source.articles = shape.name.endswith("-articles")
    except ShapeError as exc:
        source.problems.append(ReadProblem(MALFORMED, f"unexpected {fmt.upper()} shape: {exc}", exc.offset))
        return source
    tree = found = None  # the fields hold what the units need: the parsed tree goes before they are built
    # a JSON string's text is decoded again from the raw file with its map: not kept twice meanwhile
    fields = [f._replace(value=f.value._replace(value=None)) if f.value.style == "json" else f for f in fields]
    source.units = LazyUnits(lambda: build_units(raw, fields))
    return source


class LazyUnits:
    """A data file's units, built as a pass over them reads them and built again by the next
    pass: linting an export of 60,000 macros holds one macro's unit at a time, not all of them."""

    __slots__ = ("_make",)

    def __init__(self, make: Callable[[], Iterator[Unit]]):
        self._make = make

    def __iter__(self) -> Iterator[Unit]:
        return iter(self._make())

    def __len__(self) -> int:
        return sum(1 for _ in self._make())

    def __bool__(self) -> bool:
        return next(iter(self), None) is not None

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, (list, tuple, LazyUnits)) else NotImplemented

    __hash__ = None  # type: ignore[assignment]


def value_view(raw: str, val: Val) -> tuple[str, OffsetMap]:
    """A string value's decoded text and its map into ``raw``, by the scanner that read it."""
    if val.style == "json":
        return jsonscan.string_view(raw, val)
    if val.style == "csv":
        return csvscan.cell_view(raw, val)
    return yamlscan.scalar_view(raw, val)


def value_encoder(raw: str, val: Val, json_encode: Callable[[str], str]) -> Callable[[str], str]:
    if val.style == "json":
        return json_encode
    if val.style == "csv":
        return csvscan.encoder(raw, val)
    return yamlscan.encoder(val)


def build_units(raw: str, fields: list[Field]) -> Iterator[Unit]:
    """One unit per field, the markup's view composed with the container's map."""
    seen: set[int] = set()
    json_encode = jsonscan.encoder(raw) if any(f.value.style == "json" for f in fields) else str
    for f in fields:
        if f.value.start in seen and f.value.end > f.value.start:
            continue  # a YAML alias, or a title picked twice
        seen.add(f.value.start)
        view, omap = value_view(raw, f.value)
        outer = value_encoder(raw, f.value, json_encode)
        encode = outer
        inner: list = []  # the markup's scopes, in offsets of the decoded value
        if f.markup == "html":
            inner_view, inner_map = html_view(view, scopes=inner)
            value_map, omap = omap, compose(inner_view, inner_map, omap)
            view = inner_view
            encode = (lambda o: (lambda t: o(html_encode(t))))(outer)
        elif f.markup == "markdown":
            inner_view, inner_map = markdown_view(view, scopes=inner)
            value_map, omap = omap, compose(inner_view, inner_map, omap)
            view = inner_view
        scopes = [(*value_map.raw_span(s, e), scope) for s, e, scope in inner] if inner else ()
        title = " ".join(f.item_title.split()) if f.item_title else None
        yield make_unit(view, omap, item=Item(f.item_id, title or None, f.field, f.item_meta), encode=encode, scopes=scopes)
