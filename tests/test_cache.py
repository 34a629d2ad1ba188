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
