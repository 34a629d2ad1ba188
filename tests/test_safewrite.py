"""Writing user files: whole or not at all, never through a link, never over another edit, and
no temporary left behind, whatever stops the write."""
from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time

import pytest
from click.testing import CliRunner

from macrolint.cli import main
from macrolint.fixing import apply as fixer
from macrolint.storage.safewrite import FileStamp, WriteRefused, replace
from tests.conftest import ROOT, fail_creating_files_in

BAD = "Please be advised that it shipped.\n"
FIXED = "It shipped.\n"
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX links, modes and signals")


def leftovers(*folders) -> list[str]:
    return sorted(p.name for folder in folders for p in folder.iterdir() if p.name.endswith(".macrolint.tmp"))


def mode(path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def fix(*args):
    """``macrolint fix ARGS`` in this process; an exception (a traceback) fails the test."""
    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:  # click 8.2+: stderr is kept apart already
        runner = CliRunner()
    return runner.invoke(main, ["fix", *map(str, args)], env={"NO_COLOR": "1"}, catch_exceptions=False)


@pytest.fixture
def repo(tmp_path):
    """A folder with a config of its own (the core pack only) and one reply to fix."""
    (tmp_path / ".macrolint.toml").write_text('packs = ["core"]\n')
    (tmp_path / "reply.txt").write_text(BAD)
    return tmp_path


# -- replace --------------------------------------------------------------------------------------

def test_replace_writes_the_whole_file_and_keeps_its_mode(tmp_path):
    path = tmp_path / "reply.txt"
    path.write_text(BAD)
    path.chmod(0o640)
    replace(str(path), FIXED.encode(), FileStamp.of(str(path)))
    assert path.read_text() == FIXED and mode(path) == 0o640
    assert leftovers(tmp_path) == []


def test_a_new_file_gets_the_mode_a_plain_open_would_give(tmp_path):
    old = os.umask(0o027)
    try:
        replace(str(tmp_path / "new.json"), b"{}\n", None)
    finally:
        os.umask(old)
    assert (tmp_path / "new.json").read_bytes() == b"{}\n" and mode(tmp_path / "new.json") == 0o640


def test_a_link_is_refused_and_force_writes_the_file_it_points_to(tmp_path):
    (tmp_path / "target.txt").write_text(BAD)
    link = tmp_path / "reply.txt"
    link.symlink_to("target.txt")
    with pytest.raises(WriteRefused, match="symbolic link"):
        replace(str(link), FIXED.encode(), FileStamp.of(str(link)))
    assert (tmp_path / "target.txt").read_text() == BAD and os.readlink(link) == "target.txt"
    replace(str(link), FIXED.encode(), FileStamp.of(str(link), follow_links=True), force=True)
    assert (tmp_path / "target.txt").read_text() == FIXED and os.readlink(link) == "target.txt"


def test_a_link_swapped_in_after_the_read_is_not_followed(tmp_path):
    path = tmp_path / "reply.txt"
    path.write_text(BAD)
    stamp = FileStamp.of(str(path), follow_links=True)
    (tmp_path / "victim.txt").write_text("keep me\n")
    path.unlink()
    path.symlink_to("victim.txt")
    for force in (False, True):
        with pytest.raises(WriteRefused):
            replace(str(path), FIXED.encode(), stamp, force=force)
    assert (tmp_path / "victim.txt").read_text() == "keep me\n" and os.readlink(path) == "victim.txt"


def test_a_hard_linked_file_is_refused_unless_forced(tmp_path):
    path, other = tmp_path / "reply.txt", tmp_path / "copy.txt"
    path.write_text(BAD)
    os.link(path, other)
    with pytest.raises(WriteRefused, match="2 hard links"):
        replace(str(path), FIXED.encode(), FileStamp.of(str(path)))
    assert path.read_text() == other.read_text() == BAD
    replace(str(path), FIXED.encode(), FileStamp.of(str(path)), force=True)
    assert path.read_text() == FIXED and other.read_text() == BAD  # forced: this name only


def test_a_read_only_file_is_refused_unless_forced_and_stays_read_only(tmp_path):
    """The owner's write bit decides, so this holds for root too (who may write any file)."""
    path = tmp_path / "reply.txt"
    path.write_text(BAD)
    path.chmod(0o444)
    with pytest.raises(WriteRefused, match="read-only"):
        replace(str(path), FIXED.encode(), FileStamp.of(str(path)))
    assert path.read_text() == BAD
    replace(str(path), FIXED.encode(), FileStamp.of(str(path)), force=True)
    assert path.read_text() == FIXED and mode(path) == 0o444


@pytest.mark.skipif(not AS_ROOT, reason="giving a file to another user needs root")
def test_owner_and_group_are_kept(tmp_path):
    path = tmp_path / "reply.txt"
    path.write_text(BAD)
    os.chown(path, 12345, 23456)
    path.chmod(0o2640)  # setgid survives: the owner is set before the mode
    replace(str(path), FIXED.encode(), FileStamp.of(str(path)))
    st = os.lstat(path)
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (12345, 23456, 0o2640)
    assert path.read_text() == FIXED


@pytest.mark.skipif(not AS_ROOT, reason="giving a file to another user needs root")
def test_an_owner_that_cannot_be_kept_is_refused_unless_forced(tmp_path, monkeypatch):
    path = tmp_path / "reply.txt"
    path.write_text(BAD)
    os.chown(path, 12345, 12345)

    def not_permitted(fd, uid, gid):
        raise PermissionError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(os, "fchown", not_permitted)  # what a user other than root meets
    with pytest.raises(WriteRefused, match=r"owner \(uid 12345, gid 12345\) cannot be kept"):
        replace(str(path), FIXED.encode(), FileStamp.of(str(path)))
    assert path.read_text() == BAD and leftovers(tmp_path) == []
    replace(str(path), FIXED.encode(), FileStamp.of(str(path)), force=True)
    assert path.read_text() == FIXED and os.lstat(path).st_uid == os.geteuid()


def test_a_file_changed_since_it_was_read_is_left_as_it_is(tmp_path):
    path = tmp_path / "reply.txt"
    path.write_text(BAD)
    stamp = FileStamp.of(str(path))
    with open(path, "a") as fh:
        assert FileStamp.of_fd(fh.fileno()) == stamp
        fh.write("An edit made meanwhile.\n")
    with pytest.raises(WriteRefused, match="changed since it was read"):
        replace(str(path), FIXED.encode(), stamp, force=True)
    assert path.read_text() == BAD + "An edit made meanwhile.\n" and leftovers(tmp_path) == []
    path.unlink()
    with pytest.raises(WriteRefused, match="changed since it was read"):
        replace(str(path), FIXED.encode(), stamp)
    assert not path.exists()


def test_what_is_not_a_regular_file_is_refused_even_when_forced(tmp_path, monkeypatch):
    real_replace = os.replace

    def guarded(src, dst):  # should the refusal fail, /dev/null is still not replaced
        assert not str(dst).startswith("/dev/"), dst
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", guarded)
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "folder").mkdir()
    (tmp_path / "null").symlink_to(os.devnull)
    for name, kind in (("fifo", "a FIFO"), ("folder", "a folder"), ("null", "a device")):
        path = str(tmp_path / name)
        for expected in (FileStamp.of(path, follow_links=True), None):
            with pytest.raises(WriteRefused, match=f"it is {kind}, not a regular file"):
                replace(path, b"x", expected, force=True)
    assert stat.S_ISFIFO(os.lstat(tmp_path / "fifo").st_mode) and stat.S_ISCHR(os.stat(os.devnull).st_mode)
    assert leftovers(tmp_path) == []


