"""Loaded packs kept in the cache folder (``cache``), so a pre-commit run does not re-read and
re-expand every rule.

An entry holds a validated ``Pack`` and the description it was built for: macrolint's version,
the Python version and the name, size and modification time of every file in the pack folder.
The built-in packs expand to about 100,000 phrase forms, and a run that lints a few replies
needs a few hundred of them; so a literal phrase is stored as its forms grouped by head
(``forms.head``), each group apart after the pack, mapped into memory and decoded when a text
first needs it.

An entry is plain values (strings, numbers, tuples, dicts) written with ``marshal``: nothing in
it can call code, as a pickle could. The cache folder is not trusted, so an entry is read only
when it proves this user wrote it: the header and the pack part carry a MAC made with the
user's key (``cache.key``, kept outside the cache folder), and so does each form group, bound to
the entry and to its place in it. Nothing is decoded before its MAC checks out, so a planted,
damaged, truncated or foreign entry (a CI cache restored from another branch, another user's
file) is never read: the pack is read from its files and the entry written anew. A form group
that fails its check once a run is under way (damage on disk) is worked out again from its
phrase's source, and the entry removed so the next run writes a sound one.
"""
from __future__ import annotations

import marshal
import mmap
import os
import struct
import sys
import zlib
from pathlib import Path
from typing import Callable, Iterable, Optional, TypeVar

from macrolint._version import __version__
from macrolint.matching.literal import TableGrouped
from macrolint.matching.nearforms import delete_table, fuzzy_anchors, fuzzy_targets
from macrolint.matching.storedforms import CacheCorrupt, _Forms, _group_mac, _new
from macrolint.model import Applicability, Severity
from macrolint.packs.model import Example, MatchEntry, Rule
from macrolint.packs.phrases import RawPattern
from macrolint.storage.cache import (
    cache_dir,
    compare_digest,
    key,
    mac,
    open_entry,
    store,
    touch,
)

T = TypeVar("T")

#: Raised whenever what an entry holds changes shape, so older entries are not read.
FORMAT = 7
_MAGIC = b"MLPACK\r\n"
#: After the magic: the format, marshal's version, the pack part's length, the groups' length.
_LAYOUT = struct.Struct("<IIQQ")
_NONCE = 16
_FIXED = len(_MAGIC) + _LAYOUT.size + _NONCE  # what the header's MAC covers, with the pack part
_HEAD_MAC = 32
_HEADER = _FIXED + _HEAD_MAC


def describe(folder: Path) -> tuple[str, Optional[str]]:
    """The name of ``folder``'s cache entry, and a description of every file under it (relative
    path, size and mtime) that the entry must match; None when the folder cannot be read."""
    name = f"{__version__}|{FORMAT}|{sys.version_info[:2]}|{folder.resolve()}"
    parts = [name]
    top = len(os.path.join(folder, ""))
    try:
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for file in sorted(files):
                path = os.path.join(root, file)
                st = os.stat(path)
                parts.append(f"{path[top:]}:{st.st_size}:{st.st_mtime_ns}")
    except OSError:
        return "", None
    return f"pack-{zlib.crc32(name.encode('utf-8', 'surrogatepass')):08x}.cache", "|".join(parts)


def cached(folder: Path, build: Callable[[], T]) -> T:
    """``build()``'s result for ``folder``, from the cache when the folder is unchanged."""
    base = cache_dir()
    secret = key() if base is not None else None
    name, description = describe(folder) if secret is not None else ("", None)
    if base is None or secret is None or description is None:
        return build()
    try:
        return _read(base / name, description, secret)
    except Exception:  # missing, stale, foreign, planted, damaged: read the pack from its files
        pass
    value = build()
    store(base, name, "pack", lambda fh: _write(fh, description, value, secret))
    return value


def _read(path: Path, description: str, secret: bytes):
    fd, st = open_entry(path)
    try:
        if st.st_size < _HEADER:
            raise CacheCorrupt("truncated")
        mapped = mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
        fixed = mapped[:_FIXED]
        if not fixed.startswith(_MAGIC):
            raise CacheCorrupt("not a macrolint pack entry")
        form, version, head, groups = _LAYOUT.unpack_from(fixed, len(_MAGIC))
        if form != FORMAT or version != marshal.version or _HEADER + head + groups != st.st_size:
            raise CacheCorrupt("another format, or truncated")
        data = mapped[_HEADER:_HEADER + head]
        if not compare_digest(mapped[_FIXED:_HEADER], mac(secret, fixed, data)):
            raise CacheCorrupt("not written by this user, or damaged")
        stored, encoded, heads_at, deletes_at = marshal.loads(data)
        if stored != description:
            raise CacheCorrupt("stale")
        forms = _Forms(memoryview(mapped)[_HEADER + head:], str(path), secret, fixed[-_NONCE:], heads_at, deletes_at)
        value = _decode(encoded, forms)
        touch(fd)
        return value
    finally:
        os.close(fd)


_PACK_FIELDS = ("name", "title", "description", "path", "rules", "variants")
_RULE_FIELDS = ("code", "name", "pack", "category", "severity", "status", "summary", "why", "message",
                "matches", "suggest", "examples", "exceptions", "unless_before", "unless_after",
                "unless_sentence", "link", "aliases", "path", "check")
_ENTRY_FIELDS = ("phrase", "pattern", "replace", "fix", "fuzzy", "anchors", "fuzzy_keys")
_EXAMPLE_FIELDS = ("kind", "text", "good", "format", "line", "fixed")
_CONTEXTS = ("exceptions", "unless_before", "unless_after", "unless_sentence")
_SEVERITIES = {int(s): s for s in Severity}
_FIXES = {int(a): a for a in Applicability}


