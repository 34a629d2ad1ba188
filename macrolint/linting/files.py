"""Files on disk: which ones a run lints (the folder walk, excludes) and how one is read.

A file is read by os-level calls (a file object costs more than the read itself for a short
reply), without blocking and only when it is a regular file: a FIFO or a link to a device that a
repository may plant is refused, not read until the run hangs or memory runs out. A file is read
no further than ``MAX_FILE_BYTES``, even one that grows meanwhile.
"""
from __future__ import annotations

import fnmatch
import os
import stat
from typing import Iterable, Iterator, Optional

from macrolint import readers
from macrolint.linting.ignorefiles import IgnoreFiles, ignored
from macrolint.packs.config import Config, ConfigError
from macrolint.text.paths import relative_forms

SKIP_DIRS = frozenset((".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox"))
#: Hidden folders that hold reply libraries (saved replies, label actions, bot commands).
CONTENT_DOT_DIRS = frozenset((".github", ".gitlab"))
#: Larger files get one IO002 diagnostic instead of being read (memory stays bounded per file).
MAX_FILE_BYTES = 256 * 1024 * 1024


class Unread(Exception):
    """A file that was not read: ``malformed`` for one over the size limit (IO002), else IO001."""

    def __init__(self, message: str, malformed: bool = False):
        super().__init__(message)
        self.message = message
        self.malformed = malformed


def read_bytes(path: str) -> bytes:
    """The bytes of the regular file at ``path``; ``Unread`` says why there are none."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                kind = next((name for test, name in _KINDS if test(st.st_mode)), "a special file")
                raise Unread(f"not a regular file ({kind}); not read")
            if st.st_size > MAX_FILE_BYTES:
                raise Unread(_too_large(st.st_size), malformed=True)
            data = read_all(fd, st.st_size, MAX_FILE_BYTES)
            if data is None:
                raise Unread(_too_large(MAX_FILE_BYTES + 1), malformed=True)
            return data
        finally:
            os.close(fd)
    except OSError as exc:
        what = " this folder (none of its files was linted)" if os.path.isdir(path) else ""
        raise Unread(f"cannot read{what}: {exc.strerror or exc}") from None


#: Opening never blocks: a FIFO planted where a file is expected opens at once (and is refused).
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


def read_all(fd: int, size: int, limit: int) -> Optional[bytes]:
    """The bytes of open file ``fd``, whose size was ``size``: one read when that is what it holds,
    else to the end (a file that grew or shrank meanwhile); None past ``limit`` bytes."""
    data = os.read(fd, size + 1)
    if len(data) == size:
        return data
    parts, total = [data], len(data)
    while data:
        if total > limit:
            return None
        data = os.read(fd, min(1 << 20, limit + 1 - total))
        parts.append(data)
        total += len(data)
    return b"".join(parts)


def _too_large(size: int) -> str:
    return (f"file is {size / 1e6:.1f} MB, over the {MAX_FILE_BYTES // (1024 * 1024)} MB limit; "
            "split the export into smaller files")


def is_excluded(path: str, config: Config) -> bool:
    """Whether ``exclude`` globs name ``path`` (relative to the config folder or the cwd)."""
    if not config.exclude:
        return False
    candidates = relative_forms(path, config.root)
    for glob in config.exclude:
        pats = {glob.rstrip("/"), glob[3:] if glob.startswith("**/") else glob}
        for c in candidates:
            if fnmatch.fnmatch(os.path.basename(path), glob) or any(fnmatch.fnmatch(c, g) or fnmatch.fnmatch(c, g + "/*") for g in pats):
                return True
    return False


def _safe(config_for):
    """A folder's config for the walk; a config that cannot be read excludes nothing (its files
    are then reported as not linted, ``IO006``)."""

    def of(path: str) -> Config:
        try:
            return config_for(path)
        except ConfigError:
            return Config()

    return of


def iter_files(paths: Iterable[str], config) -> Iterator[str]:
    """Files to lint: files as given, directories walked for known extensions, minus excludes
    and what ``.gitignore`` / ``.ignore`` files ignore (unless ``respect-gitignore = false``).
    A file named twice (``a.txt ./a.txt``, or a folder and a file in it) is linted once.
    ``config`` is one ``Config`` for every file, or a ``ConfigTree``: each folder's excludes are
    then those of its own config."""
    seen: set[str] = set()
    config_of = _safe(config.for_path) if hasattr(config, "for_path") else (lambda _path: config)

    def first_time(key: str) -> bool:
        """Whether the file with absolute, case-normalised name ``key`` is met for the first time."""
        if key in seen:
            return False
        seen.add(key)
        return True

    for path in paths:
        if os.path.isdir(path):
            # a folder that cannot be listed is handed on as a path of its own: reading it fails,
            # and its IO001 says its files were not linted (a walk would pass over it in silence)
            unlisted: list[OSError] = []
            ignores = IgnoreFiles() if config_of(path).respect_gitignore else None
            chains = {os.path.join(os.path.abspath(path), ""): ignores.start(path)} if ignores else {}
            for root, dirs, files in os.walk(path, onerror=unlisted.append):
                while unlisted:
                    yield unlisted.pop(0).filename
                here = config_of(root)
                absolute = os.path.join(os.path.abspath(root), "")
                chain = chains.pop(absolute, ()) if ignores else ()
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS
                                 and (not d.startswith(".") or d in CONTENT_DOT_DIRS)
                                 and not is_excluded(os.path.join(root, d), here)
                                 and not (chain and ignored(absolute + d, True, chain)))
                if ignores:
                    for d in dirs:
                        chains[os.path.join(absolute + d, "")] = ignores.enter(absolute + d, chain)
                # joined once a folder, not once a file (a walk of 100,000 files is run alongside
                # the workers, on the same cores)
                inside = os.path.join(root, "")
                where = os.path.normcase(absolute)
                for name in sorted(files):
                    if not readers.detect(name):
                        continue
                    full = inside + name
                    if chain and ignored(absolute + name, False, chain):
                        continue
                    if not is_excluded(full, here) and first_time(where + os.path.normcase(name)):
                        yield full
            yield from (error.filename for error in unlisted)
        elif not is_excluded(path, config_of(path)) and first_time(os.path.normcase(os.path.abspath(path))):
            yield path