def test_an_unwritable_folder_is_a_refusal_not_an_error(tmp_path, monkeypatch):
    path = tmp_path / "reply.txt"
    path.write_text(BAD)
    fail_creating_files_in(tmp_path, monkeypatch, errno.EROFS)
    with pytest.raises(WriteRefused, match="cannot create a file in its folder: Read-only file system"):
        replace(str(path), FIXED.encode(), FileStamp.of(str(path)))
    assert path.read_text() == BAD


@pytest.mark.parametrize("step", ["write", "fsync"])
def test_a_failed_write_leaves_the_file_and_no_temporary(tmp_path, monkeypatch, step):
    path = tmp_path / "reply.txt"
    path.write_text(BAD)

    def full(*args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, step, full)
    with pytest.raises(WriteRefused, match="cannot write it: No space left on device"):
        replace(str(path), FIXED.encode(), FileStamp.of(str(path)))
    monkeypatch.undo()
    assert path.read_text() == BAD and leftovers(tmp_path) == []


def test_an_interrupted_write_leaves_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "reply.txt"
    path.write_text(BAD)

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        replace(str(path), FIXED.encode(), FileStamp.of(str(path)))
    assert path.read_text() == BAD and leftovers(tmp_path) == []


def test_the_previous_signal_handlers_are_back_after_a_write(tmp_path):
    before = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    replace(str(tmp_path / "new.txt"), b"x", None)
    assert {s: signal.getsignal(s) for s in before} == before


_CHILD = textwrap.dedent("""
    import os, signal, sys, time
    from macrolint.storage.safewrite import FileStamp, replace

    signal.signal(signal.SIGINT, signal.default_int_handler)  # as when run from a terminal
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    target, ready = sys.argv[1:]

    def slow_fsync(fd):  # the write stops here, with its temporary on disk
        open(ready, "w").close()
        time.sleep(60)

    os.fsync = slow_fsync
    try:
        replace(target, b"new text\\n", FileStamp.of(target))
    except KeyboardInterrupt:
        sys.exit(130)
""")


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, -signal.SIGTERM), (signal.SIGHUP, -signal.SIGHUP),
                                          (signal.SIGINT, 130)])
