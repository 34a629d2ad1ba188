"""A cache of loaded packs, so a pre-commit run does not re-read and re-expand every rule, and
of compiled patterns.

An entry holds a validated ``Pack`` and the description it was built for: macrolint's version,
the Python version and the name, size and modification time of every file in the pack folder.
The built-in packs expand to about 100,000 phrase forms, and a run that lints a few replies
needs a few hundred of them; so a literal phrase is stored as its forms grouped by head
(``forms.head``), each group marshalled apart after the pickled pack, mapped into memory and
decoded when a text first needs it. A stale, corrupt or unwritable cache is never an error: the
pack is simply loaded from its files.
The cache keeps the ``KEEP`` entries used last (an entry is touched when it is read) and removes
the others whenever it writes one, so entries of old versions and of deleted pack folders do not
pile up. Set ``MACROLINT_CACHE_DIR`` to move the cache, or ``MACROLINT_NO_CACHE=1`` to turn it off.

Compiled patterns (``compiled``): the ``regex`` module parses a pattern in Python, which takes
milliseconds for a long one (the benign contexts of a rule, a phrase with gaps), while a pickled
compiled pattern holds the compiled code and loads in a fraction of that. Every process of a run
needs the patterns its texts call for, so each one compiled is kept as its own ``rx-*.pickle``
entry, named by its source, flags and the versions of ``regex`` and Python, and holding the
source it was compiled from (checked on reading). The ``RX_KEEP`` entries used last are kept.
"""
from __future__ import annotations

import io
import marshal
import mmap
import os
import pickle
import sys
import time
import zlib
from pathlib import Path
from typing import Callable, Iterable, Mapping, Optional, Sequence, TypeVar

from . import __version__
from .forms import Grouped, TableGrouped
from .fuzzy import delete_table, fuzzy_anchors
from .phrases import Phrase

T = TypeVar("T")


def cache_dir() -> Optional[Path]:
    if os.environ.get("MACROLINT_NO_CACHE"):
        return None
    explicit = os.environ.get("MACROLINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "macrolint"


#: Entries kept in the cache folder (see ``_prune``).
KEEP = 32
#: Compiled patterns kept in the cache folder (see ``compiled``).
RX_KEEP = 2048
#: Raised whenever what a cached pack holds changes shape, so older entries are not reused.
FORMAT = 5
_HEADER = 16  # bytes: the lengths of the pickled part and of the form groups, little-endian


def describe(folder: Path) -> tuple[str, Optional[str]]:
    """The name of ``folder``'s cache entry, and a description of every file under it (relative
    path, size and mtime) that the entry must match; None when the folder cannot be read."""
    name = f"{__version__}|{FORMAT}|{sys.version_info[:2]}|{folder.resolve()}"
    parts = [name]
    top = len(os.path.join(folder, ""))
    try:
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for file in sorted(files):
                path = os.path.join(root, file)
                st = os.stat(path)
                parts.append(f"{path[top:]}:{st.st_size}:{st.st_mtime_ns}")
    except OSError:
        return "", None
    return f"pack-{zlib.crc32(name.encode()):08x}.cache", "|".join(parts)


def cached(folder: Path, build: Callable[[], T]) -> T:
    """``build()``'s result for ``folder``, from the cache when the folder is unchanged."""
    base = cache_dir()
    name, description = describe(folder) if base is not None else ("", None)
    if base is None or description is None:
        return build()
    path = base / name
    try:
        value = _read(path, description)
    except Exception:  # missing, stale, another format or corrupt: rebuild
        pass
    else:
        try:
            os.utime(path)  # used now: the last to go when the cache is pruned
        except OSError:
            pass
        return value
    value = build()
    _store(base, name, "pack", lambda fh: _write(fh, description, value))
    return value


def _prune(base: Path, kind: str) -> None:
    """Remove all but the ``KEEP`` (``RX_KEEP`` for compiled patterns) entries of ``kind`` used
    last (also those of older formats, and files left by writes that were cut off over an hour ago)."""
    keep = KEEP if kind == "pack" else RX_KEEP
    entries = []
    now = time.time()
    with os.scandir(base) as found:
        for e in found:
            if e.name.startswith(kind + "-") and e.name.endswith((".cache", ".pickle")):
                entries.append((e.stat().st_mtime, e.path))
            elif e.name.startswith(f".{kind}-") and e.name.endswith(".tmp") and now - e.stat().st_mtime > 3600:
                entries.append((0.0, e.path))
    entries.sort(reverse=True)
    for _, stale in entries[keep:]:
        try:
            os.unlink(stale)
        except OSError:
            pass


def _store(base: Path, name: str, kind: str, write: Callable[[object], None]) -> None:
    """Write a cache entry whole or not at all (a temporary file renamed into place); a cache
    that cannot be written is not an error."""
    import tempfile  # here: tempfile pulls in shutil, random, bz2 and lzma, and most runs only read

    tmp = None
    try:
        base.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=base, prefix=f".{kind}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.replace(tmp, base / name)
        if kind == "pack" or kind not in _PRUNED:
            _PRUNED.add(kind)
            _prune(base, kind)
    except Exception:  # read-only home, full disk: run uncached
        if tmp is not None:
            try:
                os.unlink(tmp)
            except Exception:
                pass


#: Kinds of entry pruned by this process already (compiled patterns are pruned once a process).
_PRUNED: set[str] = set()


def compiled(source: str, flags: int):
    """``regex.compile(source, flags)``, read from the cache when this pattern was compiled before
    with the same versions of ``regex`` and Python."""
    import regex

    base = cache_dir()
    if base is None:
        return regex.compile(source, flags)
    key = f"{regex.__version__}|{sys.version_info[:2]}|{flags}|{source}"
    name = f"rx-{zlib.crc32(key.encode('utf-8', 'surrogatepass')):08x}-{len(key):x}.pickle"
    path = base / name
    try:
        with open(path, "rb") as fh:
            stored, pattern = pickle.load(fh)
    except Exception:  # not compiled yet, or unreadable: compile it
        pass
    else:
        if stored == key and isinstance(pattern, regex.Pattern):
            try:
                os.utime(path)
            except OSError:
                pass
            return pattern
    pattern = regex.compile(source, flags)
    _store(base, name, "rx", lambda fh: pickle.dump((key, pattern), fh, protocol=pickle.HIGHEST_PROTOCOL))
    return pattern


def _read(path: Path, description: str):
    with open(path, "rb") as fh:
        header = fh.read(_HEADER)
        size, forms = int.from_bytes(header[:8], "little"), int.from_bytes(header[8:], "little")
        if os.fstat(fh.fileno()).st_size != _HEADER + size + forms:
            raise ValueError("truncated cache entry")
        unpickler = _Unpickler(io.BytesIO(fh.read(size)))
        stored, value = unpickler.load()
        if stored != description:
            raise ValueError("stale cache entry")
        if unpickler.used:
            unpickler.forms.attach(mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ), _HEADER + size)
    return value


