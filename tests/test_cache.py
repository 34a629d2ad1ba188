"""The cache folder: unchanged packs load from it, edited ones are re-read, and nothing in it is
trusted: a planted pickle runs nothing, a damaged or foreign entry changes no result."""
from __future__ import annotations

import os
import pickle
import random
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from macrolint.linting.linter import Linter
from macrolint.linting.rules import read_pack
from macrolint.matching import store as packcache
from macrolint.matching.formtable import FormTable
from macrolint.packs.config import Config
from macrolint.storage import cache
from tests.conftest import ROOT, write_pack
from tests.test_packs import GOOD_RULE

#: One rule of each kind the cache stores differently: a literal phrase with a capture and a
#: literal context, a near-variant phrase with a spelling variant, a phrase with a gap, a
#: pattern with contexts.
TEAM_RULES = {
    "thing-says.yaml": GOOD_RULE.replace("replace: I can see", 'replace: "I can see it {1}"')
                                .replace("suggest:", 'exceptions: ["if the thing says"]\nsuggest:'),
    "stock-apology.yaml": """\
        id: TM002
        name: stock-apology
        category: robotic
        summary: Flags a stock apology.
        why: It apologises for nothing in particular.
        message: "“{match}” is a stock apology."
        match:
          - phrase: we apologize for any inconvenience caused
        examples:
          - bad: We apologize for any inconvenience caused.
          - ok: We apologize for the late parcel.
        """,
    "no-owner.yaml": """\
        id: TM003
        name: no-owner
        category: vague
        summary: Flags a reply with no owner.
        why: Nobody owns it.
        message: "“{match}” has no owner."
        match:
          - phrase: (someone|somebody) ... will get back to you
        examples:
          - bad: Someone from billing will get back to you.
          - ok: I will get back to you.
        """,
    "thing-insists.yaml": """\
        id: TM004
        name: thing-insists
        category: blame
        summary: Flags the thing insisting.
        why: Blame.
        message: "“{match}” blames the thing."
        match:
          - pattern: '\\bthing (?:insists|claims)\\b'
        exceptions: ["if the thing claims"]
        unless_sentence: ["re:\\\\bby \\\\d"]
        examples:
          - bad: The thing insists.
          - ok: The thing claims it by 5 pm.
        """,
}
TEXT = ("The thing said no. If the thing says so, fine. We apologise for any inconvienence caused. Someone in billing will get back "
        "to you. The thing insists. If the thing claims so, fine. The thing claims it by 5 pm.")


def team_pack(tmp_path: Path) -> Path:
    return write_pack(tmp_path / "team", TEAM_RULES, "pack: team\nprefixes: [TM]\nvariants: {apologize: [apologise]}\n")


def findings(folder: Path) -> list[tuple]:
    linter = Linter(Config(packs=(str(folder),)))
    return [(d.rule, d.start, d.end, d.confidence, d.suggestions) for d in linter.lint_text(TEXT)]


