"""The pack cache: unchanged packs load from it, edited ones are re-read, a broken cache is harmless."""
from __future__ import annotations

import os
import time

from macrolint.packs import load_pack
from tests.conftest import write_pack
from tests.test_packs import GOOD_RULE


def test_cache_hit_and_invalidation(tmp_path, monkeypatch):
    monkeypatch.setenv("MACROLINT_CACHE_DIR", str(tmp_path / "cache"))
    folder = write_pack(tmp_path / "team", {"thing-says.yaml": GOOD_RULE})
    first = load_pack(folder)
    assert list((tmp_path / "cache").glob("pack-*.cache"))
    assert load_pack(folder) == first
    rule = folder / "thing-says.yaml"
    rule.write_text(GOOD_RULE.replace("Flags", "Catches"))
    os.utime(rule, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    assert load_pack(folder).rules[0].summary.startswith("Catches")


def test_corrupt_or_unwritable_cache_is_ignored(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("MACROLINT_CACHE_DIR", str(cache))
    folder = write_pack(tmp_path / "team", {"thing-says.yaml": GOOD_RULE})
    load_pack(folder)
    for entry in cache.glob("pack-*.cache"):
        entry.write_bytes(b"not a pickle")
    assert load_pack(folder).rules[0].code == "TM001"
    monkeypatch.setenv("MACROLINT_CACHE_DIR", str(tmp_path / "file-not-dir"))
    (tmp_path / "file-not-dir").write_text("x")
    assert load_pack(folder).rules[0].code == "TM001"


def test_cache_keeps_the_entries_used_last(tmp_path, monkeypatch):
    """Old entries (other versions, deleted pack folders, cut-off writes) do not pile up; the
    entries in use stay."""
    from macrolint import cache

    base = tmp_path / "cache"
    monkeypatch.setenv("MACROLINT_CACHE_DIR", str(base))
    monkeypatch.setattr(cache, "KEEP", 3)
    base.mkdir()
    long_ago = time.time() - 7200
    for name in ("pack-old1.cache", "pack-old2.pickle", ".pack-cut.tmp", "pack-old3.cache", "notes.txt"):
        (base / name).write_bytes(b"x")
        os.utime(base / name, (long_ago, long_ago))
    fresh_tmp = base / ".pack-writing.tmp"
    fresh_tmp.write_bytes(b"x")  # another process may be writing it right now
    used = write_pack(tmp_path / "used", {"thing-says.yaml": GOOD_RULE})
    load_pack(used)
    (used_entry,) = set(base.glob("pack-*.cache")) - {base / "pack-old1.cache", base / "pack-old3.cache"}
    os.utime(used_entry, (long_ago + 10, long_ago + 10))
    assert load_pack(used).rules[0].code == "TM001"  # read from the cache, which touches it
    load_pack(write_pack(tmp_path / "other", {"thing-says.yaml": GOOD_RULE}))
    left = sorted(p.name for p in base.iterdir())
    assert used_entry.name in left and "notes.txt" in left and ".pack-writing.tmp" in left
    assert ".pack-cut.tmp" not in left and len([n for n in left if n.startswith("pack-")]) == 3


def test_compiled_patterns_are_kept_and_read_back(tmp_path, monkeypatch):
    """A pattern compiled once is read back compiled (the parser does not run again), finds
    the same matches, and a broken, foreign or mismatched entry is compiled afresh."""
    import regex

    from macrolint import cache

    base = tmp_path / "cache"
    monkeypatch.setenv("MACROLINT_CACHE_DIR", str(base))
    source, flags = r"(?<!\w)(?:we will (?:be|get) (?:in touch|back to you))(?!\w)", regex.IGNORECASE | regex.V0
    first = cache.compiled(source, flags)
    (entry,) = base.glob("rx-*.pickle")
    text = "Thanks! We will be in touch; we WILL get back to you."
    real_compile = regex.compile

    def no_compile(*args, **kwargs):
        raise AssertionError("compiled again")

    monkeypatch.setattr(regex, "compile", no_compile)
    again = cache.compiled(source, flags)
    assert again is not first and again.pattern == source and again.flags == first.flags
    assert [m.span() for m in again.finditer(text)] == [m.span() for m in first.finditer(text)] == [(8, 27), (29, 52)]
    monkeypatch.setattr(regex, "compile", real_compile)
    for broken in (b"not a pickle", b""):
        entry.write_bytes(broken)
        assert cache.compiled(source, flags).findall(text) == first.findall(text)
    # an entry that holds another pattern under this name (a checksum collision) is not used
    import pickle

    entry.write_bytes(pickle.dumps(("other key", real_compile("x"))))
    assert cache.compiled(source, flags).findall(text) == first.findall(text)
    assert pickle.loads(entry.read_bytes())[0].endswith(source)
    assert cache.compiled(source, 0).pattern == source  # other flags: another entry
    assert len(list(base.glob("rx-*.pickle"))) == 2


def test_compiled_patterns_without_a_cache(tmp_path, monkeypatch):
    from macrolint import cache

    monkeypatch.setenv("MACROLINT_NO_CACHE", "1")
    monkeypatch.setenv("MACROLINT_CACHE_DIR", str(tmp_path / "cache"))
    assert cache.compiled(r"\bsoon\b", 2).search("see you SOON")
    assert not (tmp_path / "cache").exists()
    monkeypatch.delenv("MACROLINT_NO_CACHE")
    monkeypatch.setenv("MACROLINT_CACHE_DIR", str(tmp_path / "file-not-dir"))
    (tmp_path / "file-not-dir").write_text("x")
    assert cache.compiled(r"\bsoon\b", 2).search("see you SOON")


def test_compiled_patterns_are_pruned_apart_from_packs(tmp_path, monkeypatch):
    from macrolint import cache

    base = tmp_path / "cache"
    monkeypatch.setenv("MACROLINT_CACHE_DIR", str(base))
    monkeypatch.setattr(cache, "RX_KEEP", 2)
    monkeypatch.setattr(cache, "_PRUNED", set())
    base.mkdir()
    long_ago = time.time() - 7200
    for name in ("rx-old1.pickle", "rx-old2.pickle", "rx-old3.pickle", "pack-kept.cache"):
        (base / name).write_bytes(b"x")
        os.utime(base / name, (long_ago, long_ago))
    cache.compiled(r"\bshortly\b", 2)
    left = sorted(p.name for p in base.iterdir())
    assert "pack-kept.cache" in left
    assert len([n for n in left if n.startswith("rx-")]) == 2
