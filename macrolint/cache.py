"""A cache of loaded packs, so a pre-commit run does not re-read and re-expand every rule.

Entries are pickles of validated ``Pack`` objects, keyed by macrolint's version, the Python
version and the name, size and modification time of every file in the pack folder. A stale,
corrupt or unwritable cache is never an error: the pack is simply loaded from its files.
Set ``MACROLINT_CACHE_DIR`` to move the cache, or ``MACROLINT_NO_CACHE=1`` to turn it off.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Callable, Optional, TypeVar

from . import __version__

T = TypeVar("T")


def cache_dir() -> Optional[Path]:
    if os.environ.get("MACROLINT_NO_CACHE"):
        return None
    explicit = os.environ.get("MACROLINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "macrolint"


#: Raised whenever what a cached pack holds changes shape, so older entries are not reused.
FORMAT = 2


def folder_key(folder: Path) -> Optional[str]:
    """A digest of every file's relative path, size and mtime under ``folder``."""
    h = hashlib.sha256(f"{__version__}|{FORMAT}|{sys.version_info[:2]}|{folder.resolve()}".encode())
    try:
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(files):
                st = os.stat(os.path.join(root, name))
                rel = os.path.relpath(os.path.join(root, name), folder)
                h.update(f"|{rel}:{st.st_size}:{st.st_mtime_ns}".encode())
    except OSError:
        return None
    return h.hexdigest()[:32]


def cached(folder: Path, build: Callable[[], T]) -> T:
    """``build()``'s result for ``folder``, from the cache when the folder is unchanged."""
    base = cache_dir()
    key = folder_key(folder) if base is not None else None
    if base is None or key is None:
        return build()
    path = base / f"pack-{key}.pickle"
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except Exception:  # missing, stale format or corrupt: rebuild
        pass
    value = build()
    try:
        base.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=base, prefix=".pack-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except Exception:  # read-only home, full disk: run uncached
        try:
            os.unlink(tmp)  # type: ignore[possibly-undefined]
        except Exception:
            pass
    return value