@pytest.fixture
def base(tmp_path, monkeypatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv("MACROLINT_CACHE_DIR", str(folder))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    cache.forget()
    yield folder
    monkeypatch.undo()  # the suite's own cache folder and key again
    cache.forget()


def test_cache_hit_and_invalidation(tmp_path, base):
    folder = write_pack(tmp_path / "team", {"thing-says.yaml": GOOD_RULE})
    first = read_pack(folder)
    assert list(base.glob("pack-*.cache"))
    assert read_pack(folder) == first
    rule = folder / "thing-says.yaml"
    rule.write_text(GOOD_RULE.replace("Flags", "Catches"))
    os.utime(rule, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    assert read_pack(folder).rules[0].summary.startswith("Catches")


def test_a_cached_pack_is_not_used_by_other_code(tmp_path, base, monkeypatch):
    # a checkout edited without a new version number (the default scopes, the loader) must not
    # read packs built by the code before it
    folder = write_pack(tmp_path / "team", {"thing-says.yaml": GOOD_RULE})
    name, before = packcache.describe(folder)
    monkeypatch.setattr(packcache, "code_description", lambda: "other code")
    again, after = packcache.describe(folder)
    assert name == again and before != after


def test_a_cached_pack_equals_the_built_one_and_finds_the_same(tmp_path, base, monkeypatch):
    folder, expected, entry, pristine = warm_entry(tmp_path, base, monkeypatch)
    monkeypatch.setenv("MACROLINT_NO_CACHE", "1")
    built = read_pack(folder)
    monkeypatch.delenv("MACROLINT_NO_CACHE")
    assert {f[0] for f in expected} == {"TM001", "TM002", "TM003", "TM004"}
    assert pristine.startswith(packcache.MAGIC)
    assert read_pack(folder) == built
    assert findings(folder) == expected


def test_corrupt_or_unwritable_cache_is_ignored(tmp_path, base, monkeypatch):
    folder = write_pack(tmp_path / "team", {"thing-says.yaml": GOOD_RULE})
    read_pack(folder)
    for entry in base.glob("pack-*.cache"):
        entry.write_bytes(b"not a cache entry")
    assert read_pack(folder).rules[0].code == "TM001"
    monkeypatch.setenv("MACROLINT_CACHE_DIR", str(tmp_path / "file-not-dir"))
    (tmp_path / "file-not-dir").write_text("x")
    assert read_pack(folder).rules[0].code == "TM001"


class _Plant:
    """A pickle that, were it ever unpickled, would create ``marker``."""

    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


@pytest.mark.slow
def test_a_planted_pickle_runs_nothing(tmp_path, base):
    """Every entry of a warm cache replaced by a pickle that would create a file, and the names
    earlier versions read too: a run reads none of them as code and reports as without a cache."""
    reply = tmp_path / "reply.txt"
    reply.write_text((ROOT / "fixtures" / "text" / "billing-replies.txt").read_text(encoding="utf-8"), encoding="utf-8")
    env = {**os.environ, "MACROLINT_CACHE_DIR": str(base), "XDG_STATE_HOME": str(tmp_path / "state")}

    def run(extra_env=None) -> str:
        done = subprocess.run([sys.executable, "-m", "macrolint", "check", str(reply), "--format", "json"],
                              capture_output=True, text=True, env={**env, **(extra_env or {})}, cwd=tmp_path)
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        return done.stdout

    expected = run()  # fills the cache: packs and compiled patterns
    marker = tmp_path / "planted-code-ran"
    payload = pickle.dumps(_Plant(str(marker)))
    names = [p.name for p in base.iterdir()] + ["pack-00000000.pickle", "rx-00000000-10.pickle"]
    assert any(n.startswith("rx-") for n in names) and any(n.startswith("pack-") for n in names)
    for name in names:
        (base / name).write_bytes(payload)
    assert run() == expected  # every entry rebuilt, none read
    assert not marker.exists()


def warm_entry(tmp_path: Path, base: Path, monkeypatch) -> tuple[Path, list, Path, bytes]:
    """The team pack, what it finds without a cache, and its cache entry with that entry's bytes."""
    folder = team_pack(tmp_path)
    monkeypatch.setenv("MACROLINT_NO_CACHE", "1")
    expected = findings(folder)
    monkeypatch.delenv("MACROLINT_NO_CACHE")
    read_pack(folder)
    (entry,) = base.glob("pack-*.cache")
    return folder, expected, entry, entry.read_bytes()


def worked_out(monkeypatch) -> list:
    """Records every phrase whose forms are worked out from its source (a group failed its check)."""
    calls: list = []
    real = FormTable.compiled
    monkeypatch.setattr(FormTable, "compiled", lambda self, n: calls.append(self.sources[n]) or real(self, n))
    return calls


def _flip(data: bytes, rng: random.Random, lo: int = 0) -> bytes:
    """Random damage at or after ``lo``: flipped bits, a truncation, or a stretch overwritten."""
    out = bytearray(data)
    how = rng.randrange(3)
    if how == 0:
        for _ in range(rng.randint(1, 8)):
            out[rng.randrange(lo, len(out))] ^= 1 << rng.randrange(8)
    elif how == 1:
        del out[rng.randrange(lo, len(out)):]
    else:
        at = rng.randrange(lo, len(out))
        size = min(rng.randint(1, 64), len(out) - at)
        out[at:at + size] = bytes(rng.randrange(256) for _ in range(size))
    return bytes(out)


def test_random_corruption_changes_no_result(tmp_path, base, monkeypatch):
    """Damage anywhere in a pack entry (header, pack part, form groups, trailer) is caught: the
    run finds what it finds without a cache, and never fails. Damage to a form group is found
    only once a text needs the group, so the run works that phrase out from its source."""
    folder, expected, entry, pristine = warm_entry(tmp_path, base, monkeypatch)
    from_source = worked_out(monkeypatch)
    rng = random.Random(20261207)
    for trial in range(200):
        entry.write_bytes(_flip(pristine, rng, 0 if trial % 2 else _groups_start(pristine)))
        assert findings(folder) == expected, trial
    assert len(from_source) > 20  # the form groups' own checks were put to work
    entry.write_bytes(pristine)
    assert findings(folder) == expected


def _groups_start(data: bytes) -> int:
    return packcache.regions(data)["groups"][0]


def _decodes(monkeypatch) -> list:
    """Records every pack part decoded (only a vouched-for entry gets that far)."""
    reads: list = []
    real = packcache.decode
    monkeypatch.setattr(packcache, "decode", lambda *a: reads.append(1) or real(*a))
    return reads


def test_an_entry_written_under_another_key_is_not_read(tmp_path, base, monkeypatch):
    """A sound entry from another machine or user (a CI cache restored from another branch) is
    not vouched for by this user's key: the pack is read from its files and the entry rewritten."""
    folder = team_pack(tmp_path)
    expected = findings(folder)
    (entry,) = base.glob("pack-*.cache")
    foreign = entry.read_bytes()
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "another-home"))
    cache.forget()
    reads = _decodes(monkeypatch)
    assert findings(folder) == expected and not reads
    assert entry.read_bytes() != foreign
    assert findings(folder) == expected and reads  # the rewritten entry is this user's


