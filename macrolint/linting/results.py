"""Results of unchanged files, kept between runs: a file whose bytes, settings, rule packs and
macrolint itself are all as they were costs a read, a hash and a lookup.

One entry in the cache folder (``storage.cache``) per *shelf*: everything that decides a file's
findings besides its bytes — macrolint's version and source files, the linter's config (with the
command line's overrides), the files of every pack it loads, the input format. On the shelf, each
path as given maps to its bytes' digest and what linting them gave. A changed byte, setting, rule
file or source file gives another digest or another shelf, so a result is never stale.

A shelf is read whole when a run starts and written whole (a temporary file renamed into place)
when it ends: two runs at once each write a shelf that is right for every file it holds, and the
later one wins. Like a pack entry, a shelf is plain values (``marshal``) read only when it carries
a MAC made with this user's key; results that depend on the clock (a file stopped by its time
budget, IO003) or on a fault of macrolint's (IO900) are not kept.
"""
from __future__ import annotations

import marshal
import os
import stat
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Sequence

from macrolint._version import __version__
from macrolint.model import Applicability, Diagnostic, Edit, Fix, Severity
from macrolint.storage.cache import (
    EntryDamaged,
    blake2b,
    cache_dir,
    compare_digest,
    key,
    mac,
    read_entry,
    store,
)

#: Raised whenever what a shelf holds changes shape.
FORMAT = 1
MAGIC = b"MLRS\x01"
KIND = "results"
_MAC = 32
#: Diagnostics that say nothing about the file's bytes: not kept.
_UNKEPT = frozenset(("IO003", "IO900"))


def _source_description() -> str:
    """macrolint's own files (sizes and modification times): a checkout edited without a new
    version number still gets fresh results. Read once a process, however many configs it has."""
    from macrolint.matching.store import code_description

    return code_description()


def shelf_name(config, fmt: Optional[str], pack_folders: Sequence[Path]) -> str:
    """The file name of the shelf for a linter with ``config``, reading ``fmt``, with the packs in
    ``pack_folders``."""
    from macrolint.matching.store import describe

    h = blake2b(digest_size=16)
    for part in (__version__, str(FORMAT), repr(tuple(config)), repr(fmt), _source_description(),
                 *(describe(folder)[1] or str(folder) for folder in pack_folders)):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return f"{KIND}-{h.hexdigest()}.cache"


def digest(data: bytes) -> bytes:
    return blake2b(data, digest_size=16).digest()


def _encode(d: Diagnostic) -> tuple:
    fix = None if d.fix is None else (tuple(tuple(e) for e in d.fix.edits), int(d.fix.applicability), d.fix.title)
    return (*d[:10], int(d.severity), *d[11:15], fix, d.item, *d[17:])


def _decode(t: tuple) -> Diagnostic:
    fix = None if t[15] is None else Fix(tuple(Edit(*e) for e in t[15][0]), Applicability(t[15][1]), t[15][2])
    return Diagnostic(*t[:10], Severity(t[10]), *t[11:15], fix, t[16], *t[17:])


class Shelf:
    """The kept results of one linter's settings: looked up by path and digest, added to as
    files are linted, written back once."""

    def __init__(self, base: Path, name: str, secret: bytes) -> None:
        self.base, self.name, self._secret = base, name, secret
        self._held: dict = {}
        self._added: dict = {}
        try:
            data = read_entry(base / name)
            if not data.startswith(MAGIC):
                raise EntryDamaged("not a results shelf")
            tag, payload = data[len(MAGIC):len(MAGIC) + _MAC], data[len(MAGIC) + _MAC:]
            if not compare_digest(tag, mac(secret, payload)):
                raise EntryDamaged("foreign or damaged")
            held = marshal.loads(payload)
            if isinstance(held, dict):
                self._held = held
        except Exception:  # missing, foreign, damaged: every file is linted afresh
            self._held = {}

    def get(self, path: str, data_digest: bytes) -> Optional[tuple[Optional[str], list[Diagnostic]]]:
        """``(why it was skipped, diagnostics)`` kept for ``path`` with these bytes, if any."""
        found = self._held.get(path)
        if found is None or found[0] != data_digest:
            return None
        try:
            return found[1], [_decode(t) for t in found[2]]
        except Exception:  # a shape this code does not read
            return None

    def put(self, path: str, data_digest: bytes, skipped: Optional[str], diagnostics: list[Diagnostic]) -> None:
        if any(d.rule in _UNKEPT for d in diagnostics):
            return
        entry = (data_digest, skipped, tuple(_encode(d) for d in diagnostics))
        try:
            marshal.dumps(entry)  # an item field marshal cannot write: not kept
        except ValueError:
            return
        self._added[path] = entry

    def save(self) -> None:
        if not self._added:
            return
        payload = marshal.dumps({**self._held, **self._added})
        tag = mac(self._secret, payload)
        store(self.base, self.name, KIND, lambda fh: fh.write(MAGIC + tag + payload))


