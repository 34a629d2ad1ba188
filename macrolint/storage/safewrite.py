"""Writing a user's file: whole or not at all, never through a link, never over other work.

Every file macrolint changes (a fixed macro, a baseline) goes through ``replace``. The new
bytes go to a temporary file created next to the target under a random name (``O_EXCL`` and
``O_NOFOLLOW``: a name planted in the folder is never opened), are synced to disk, and the
temporary is renamed over the target; the folder is synced after the rename where the
filesystem allows it. A failure at any step, a refusal, or SIGTERM / SIGINT / SIGHUP while the
temporary exists removes it, and leaves the target as it was.

What is refused (``WriteRefused``, whose reason is meant for the user):

- anything that is not a regular file (a FIFO, a device, a socket, a folder), always;
- a symbolic link: replacing it would turn the link into a copy, and writing through it would
  write wherever the link points, outside the files being fixed. ``force`` writes the file it
  points to (the link stays a link). A baseline path that is a link is treated the same: a
  link where a baseline is to be written is more likely planted than meant;
- a file with more than one hard link: the other names would keep the old text. ``force``
  replaces this name anyway;
- a read-only file (the owner's write bit is off, or we may not write it): ``force`` replaces
  it, and it stays read-only;
- a file whose owner the new copy cannot keep (another user's file, and we are not root):
  ``force`` writes it anyway, and it then belongs to us;
- a file that changed since it was read: its device, inode, size and modification time are
  compared with the ``FileStamp`` taken before reading, just before the rename. Another edit
  made while a fix runs is kept, not overwritten. The check narrows the window to the time
  between that last look and the rename; no POSIX call closes it.

A new file (``expected=None``: a baseline written for the first time) may not exist yet, or
be a regular file the rules above allow replacing. It gets the mode a plain ``open`` would
give it (0666 less the umask); a replaced file keeps its mode and its owner and group.

Only the last component of the path is examined: a folder reached through a link is where
the user pointed. Other metadata (ACLs, extended attributes) is not carried over.
"""
from __future__ import annotations

import atexit
import os
import signal
import stat
from contextlib import contextmanager
from typing import Iterator, NamedTuple, Optional

_CREATE_FLAGS = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
                 | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name))
_CHANGED = "it changed since it was read; left as it is"
_KINDS = ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))

#: Temporaries that exist right now: what a signal or the exit of the process removes.
_temporaries: set[str] = set()


