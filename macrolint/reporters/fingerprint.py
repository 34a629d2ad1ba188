"""Stable keys for findings, so CI systems can tell a new finding from one that only moved.

A key hashes what a finding *is* (file, item, rule, matched words) and not where it sits:
adding or removing lines elsewhere in a file leaves every other finding's key unchanged. Two
findings that agree on all of that are told apart by their order within the file."""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from typing import Sequence

from macrolint.model import Diagnostic
from macrolint.text.paths import posix_path

#: Hex characters kept from the sha256 digest.
LENGTH = 32


def _key(d: Diagnostic) -> tuple[str, str, str, str]:
    item = d.item or {}
    label = item.get("id") or item.get("title") or ""
    return (posix_path(d.path), str(label), d.rule, " ".join(d.match.casefold().split()))


def fingerprints(diagnostics: Sequence[Diagnostic]) -> list[str]:
    """One key per diagnostic, in the order given.

    The occurrence index counts equal keys in file order (by offset), so the result does not
    depend on how the caller sorted the diagnostics."""
    groups: dict[tuple[str, str, str, str], list[int]] = defaultdict(list)
    for i, d in enumerate(diagnostics):
        groups[_key(d)].append(i)
    out = [""] * len(diagnostics)
    for key, members in groups.items():
        members.sort(key=lambda i: (diagnostics[i].start, diagnostics[i].end, i))
        for occurrence, i in enumerate(members):
            # JSON keeps the fields apart unambiguously, whatever characters they hold.
            blob = json.dumps([*key, occurrence], ensure_ascii=False)
            # (a file name that is not UTF-8 holds lone surrogates: hashed as they are)
            out[i] = hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()[:LENGTH]
    return out