def test_a_signal_in_the_middle_of_a_write_leaves_no_temporary(tmp_path, signum, code):
    """The process still dies of the signal (or of KeyboardInterrupt), the file is as it was."""
    folder = tmp_path / "replies"
    folder.mkdir()
    target = folder / "reply.txt"
    target.write_text(BAD)
    ready = tmp_path / "ready"
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(target), str(ready)], cwd=ROOT)
    try:
        deadline = time.monotonic() + 30
        while not ready.exists():
            assert child.poll() is None and time.monotonic() < deadline, "the child never reached the write"
            time.sleep(0.02)
        assert len(leftovers(folder)) == 1  # what the signal has to clean up
        child.send_signal(signum)
        assert child.wait(timeout=30) == code
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert leftovers(folder) == [] and target.read_text() == BAD


# -- macrolint fix --------------------------------------------------------------------------------

def test_fix_refuses_a_link_and_force_write_fixes_its_target(tmp_path):
    (tmp_path / ".macrolint.toml").write_text('packs = ["core"]\n')
    (tmp_path / "outside").mkdir()
    target = tmp_path / "outside" / "target.txt"
    target.write_text(BAD)
    (tmp_path / "repo").mkdir()
    link = tmp_path / "repo" / "reply.txt"
    link.symlink_to("../outside/target.txt")
    result = fix(link)
    assert result.exit_code == 1
    assert f"{link}: not written: it is a symbolic link; --force-write writes the file it points to" in result.stderr
    assert target.read_text() == BAD and os.readlink(link) == "../outside/target.txt"
    assert "Fixed 0, remaining 1." in result.stdout
    result = fix("--force-write", link)
    assert result.exit_code == 0 and "Fixed 1, remaining 0." in result.stdout
    assert target.read_text() == FIXED and os.readlink(link) == "../outside/target.txt"
    assert leftovers(tmp_path / "repo", tmp_path / "outside") == []


def test_fix_refuses_a_hard_linked_file_unless_forced(repo):
    path, other = repo / "reply.txt", repo / "copy.txt"
    os.link(path, other)
    result = fix(path)
    assert result.exit_code == 1 and f"{path}: not written: it has 2 hard links" in result.stderr
    assert path.read_text() == other.read_text() == BAD
    assert fix("--force-write", path).exit_code == 0
    assert path.read_text() == FIXED and other.read_text() == BAD


def test_fix_refuses_a_read_only_file_unless_forced(repo):
    path = repo / "reply.txt"
    path.chmod(0o444)
    result = fix(path)
    assert result.exit_code == 1 and f"{path}: not written: it is read-only" in result.stderr
    assert path.read_text() == BAD
    assert fix("--force-write", path).exit_code == 0
    assert path.read_text() == FIXED and mode(path) == 0o444


def test_fix_keeps_the_mode(repo):
    path = repo / "reply.txt"
    path.chmod(0o640)
    assert fix(path).exit_code == 0
    assert path.read_text() == FIXED and mode(path) == 0o640


@pytest.mark.skipif(not AS_ROOT, reason="giving a file to another user needs root")
def test_fix_keeps_the_owner(repo):
    path = repo / "reply.txt"
    os.chown(path, 12345, 23456)
    assert fix(path).exit_code == 0
    st = os.lstat(path)
    assert path.read_text() == FIXED and (st.st_uid, st.st_gid) == (12345, 23456)


def test_an_edit_made_while_a_fix_runs_is_kept(repo, monkeypatch):
    path = repo / "reply.txt"
    real_fix_text = fixer.fix_text

    def fix_text_while_someone_edits(*args, **kwargs):
        result = real_fix_text(*args, **kwargs)
        with open(path, "a") as fh:
            fh.write("Someone else's edit.\n")
        return result

    monkeypatch.setattr(fixer, "fix_text", fix_text_while_someone_edits)
    result = fix(path)
    assert result.exit_code == 1
    assert f"{path}: not written: it changed since it was read; left as it is" in result.stderr
    assert path.read_text() == BAD + "Someone else's edit.\n" and leftovers(repo) == []


def test_fix_in_an_unwritable_folder_reports_the_file(repo, monkeypatch):
    path = repo / "reply.txt"
    fail_creating_files_in(repo, monkeypatch)
    result = fix(path)
    assert result.exit_code == 1
    assert f"{path}: not written: cannot create a file in its folder: Permission denied" in result.stderr
    assert path.read_text() == BAD


@pytest.mark.skipif(AS_ROOT, reason="root may write in a read-only folder")
def test_fix_in_a_read_only_folder_reports_the_file(repo):
    path = repo / "reply.txt"
    repo.chmod(0o555)
    try:
        result = fix(path)
    finally:
        repo.chmod(0o755)
    assert result.exit_code == 1 and f"{path}: not written: cannot create a file in its folder" in result.stderr
    assert path.read_text() == BAD