class WriteRefused(Exception):
    """A file that was not written, and why (``reason``, worded for the user)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class FileStamp(NamedTuple):
    """What a file was when it was read: enough to tell whether it is still the same file."""

    device: int
    inode: int
    size: int
    mtime_ns: int
    mode: int
    uid: int
    gid: int
    nlink: int

    @classmethod
    def of(cls, path: str, follow_links: bool = False) -> "FileStamp":
        """The stamp of ``path`` itself (``os.lstat``), or of the file it links to."""
        return cls.of_stat(os.stat(path) if follow_links else os.lstat(path))

    @classmethod
    def of_fd(cls, fd: int) -> "FileStamp":
        """The stamp of an open file."""
        return cls.of_stat(os.fstat(fd))

    @classmethod
    def of_stat(cls, st: os.stat_result) -> "FileStamp":
        return cls(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_mode, st.st_uid, st.st_gid, st.st_nlink)

    def matches(self, now: "FileStamp") -> bool:
        """Whether ``now`` is the same file, not written since: device, inode, size and mtime agree."""
        return (self.device, self.inode, self.size, self.mtime_ns) == (now.device, now.inode, now.size, now.mtime_ns)


def replace(path: str, data: bytes, expected: Optional[FileStamp], force: bool = False) -> None:
    """Make ``data`` the content of ``path``, whole or not at all (see the module docs).

    ``expected`` is the stamp taken before the file was read, or None for a file written
    without reading it first. Raises ``WriteRefused``, never ``OSError``."""
    target = _target(path, force)
    current = _check(target, expected, force)
    folder = os.path.dirname(os.path.abspath(target))
    with _temporaries_removed_on_signal():
        tmp, fd = _create_temporary(folder, os.path.basename(target))
        try:
            try:
                _write_all(fd, data)
                _keep_owner_and_mode(fd, current, force)
                os.fsync(fd)
            finally:
                os.close(fd)
            _check(target, expected, force)
            os.replace(tmp, target)
        except BaseException as exc:
            _remove(tmp)
            if isinstance(exc, OSError):
                raise WriteRefused(f"cannot write it: {_why(exc)}") from None
            raise
        _temporaries.discard(tmp)
    _sync_folder(folder)


def _target(path: str, force: bool) -> str:
    """The file a write of ``path`` lands on: ``path``, or with ``force`` the file its link points to."""
    if not os.path.islink(path):
        return path
    if not force:
        raise WriteRefused("it is a symbolic link; --force-write writes the file it points to")
    return os.path.realpath(path)


def _check(target: str, expected: Optional[FileStamp], force: bool) -> Optional[os.stat_result]:
    """``target`` as it is now, if it may be replaced; None when there is no file yet and none was read."""
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        if expected is None:
            return None
        raise WriteRefused(_CHANGED) from None
    except OSError as exc:
        raise WriteRefused(f"cannot look at it: {_why(exc)}") from None
    if expected is not None and not expected.matches(FileStamp.of_stat(st)):
        raise WriteRefused(_CHANGED)
    if not stat.S_ISREG(st.st_mode):
        kind = next((name for test, name in _KINDS if test(st.st_mode)), "a special file")
        raise WriteRefused(f"it is {kind}, not a regular file")
    if force:
        return st
    if st.st_nlink > 1:
        raise WriteRefused(f"it has {st.st_nlink} hard links and the others would keep the old text; "
                           "--force-write replaces this one anyway")
    if not st.st_mode & stat.S_IWUSR or not os.access(target, os.W_OK):
        raise WriteRefused("it is read-only; --force-write writes it anyway (it stays read-only)")
    return st


def _create_temporary(folder: str, name: str) -> tuple[str, int]:
    """A new, empty file next to the target, under a name nobody can have planted."""
    tmp = os.path.join(folder, f".{name[:40]}.{os.urandom(8).hex()}.macrolint.tmp")
    _temporaries.add(tmp)  # before it exists: a signal right after the open still finds it
    try:
        return tmp, os.open(tmp, _CREATE_FLAGS, 0o600)
    except OSError as exc:
        _temporaries.discard(tmp)
        raise WriteRefused(f"cannot create a file in its folder: {_why(exc)}") from None


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _keep_owner_and_mode(fd: int, current: Optional[os.stat_result], force: bool) -> None:
    """Give the temporary the target's owner, group and mode (ownership first: chown clears setuid)."""
    if current is None:
        _chmod(fd, 0o666 & ~_umask())
        return
    mine = os.fstat(fd)
    if (mine.st_uid, mine.st_gid) != (current.st_uid, current.st_gid) and hasattr(os, "fchown"):
        try:
            os.fchown(fd, current.st_uid, current.st_gid)
        except OSError:
            if not force:
                raise WriteRefused(f"its owner (uid {current.st_uid}, gid {current.st_gid}) cannot be kept; "
                                   "--force-write writes it anyway, owned by you") from None
    _chmod(fd, stat.S_IMODE(current.st_mode))


def _chmod(fd: int, mode: int) -> None:
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)


def _umask() -> int:
    """The process's umask (reading it means setting it: put straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _sync_folder(folder: str) -> None:
    """Make the rename durable; some systems cannot open or sync a folder, and that is fine."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _remove(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass
    _temporaries.discard(tmp)


def _remove_temporaries() -> None:
    for tmp in list(_temporaries):
        _remove(tmp)


atexit.register(_remove_temporaries)  # a backstop: an exception or sys.exit mid-write already removes it


@contextmanager
def _temporaries_removed_on_signal() -> Iterator[None]:
    """While the block runs, a terminating signal removes the temporaries before it takes effect.

    A signal whose handler is Python's (SIGINT's KeyboardInterrupt, or the program's own) is
    passed to that handler: what it raises unwinds through ``replace``, which removes the
    temporary. A signal left to the system's default is re-delivered once the temporaries are
    gone and the default handler is back, so the process dies of it as it would have. Ignored
    signals stay ignored. Handlers can only be set from the main thread; elsewhere the exit
    handler is the only backstop."""
    previous: dict[int, object] = {}

    def on_signal(signum, frame) -> None:
        handler = previous[signum]
        if callable(handler):
            handler(signum, frame)
            return
        _remove_temporaries()
        signal.signal(signum, handler)
        os.kill(os.getpid(), signum)

    try:
        for signum in _SIGNALS:
            handler = signal.getsignal(signum)
            if handler in (signal.SIG_IGN, None):  # None: set outside Python, cannot be put back
                continue
            signal.signal(signum, on_signal)
            previous[signum] = handler
    except ValueError:  # not the main thread
        pass
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