class ResultsCache:
    """The shelves of one run, one per linter (each config's linter has its own)."""

    def __init__(self, base: Path, secret: bytes) -> None:
        self.base, self._secret = base, secret
        self._shelves: dict[int, Optional[Shelf]] = {}

    @classmethod
    def open(cls) -> Optional["ResultsCache"]:
        """The run's results cache; None when caching is off (``MACROLINT_NO_CACHE``) or the
        folder or key cannot be had."""
        base = cache_dir()
        secret = key() if base is not None else None
        return cls(base, secret) if base is not None and secret is not None else None

    def shelf(self, linter, fmt: Optional[str]) -> Optional[Shelf]:
        """The shelf of ``linter``'s settings (None for a stand-in of an unusable config)."""
        if id(linter) not in self._shelves:
            if getattr(linter, "unusable", False):
                self._shelves[id(linter)] = None
            else:
                name = shelf_name(linter.config, fmt, linter.pack_folders())
                self._shelves[id(linter)] = Shelf(self.base, name, self._secret)
        return self._shelves[id(linter)]

    def save(self) -> None:
        for shelf in self._shelves.values():
            if shelf is not None:
                shelf.save()


def read_bytes(path: str) -> Optional[tuple[bytes, tuple[int, int]]]:
    """A regular file's bytes for its digest, with its size and modification time; None when it
    cannot be read or is no regular file (a FIFO would block the run; the linter reads and
    reports it as it does uncached)."""
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except (OSError, ValueError):
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None
        chunks = []
        while True:
            chunk = os.read(fd, max(st.st_size + 1, 65536))
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks), (st.st_size, st.st_mtime_ns)
    except OSError:
        return None
    finally:
        os.close(fd)


def lint_kept(cache: Optional[ResultsCache], linter_for: Callable[[str], object], files: Iterable[str],
              fmt: Optional[str], jobs: int) -> Iterator[tuple[str, Optional[str], list[Diagnostic]]]:
    """``parallel.lint_files_with``, with the results of unchanged files taken from ``cache``
    (and those of the others kept there): every file's ``(path, skipped, diagnostics)``, in
    order, as they come."""
    from macrolint.linting.parallel import lint_files_with

    if cache is None:
        yield from lint_files_with(linter_for, files, fmt, jobs)
        return
    order: list[str] = []
    kept: dict[str, tuple[Optional[str], list[Diagnostic]]] = {}
    pending: dict[str, tuple[Shelf, bytes, tuple[int, int]]] = {}

    def todo() -> Iterator[str]:
        for path in files:
            order.append(path)
            shelf = cache.shelf(linter_for(path), fmt)
            read = read_bytes(path) if shelf is not None else None
            if read is None:
                yield path
                continue
            data, stamp = read
            data_digest = digest(data)
            found = shelf.get(path, data_digest)
            if found is not None:
                kept[path] = found
                continue
            pending[path] = (shelf, data_digest, stamp)
            yield path

    done = 0
    for path, skipped, diagnostics in lint_files_with(linter_for, todo(), fmt, jobs):
        while order[done] != path:  # kept results of the files before this one
            yield (order[done], *kept.pop(order[done]))
            done += 1
        done += 1
        if path in pending:
            shelf, data_digest, stamp = pending.pop(path)
            if _stamp(path) == stamp:  # not changed while it was linted
                shelf.put(path, data_digest, skipped, diagnostics)
        yield path, skipped, diagnostics
    for path in order[done:]:
        yield (path, *kept.pop(path))


def _stamp(path: str) -> Optional[tuple[int, int]]:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_size, st.st_mtime_ns
