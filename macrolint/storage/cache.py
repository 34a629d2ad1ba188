"""The cache folder: where compiled packs (``matching.store``) and compiled patterns are kept
between runs, and how an entry is written, read back and pruned.

Set ``MACROLINT_CACHE_DIR`` to move the folder, or ``MACROLINT_NO_CACHE=1`` to turn caching off.
The entries of each kind used last are kept (an entry is touched when it is read) and the others
removed whenever one is written, so entries of old versions do not pile up. A cache that cannot
be read or written is never an error: the run does the work itself.

The folder is not trusted: a CI cache restored from another branch, a shared runner or a shared
home folder may hold anything. So an entry is only read when it is a regular file owned by this
user, reached without a link, and every entry is checked before it is used:

* a pack entry is plain values (``marshal``), read only when it carries a MAC made with this
  user's key (``key``), kept outside the cache folder (``matching.store``);
* a compiled pattern is the ``regex`` module's compiled code, which its C part trusts, so it is
  read back only when it carries such a MAC too; any other entry, planted or copied from
  another machine, is compiled afresh from its source (and written again under this key).
"""
from __future__ import annotations

import os
import stat
import sys
import time
from pathlib import Path
from typing import Any, Callable, Optional

try:  # the keyed BLAKE2 MAC, without importing OpenSSL for hashlib and hmac
    from _blake2 import blake2b
    from _operator import _compare_digest as compare_digest
except ImportError:  # pragma: no cover - a Python without these builtin modules
    from hashlib import blake2b
    from hmac import compare_digest

#: Entries of each kind kept in the cache folder (see ``prune``).
KEEP = {"pack": 32, "rx": 2048, "results": 16}
#: The largest entry read back (a planted file could be any size).
MAX_ENTRY = 256 * 1024 * 1024
_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
               | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
_KEY_BYTES = 32
_MAC_BYTES = 32
_RX_MAGIC = b"MLRX\x01"


class EntryRejected(ValueError):
    """A cache entry that is not read: not a regular file, another user's, too large, foreign."""


class EntryDamaged(EntryRejected):
    """An entry, or a part of one read as a run needs it, that fails its checks."""


def cache_dir() -> Optional[Path]:
    if os.environ.get("MACROLINT_NO_CACHE"):
        return None
    explicit = os.environ.get("MACROLINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "macrolint"


def open_entry(path: Path) -> tuple[int, os.stat_result]:
    """An open descriptor of a cache entry and its status, or ``OSError``/``EntryRejected``: a
    link is not followed, a FIFO does not block, and only this user's regular files are read."""
    fd = os.open(path, _OPEN_FLAGS)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise EntryRejected("not a regular file")
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            raise EntryRejected("written by another user")
        if st.st_size > MAX_ENTRY:
            raise EntryRejected("too large")
    except BaseException:
        os.close(fd)
        raise
    return fd, st


def read_entry(path: Path) -> bytes:
    """A whole (small) cache entry (see ``open_entry``); touched, so pruning keeps it."""
    fd, st = open_entry(path)
    try:
        chunks, left = [], st.st_size
        while left > 0:
            chunk = os.read(fd, left)
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        touch(fd)
        return b"".join(chunks)
    finally:
        os.close(fd)


def touch(fd: int) -> None:
    """Mark an entry as used now: the last to go when the cache is pruned."""
    try:
        os.utime(fd)
    except (OSError, NotImplementedError, TypeError):
        pass


def remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def store(base: Path, name: str, kind: str, write: Callable[[Any], None]) -> None:
    """Write a cache entry whole or not at all (a temporary file renamed into place); a cache
    that cannot be written is not an error."""
    import tempfile  # here: tempfile pulls in shutil, random, bz2 and lzma, and most runs only read

    tmp = None
    try:
        base.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=base, prefix=f".{kind}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.replace(tmp, base / name)
        tmp = None
        if kind == "pack" or kind not in _PRUNED:
            _PRUNED.add(kind)
            prune(base, kind)
    except Exception:  # read-only home, full disk: run uncached
        if tmp is not None:
            remove(tmp)


#: Kinds of entry pruned by this process already (compiled patterns are pruned once a process).
_PRUNED: set[str] = set()
#: Entries of earlier versions, pruned with the kind that replaced them (patterns were pickled).
_OLD_SUFFIXES = {"pack": (".cache", ".pickle"), "rx": (".pickle", ".rx"), "results": (".cache",)}


def prune(base: Path, kind: str) -> None:
    """Remove all but the ``KEEP[kind]`` entries of ``kind`` used last (also those of older
    formats, and files left by writes of that kind cut off over an hour ago)."""
    entries = []
    now = time.time()
    with os.scandir(base) as found:
        for e in found:
            if e.name.startswith(kind + "-") and e.name.endswith(_OLD_SUFFIXES[kind]):
                entries.append((e.stat(follow_symlinks=False).st_mtime, e.path))
            elif e.name.startswith(f".{kind}-") and e.name.endswith(".tmp") \
                    and now - e.stat(follow_symlinks=False).st_mtime > 3600:
                entries.append((0.0, e.path))
    entries.sort(reverse=True)
    for _, stale in entries[KEEP[kind]:]:
        remove(stale)


# -- the key ----------------------------------------------------------------------------------


def key_path() -> Path:
    """Where this user's cache key lives: beside the cache, never in it (a restored or shared
    cache folder must not bring the key that vouches for its entries)."""
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(base) / "macrolint" / "cache-key"


_KEY: list[Optional[bytes]] = []


def forget() -> None:
    """Forget what this process remembers: the key (read again on next use, as after
    ``XDG_STATE_HOME`` or the key file's permissions change) and which kinds were pruned."""
    _KEY.clear()
    _PRUNED.clear()


def key() -> Optional[bytes]:
    """This user's secret for MACs on cache entries, made on first use; None where it cannot be
    kept private (then nothing that needs it is cached). The key file must be this user's,
    readable by nobody else, in a folder only this user can write to."""
    if not _KEY:
        try:
            _KEY.append(_load_key(key_path()))
        except (OSError, EntryRejected):
            _KEY.append(None)
    return _KEY[0]


def _load_key(path: Path) -> bytes:
    folder = path.parent
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    _private(os.lstat(folder), writable_only=True)
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    fresh = os.urandom(_KEY_BYTES)
    tmp = folder / f".cache-key-{os.getpid()}-{fresh[:4].hex()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        os.write(fd, fresh)
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)  # never replaces a key another process made meanwhile
    except FileExistsError:
        pass
    finally:
        remove(str(tmp))
    return _read_key(path)