def test_a_rewritten_group_changes_no_result(tmp_path, base, monkeypatch):
    """A form group changed on disk fails its MAC when a text needs it: the phrase's forms are
    worked out from its source, and the entry is removed."""
    import marshal

    folder, expected, entry, pristine = warm_entry(tmp_path, base, monkeypatch)
    _, pack, forms, _ = marshal.loads(pristine[slice(*packcache.regions(pristine)["pack"])])
    sources, _, parts, _ = forms
    stored = [(sources[m[0][1]], *parts[m[0][1]]) for rule in pack[4] for m in rule[9] if m[0] and m[0][0] == "L"]
    assert stored
    from_source = worked_out(monkeypatch)
    at = _groups_start(pristine)
    for source, start, end in stored:
        damaged = bytearray(pristine)
        damaged[at + end - 1] ^= 0x01  # the group's last byte: its MAC no longer fits
        entry.write_bytes(bytes(damaged))
        from_source.clear()
        assert findings(folder) == expected, source
        assert source in from_source and not entry.exists(), source


def test_entries_that_are_links_fifos_or_another_users_are_not_read(tmp_path, base, monkeypatch):
    folder = write_pack(tmp_path / "team", {"thing-says.yaml": GOOD_RULE})
    built = read_pack(folder)
    (entry,) = base.glob("pack-*.cache")
    elsewhere = tmp_path / "elsewhere.cache"
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)
    reads = _decodes(monkeypatch)
    assert read_pack(folder) == built and not reads  # the link is not followed...
    assert entry.is_file() and not entry.is_symlink()  # ...and is replaced by an entry of its own
    entry.unlink()
    os.mkfifo(entry)
    assert read_pack(folder) == built  # a FIFO does not block the run
    if os.geteuid() == 0:
        read_pack(folder)
        os.chown(entry, 12345, 12345)
        reads.clear()
        assert read_pack(folder) == built and not reads


def test_cache_keeps_the_entries_used_last(tmp_path, base, monkeypatch):
    """Old entries (other versions, deleted pack folders, cut-off writes) do not pile up; the
    entries in use stay."""
    monkeypatch.setattr(cache, "KEEP", {"pack": 3, "rx": 2048})
    base.mkdir()
    long_ago = time.time() - 7200
    for name in ("pack-old1.cache", "pack-old2.pickle", ".pack-cut.tmp", "pack-old3.cache", "notes.txt"):
        (base / name).write_bytes(b"x")
        os.utime(base / name, (long_ago, long_ago))
    fresh_tmp = base / ".pack-writing.tmp"
    fresh_tmp.write_bytes(b"x")  # another process may be writing it right now
    used = write_pack(tmp_path / "used", {"thing-says.yaml": GOOD_RULE})
    read_pack(used)
    (used_entry,) = set(base.glob("pack-*.cache")) - {base / "pack-old1.cache", base / "pack-old3.cache"}
    os.utime(used_entry, (long_ago + 10, long_ago + 10))
    assert read_pack(used).rules[0].code == "TM001"  # read from the cache, which touches it
    read_pack(write_pack(tmp_path / "other", {"thing-says.yaml": GOOD_RULE}))
    left = sorted(p.name for p in base.iterdir())
    assert used_entry.name in left and "notes.txt" in left and ".pack-writing.tmp" in left
    assert ".pack-cut.tmp" not in left and len([n for n in left if n.startswith("pack-")]) == 3


# -- compiled patterns --------------------------------------------------------------------------

SOURCE = r"(?<!\w)(?:we will (?:be|get) (?:in touch|back to you))(?!\w)"
SAMPLE = "Thanks! We will be in touch; we WILL get back to you."


