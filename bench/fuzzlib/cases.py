"""What a fuzz case is, and how it is laid out on disk for a run.

A case is files (relative path -> bytes, or a special file), the paths and extra arguments of
the command line, what goes on standard input, and what the run must show. A run folder holds::

    files/            the working directory of the run, linted
      canary.txt      script-speak that must always be reported
      <case files>    (in a batch, each case in its own subfolder c00/, c01/, ...)
    cache/            $MACROLINT_CACHE_DIR, when the case brings its own cache
    marker/           where a malicious payload would leave its mark
    out/              the run's standard output and error

Contents and arguments may name the run's folders: ``@MARKER@`` is the marker file a payload
would create, ``@ROOT@`` the ``files`` folder.
"""
from __future__ import annotations

import os
import shutil
import socket
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Union

CANARY_NAME = "canary.txt"
CANARY_TEXT = b"Please be advised that we apologize for any inconvenience.\n"
#: The canary's findings; at least one must be in every report that lints it.
CANARY_RULES = frozenset({"RB001", "RB002"})
MARKER_NAME = "PWNED"


@dataclass(frozen=True)
class Fifo:
    """A named pipe nobody writes to: opening it for reading blocks."""


@dataclass(frozen=True)
class Socket:
    """A Unix socket, bound and closed: it cannot be opened."""


@dataclass(frozen=True)
class Folder:
    """An (empty) folder, for example one named ``x.json``."""


@dataclass(frozen=True)
class Link:
    """A symbolic link to ``target`` (absolute, relative to the link, or dangling)."""

    target: str


Entry = Union[bytes, Fifo, Socket, Folder, Link]
Name = Union[str, bytes]  # bytes for file names that are not valid UTF-8

#: What a case expects of a run.
LINT = "lint"      # the files are linted: the canary is reported
REFUSE = "refuse"  # the run stops with exit 2 and a message naming ``mention``
EITHER = "either"  # REFUSE, or LINT


@dataclass
class Case:
    family: str
    name: str
    files: dict = field(default_factory=dict)  # Name -> Entry, relative to the files folder
    #: Paths on the command line, relative to the files folder. "." walks the whole folder (the
    #: canary included); otherwise the canary is added after them.
    paths: tuple = (".",)
    args: tuple = ()  # extra arguments after ``--format json``
    #: Standard input: bytes to feed, "closed" (no file descriptor 0), or None (/dev/null).
    stdin: Union[bytes, str, None] = None
    expect: str = LINT
    mention: Optional[str] = None  # what an error message must name (REFUSE, EITHER)
    #: Files that hold script-speak and must each get a diagnostic: a finding or an input problem.
    loud: tuple = ()
    modes: dict = field(default_factory=dict)  # Name -> chmod bits, applied after writing
    #: ``(kind, seed)``: the run gets a private cache, filled and then corrupted (see runner).
    cache: Optional[tuple] = None
    unprivileged: bool = False  # file permissions must hold (root runs it without the capabilities to bypass them)
    git: bool = False  # the files folder is a git repository with everything committed
    #: The report goes to this file (relative to the files folder) instead of standard output.
    output: Optional[str] = None
    batch: bool = True  # may share a run with other cases (each in its own subfolder)
    #: Seconds: a cap on the run's timeout for cases that finish at once or hang.
    timeout: Optional[float] = None
    #: MB: a cap on the run's address space for cases with next to no input (one that reads a
    #: device then fails sooner).
    mem_limit_mb: Optional[int] = None
    core: bool = False  # part of the ``core`` budget (the test suite's)
    note: str = ""

    @property
    def id(self) -> str:
        return f"{self.family}/{self.name}"

    def size(self) -> int:
        """Bytes of input the case brings (regular files only)."""
        return sum(len(v) for v in self.files.values() if isinstance(v, bytes))

    def solo(self) -> bool:
        """Whether the case must have a run of its own."""
        return not self.batch


def fs_name(name: Name) -> bytes:
    return name if isinstance(name, bytes) else name.encode("utf-8", "surrogateescape")


def substitute(data: bytes, run: "RunDirs") -> bytes:
    if b"@" not in data:
        return data
    return data.replace(b"@MARKER@", fs_name(str(run.marker))).replace(b"@ROOT@", fs_name(str(run.files)))


def substitute_arg(arg: Name, run: "RunDirs") -> Name:
    if isinstance(arg, bytes):
        return substitute(arg, run)
    return arg.replace("@MARKER@", str(run.marker)).replace("@ROOT@", str(run.files))


@dataclass
class RunDirs:
    base: Path

    @property
    def files(self) -> Path:
        return self.base / "files"

    @property
    def cache(self) -> Path:
        return self.base / "cache"

    @property
    def state(self) -> Path:
        """``XDG_STATE_HOME`` of the run: where macrolint keeps the key its cache entries carry."""
        return self.base / "state"

    @property
    def marker(self) -> Path:
        return self.base / "marker" / MARKER_NAME

    @property
    def out(self) -> Path:
        return self.base / "out"

    def make(self) -> None:
        for d in (self.files, self.marker.parent, self.out):
            d.mkdir(parents=True, exist_ok=True)
        (self.files / CANARY_NAME).write_bytes(CANARY_TEXT)


def write_entries(root: Path, case: Case, run: RunDirs) -> None:
    """Write a case's files under ``root`` (a folder of ``run.files``), specials after regular files."""
    broot = fs_name(str(root))
    later = []
    for name, entry in case.files.items():
        path = os.path.join(broot, fs_name(name))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if isinstance(entry, bytes):
            with open(path, "wb") as fh:
                fh.write(substitute(entry, run))
        else:
            later.append((path, entry))
    for path, entry in later:
        if isinstance(entry, Fifo):
            os.mkfifo(path)
        elif isinstance(entry, Folder):
            os.makedirs(path, exist_ok=True)
        elif isinstance(entry, Link):
            os.symlink(entry.target, path)
        elif isinstance(entry, Socket):
            _make_socket(path)
    # deepest first, so a read-only folder is closed after what goes inside it
    for name, mode in sorted(case.modes.items(), key=lambda kv: -len(fs_name(kv[0]))):
        os.chmod(os.path.join(broot, fs_name(name)), mode)


def _make_socket(path: bytes) -> None:
    """Bind a Unix socket at ``path`` and close it, leaving the socket file behind."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        if len(path) < 100:
            sock.bind(path)
        else:  # a long temporary folder: bind by a relative name (socket paths are short)
            here = os.getcwd()
            os.chdir(os.path.dirname(path))
            try:
                sock.bind(os.path.basename(path))
            finally:
                os.chdir(here)
    finally:
        sock.close()


def remove_tree(path: Path) -> None:
    """Remove a run folder, including read-only folders and unreadable files inside it."""
    def retry(func, p, _exc):
        try:
            os.chmod(os.path.dirname(p) or ".", stat.S_IRWXU)
            if os.path.isdir(p) and not os.path.islink(p):
                os.chmod(p, stat.S_IRWXU)
            func(p)
        except OSError:
            pass

    if path.exists():
        for root, dirs, _ in os.walk(path):
            for d in dirs:
                full = os.path.join(root, d)
                if not os.path.islink(full):
                    try:
                        os.chmod(full, stat.S_IRWXU)
                    except OSError:
                        pass
        shutil.rmtree(path, onerror=retry)