def _write(fh, description: str, value) -> None:
    pickler = _Pickler()
    data = pickler.dumps((description, value), fuzzy_anchors(getattr(value, "rules", ())))
    fh.write(len(data).to_bytes(8, "little") + len(pickler.forms).to_bytes(8, "little"))
    fh.write(data)
    fh.write(pickler.forms)


class _Forms:
    """The marshalled form groups after the pickled part of a cache file, mapped when it is read.
    They end with two tables, then where each starts (8 bytes each): every stored phrase's heads
    (``{head: (phrase number, ...)}``), and the pack's near-variant anchor words with the
    one-letter deletions that find them (``(anchors, {deletion: anchors})``, see ``fuzzy``)."""

    __slots__ = ("_view", "_heads", "_deletes")

    def __init__(self) -> None:
        self._view: Optional[memoryview] = None
        self._heads: Optional[dict[str, tuple[int, ...]]] = None
        self._deletes: Optional[tuple[tuple[str, ...], dict[str, tuple[str, ...]]]] = None

    def attach(self, mapped: mmap.mmap, start: int) -> None:
        self._view = memoryview(mapped)[start:]

    def load(self, start: int, end: int):
        return marshal.loads(self._view[start:end])

    def _table(self, which: int):
        """Trailer table ``which``: 0 the heads, 1 the deletions (each ends where the next starts)."""
        view = self._view
        trailer = len(view) - 16
        heads, deletes = (int.from_bytes(view[at:at + 8], "little") for at in (trailer, trailer + 8))
        return self.load(*((heads, deletes), (deletes, trailer))[which])

    def heads(self) -> Mapping[str, tuple[int, ...]]:
        """Which stored phrases have forms under each head (see ``forms.Heads``)."""
        if self._heads is None:
            self._heads = self._table(0)
        return self._heads

    def deletes(self) -> tuple[tuple[str, ...], Mapping[str, tuple[str, ...]]]:
        """The pack's near-variant anchors and their deletion table (``fuzzy.delete_table``)."""
        if self._deletes is None:
            self._deletes = self._table(1)
        return self._deletes


