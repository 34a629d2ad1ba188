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