def _decode(encoded: tuple, forms: "_Forms"):
    """The ``Pack`` an entry's pack part describes (see ``_Encoder``)."""
    from macrolint.packs.load import Pack

    name, title, description, path, rules, variants = encoded
    forms.variants = variants
    phrase = forms.phrase
    pack_rules = []
    for r in rules:
        (code, rname, rpack, category, severity, status, summary, why, message, matches, suggest, examples,
         exceptions, before, after, sentence, link, aliases, rpath, check) = r
        # phrases are numbered in the order the encoder met them: contexts first
        contexts = [tuple(map(phrase, c)) for c in (exceptions, before, after, sentence)]
        entries = tuple(_new(MatchEntry, _ENTRY_FIELDS, (None if p is None else phrase(p), pattern, replace,
                                                         _FIXES[fix], fuzzy, anchors, keys))
                        for p, pattern, replace, fix, fuzzy, anchors, keys in matches)
        pack_rules.append(_new(Rule, _RULE_FIELDS, (
            code, rname, rpack, category, _SEVERITIES[severity], status, summary, why, message, entries, suggest,
            tuple(_new(Example, _EXAMPLE_FIELDS, e) for e in examples), *contexts, link, aliases, rpath, check)))
    return _new(Pack, _PACK_FIELDS, (name, title, description, path, tuple(pack_rules), variants))


# -- writing ----------------------------------------------------------------------------------


def _near_forms(m: MatchEntry):
    """The forms an entry is compared by for near-variants (``()`` for none), worked out once here
    so a cached run need not decode every form of the phrase to find them; None when the entry
    is never compared so."""
    if not (m.fuzzy and m.phrase is not None and m.phrase.is_literal):
        return None
    return tuple(fuzzy_targets(m))


def _write(fh, description: str, pack, secret: bytes) -> None:
    nonce = os.urandom(_NONCE)
    encoder = _Encoder(secret, nonce)
    encoded = encoder.pack(pack)
    groups, heads_at, deletes_at = encoder.finish(fuzzy_anchors(pack.rules))
    head = marshal.dumps((description, encoded, heads_at, deletes_at))
    fixed = _MAGIC + _LAYOUT.pack(FORMAT, marshal.version, len(head), len(groups)) + nonce
    fh.write(fixed + mac(secret, fixed, head))
    fh.write(head)
    fh.write(groups)


class _Encoder:
    """A ``Pack`` as the plain values ``_decode`` reads, each literal phrase's forms stored apart
    in ``groups`` by head (each group behind its MAC, see ``_Forms``)."""

    def __init__(self, secret: bytes, nonce: bytes) -> None:
        self.groups = bytearray()
        self._secret = secret
        self._nonce = nonce
        self._heads: dict[str, list[int]] = {}
        self._stored = 0
        self._strings: dict[str, str] = {}

    def pack(self, pack) -> tuple:
        return (pack.name, pack.title, pack.description, pack.path, tuple(self._rule(r) for r in pack.rules),
                dict(pack.variants))

    def _rule(self, r: Rule) -> tuple:
        contexts = [tuple(self._phrase(p) for p in getattr(r, k)) for k in _CONTEXTS]
        return (r.code, r.name, r.pack, r.category, int(r.severity), r.status, r.summary, r.why, r.message,
                tuple(self._entry(m) for m in r.matches), tuple(r.suggest),
                tuple((e.kind, e.text, e.good, e.format, e.line, e.fixed) for e in r.examples), *contexts,
                r.link, tuple(r.aliases), r.path, r.check)

    def _entry(self, m: MatchEntry) -> tuple:
        return (None if m.phrase is None else self._phrase(m.phrase), m.pattern, m.replace, int(m.fix),
                bool(m.fuzzy), tuple(m.anchors), _near_forms(m))

    def _phrase(self, p) -> tuple:
        if isinstance(p, RawPattern):
            if p.pattern != p.source[3:]:
                raise ValueError(f"a re: context is stored as its source: {p.source!r}")
            # one string object for every rule that shares the context: marshal writes it once
            return ("R", self._strings.setdefault(p.source, p.source))
        if not p.is_literal:
            return ("P", p.source, tuple(p.segments))
        groups = TableGrouped(p.segments[0])
        spans: dict[str, tuple[int, int, int, int]] = {}
        keys: list[str] = []
        for h in groups.heads():
            table = groups.table(h)
            spans[h] = (len(keys), len(keys) + len(table), *self._add(tuple(table.values())))
            keys.extend(table)
            self._heads.setdefault(h, []).append(self._stored)
        self._stored += 1
        return ("L", p.source, *self._add((spans, self._add(tuple(keys)))))

    def finish(self, anchors: Iterable[str]) -> tuple[bytes, tuple[int, int], tuple[int, int]]:
        """The groups, with the tables of heads and of deletions last, and where those two are."""
        heads = self._add({h: tuple(numbers) for h, numbers in self._heads.items()})
        anchors = tuple(sorted(set(anchors)))
        deletes = self._add((anchors, delete_table(anchors)))
        return bytes(self.groups), heads, deletes

    def _add(self, value) -> tuple[int, int]:
        data = marshal.dumps(value)
        start = len(self.groups)
        self.groups += _group_mac(self._secret, self._nonce, start, data) + data
        return start, len(self.groups)