class _Groups(Grouped):
    """A stored phrase's forms by head, from three kinds of blob, each decoded on first use: an
    index (``{head: (first, last, start, end)}`` and where the forms are, read for ``heads``),
    every form in head order (``keys`` slices it from ``first`` to ``last``), and each head's
    captures in that order (at ``start:end``, read for ``table``)."""

    __slots__ = ("_forms", "_at", "_number", "_spans", "_keys_at", "_keys", "_tables")

    def __init__(self, forms: _Forms, at: tuple[int, int], number: int):
        self._forms = forms
        self._at = at
        self._number = number
        self._spans: Optional[dict[str, tuple[int, int, int, int]]] = None
        self._keys_at = (0, 0)
        self._keys: Optional[tuple[str, ...]] = None
        self._tables: dict[str, dict[str, dict]] = {}

    def _where(self) -> dict[str, tuple[int, int, int, int]]:
        if self._spans is None:
            self._spans, self._keys_at = self._forms.load(*self._at)
        return self._spans

    def heads(self) -> Iterable[str]:
        return self._where()

    def filed(self) -> tuple[_Forms, int]:
        return self._forms, self._number

    def keys(self, head: str) -> Sequence[str]:
        first, last, _, _ = self._where()[head]
        if self._keys is None:
            self._keys = self._forms.load(*self._keys_at)
        return self._keys[first:last]

    def table(self, head: str) -> Mapping[str, dict]:
        found = self._tables.get(head)
        if found is None:
            _, _, start, end = self._where()[head]
            found = self._tables[head] = dict(zip(self.keys(head), self._forms.load(start, end)))
        return found


class StoredPhrase(Phrase):
    """A literal phrase read from the cache: its forms come as ``groups`` (see ``forms.grouped``),
    and the whole key table is put together only when something asks for ``segments``."""

    def __init__(self, source: str, forms: _Forms, start: int, end: int, number: int):
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "groups", _Groups(forms, (start, end), number))

    @property
    def segments(self) -> tuple[dict[str, dict[int, str]], ...]:  # type: ignore[override]
        table = self.__dict__.get("_table")
        if table is None:
            groups = self.groups
            table = {key: caps for h in groups.heads() for key, caps in groups.table(h).items()}
            object.__setattr__(self, "_table", table)
        return (table,)

    @property
    def is_literal(self) -> bool:
        return True

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Phrase):
            return self.source == other.source and self.segments == other.segments
        return NotImplemented

    def __reduce__(self):
        return Phrase, (self.source, self.segments)


class _Pickler(pickle.Pickler):
    """Pickles a pack with each literal phrase's form groups marshalled into ``forms``."""

    def __init__(self) -> None:
        self._out = io.BytesIO()
        super().__init__(self._out, protocol=pickle.HIGHEST_PROTOCOL)
        self.forms = bytearray()
        self._ref = _Forms()
        self._heads: dict[str, list[int]] = {}
        self._stored = 0

    def dumps(self, value, anchors: Iterable[str] = ()) -> bytes:
        self.dump(value)
        heads, _ = self._add({h: tuple(numbers) for h, numbers in self._heads.items()})
        anchors = tuple(sorted(set(anchors)))
        deletes, _ = self._add((anchors, delete_table(anchors)))
        self.forms += heads.to_bytes(8, "little") + deletes.to_bytes(8, "little")
        return self._out.getvalue()

    def persistent_id(self, obj):
        return "forms" if obj is self._ref else None

    def reducer_override(self, obj):
        if type(obj) is not Phrase or not obj.is_literal:
            return NotImplemented
        groups = TableGrouped(obj.segments[0])
        spans: dict[str, tuple[int, int, int, int]] = {}
        keys: list[str] = []
        for h in groups.heads():
            table = groups.table(h)
            spans[h] = (len(keys), len(keys) + len(table), *self._add(tuple(table.values())))
            keys.extend(table)
            self._heads.setdefault(h, []).append(self._stored)
        self._stored += 1
        return StoredPhrase, (obj.source, self._ref, *self._add((spans, self._add(tuple(keys)))), self._stored - 1)

    def _add(self, value) -> tuple[int, int]:
        start = len(self.forms)
        self.forms += marshal.dumps(value)
        return start, len(self.forms)


class _Unpickler(pickle.Unpickler):
    def __init__(self, fh) -> None:
        super().__init__(fh)
        self.forms = _Forms()
        self.used = False

    def persistent_load(self, pid):
        if pid != "forms":
            raise pickle.UnpicklingError(f"unknown reference {pid!r}")
        self.used = True
        return self.forms