def _read_key(path: Path) -> bytes:
    fd = os.open(path, _OPEN_FLAGS)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size != _KEY_BYTES:
            raise EntryRejected("not a key file")
        _private(st, writable_only=False)
        data = os.read(fd, _KEY_BYTES)
    finally:
        os.close(fd)
    if len(data) != _KEY_BYTES:
        raise EntryRejected("short key")
    return data


def _private(st: os.stat_result, writable_only: bool) -> None:
    """``EntryRejected`` unless ``st`` is this user's and no one else may write (``writable_only``)
    or read and write it."""
    if not hasattr(os, "getuid"):
        return  # no POSIX owners: the user's profile folder is private already
    others = 0o022 if writable_only else 0o077
    if st.st_uid != os.getuid() or st.st_mode & others:
        raise EntryRejected("not private to this user")


def mac(secret: bytes, *parts, size: int = _MAC_BYTES) -> bytes:
    """A keyed BLAKE2b MAC of ``parts`` (each taken with its length, so no two lists of parts
    give the same input)."""
    h = blake2b(key=secret, digest_size=size)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.digest()


# -- compiled patterns ------------------------------------------------------------------------


def compiled(source: str, flags: int):
    """``regex.compile(source, flags)``, read back compiled when this user compiled the same
    pattern before with the same versions of ``regex`` and Python.

    The ``regex`` module parses a pattern in Python, which is slow for a long one (a benign
    context with gaps above all), while its compiled code loads in a small fraction of that
    time. That code is trusted by the module's C part, so an entry is only used when its
    MAC, made with ``key()`` over the pattern's identity and the code, checks out."""
    import regex

    base = cache_dir()
    secret = key() if base is not None else None
    if secret is None:
        return regex.compile(source, flags)
    ident = f"{regex.__version__}|{sys.version_info[:3]}|{flags}|{source}".encode("utf-8", "surrogatepass")
    name = f"rx-{blake2b(ident, digest_size=16).hexdigest()}.rx"
    path = base / name
    try:
        pattern = _load_pattern(read_entry(path), secret, ident)
    except Exception:  # not compiled yet, foreign, planted or corrupt: compile it
        pattern = None
    if pattern is not None and pattern.pattern == source:
        return pattern
    pattern = regex.compile(source, flags)
    import marshal

    code = marshal.dumps(pattern._pickled_data)
    store(base, name, "rx", lambda fh: fh.write(_RX_MAGIC + mac(secret, ident, code) + code))
    return pattern


def _load_pattern(data: bytes, secret: bytes, ident: bytes):
    """The compiled pattern an entry holds, if its MAC is this user's; else None."""
    import marshal

    from regex import _regex

    head = len(_RX_MAGIC) + _MAC_BYTES
    if not data.startswith(_RX_MAGIC) or len(data) < head:
        return None
    code = data[head:]
    if not compare_digest(data[len(_RX_MAGIC):head], mac(secret, ident, code)):
        return None
    return _regex.compile(*marshal.loads(code))