def _no_compile(monkeypatch):
    import regex

    def no_compile(*args, **kwargs):
        raise AssertionError("compiled again")

    monkeypatch.setattr(regex, "compile", no_compile)


def test_compiled_patterns_are_kept_and_read_back(base, monkeypatch):
    """A pattern compiled once is read back compiled (the parser does not run again) and finds
    the same matches."""
    import regex

    flags = regex.IGNORECASE | regex.V0
    first = cache.compiled(SOURCE, flags)
    (entry,) = base.glob("rx-*.rx")
    with monkeypatch.context() as m:
        _no_compile(m)
        again = cache.compiled(SOURCE, flags)
    assert again is not first and again.pattern == SOURCE and again.flags == first.flags
    assert [m.span() for m in again.finditer(SAMPLE)] == [m.span() for m in first.finditer(SAMPLE)] == [(8, 27), (29, 52)]
    assert cache.compiled(SOURCE, 0).pattern == SOURCE  # other flags: another entry
    assert len(list(base.glob("rx-*.rx"))) == 2


@pytest.mark.parametrize("damage", ["empty", "flipped", "pickle", "another key", "another pattern"])
def test_a_compiled_pattern_not_vouched_for_is_compiled_afresh(tmp_path, base, monkeypatch, damage):
    """An entry whose MAC does not check out (damaged, planted, written under another user's key
    or holding another pattern's code) is never loaded: the pattern is compiled from its source."""
    import regex

    flags = regex.IGNORECASE | regex.V0
    first = cache.compiled(SOURCE, flags)
    (entry,) = base.glob("rx-*.rx")
    data = entry.read_bytes()
    if damage == "empty":
        entry.write_bytes(b"")
    elif damage == "flipped":
        entry.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    elif damage == "pickle":
        entry.write_bytes(pickle.dumps(_Plant(str(tmp_path / "ran"))))
    elif damage == "another key":
        monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "other-state"))
        cache.forget()
    else:  # the code of another pattern under this pattern's name, with that pattern's own MAC
        cache.compiled("(?:totally different)", flags)
        other = next(p for p in base.glob("rx-*.rx") if p != entry)
        entry.write_bytes(other.read_bytes())
    compiled_again = []
    real = regex.compile
    monkeypatch.setattr(regex, "compile", lambda *a, **k: compiled_again.append(a) or real(*a, **k))
    again = cache.compiled(SOURCE, flags)
    assert compiled_again and again.findall(SAMPLE) == first.findall(SAMPLE)
    assert not (tmp_path / "ran").exists()


def test_the_key_is_private_and_outside_the_cache(tmp_path, base, monkeypatch):
    assert cache.key() is not None
    path = cache.key_path()
    assert not str(path).startswith(str(base)) and stat.S_IMODE(path.stat().st_mode) == 0o600
    cache.forget()
    path.chmod(0o644)  # readable by others: useless as a secret
    assert cache.key() is None
    cache.forget()
    path.chmod(0o600)
    path.parent.chmod(0o777)  # others could put their own key there
    assert cache.key() is None
    path.parent.chmod(0o700)


def test_without_a_key_patterns_are_compiled_and_not_kept(tmp_path, base, monkeypatch):
    (tmp_path / "state").write_text("a file where the key's folder would be")
    assert cache.key() is None
    assert cache.compiled(r"\bsoon\b", 2).search("see you SOON")
    assert not list(base.glob("rx-*")) if base.exists() else True


def test_compiled_patterns_without_a_cache(tmp_path, base, monkeypatch):
    monkeypatch.setenv("MACROLINT_NO_CACHE", "1")
    assert cache.compiled(r"\bsoon\b", 2).search("see you SOON")
    assert not base.exists()
    monkeypatch.delenv("MACROLINT_NO_CACHE")
    monkeypatch.setenv("MACROLINT_CACHE_DIR", str(tmp_path / "file-not-dir"))
    (tmp_path / "file-not-dir").write_text("x")
    assert cache.compiled(r"\bsoon\b", 2).search("see you SOON")


def test_compiled_patterns_are_pruned_apart_from_packs(base, monkeypatch):
    monkeypatch.setattr(cache, "KEEP", {"pack": 32, "rx": 2})
    cache.forget()
    base.mkdir()
    long_ago = time.time() - 7200
    for name in ("rx-old1.pickle", "rx-old2.rx", "rx-old3.rx", "pack-kept.cache"):
        (base / name).write_bytes(b"x")
        os.utime(base / name, (long_ago, long_ago))
    cache.compiled(r"\bshortly\b", 2)
    left = sorted(p.name for p in base.iterdir())
    assert "pack-kept.cache" in left
    assert len([n for n in left if n.startswith("rx-")]) == 2
