"""Compiled packs (``compiled.CompiledPack``) kept in the cache folder (``storage.cache``), so a
pre-commit run does not re-read and re-expand every rule. This module alone knows the format.

An entry holds a compiled pack and the description it was built for: macrolint's version, the
Python version and the name, size and modification time of every file in the pack folder. The
built-in packs expand to about 100,000 phrase forms, and a run that lints a few replies needs a
few hundred of them; so the pack's indexes (``FormTable``, ``NearTable``) keep most of what they
hold apart, as *parts* after the pack (each index says what goes apart through ``dump(put)``
and reads it back through ``load(state, get)``), mapped into memory and decoded when a text
first needs one.

An entry is plain values (strings, numbers, tuples, dicts) written with ``marshal``: nothing in
it can call code, as a pickle could. The cache folder is not trusted, so an entry is read only
when it proves this user wrote it: the header and the pack part carry a MAC made with the
user's key (``cache.key``, kept outside the cache folder), and so does each part, bound to the
entry and to its place in it. Nothing is decoded before its MAC checks out, so a planted,
damaged, truncated or foreign entry (a CI cache restored from another branch, another user's
file) is never read: the pack is read from its files and the entry written anew. A part that
fails its check once a run is under way (damage on disk) raises ``EntryDamaged`` to the index
reading it, which works it out again from the pack, and the entry is removed so the next run
writes a sound one.
"""
from __future__ import annotations

import functools
import marshal
import mmap
import os
import struct
import sys
import zlib
from pathlib import Path
from typing import Any, Callable, Optional

from macrolint._version import __version__
from macrolint.matching.compiled import CONTEXTS, CompiledPack, PackIndex, TabledPhrase
from macrolint.matching.formtable import FormTable
from macrolint.matching.nearforms import NearTable
from macrolint.model import Applicability, Severity
from macrolint.packs.load import Pack
from macrolint.packs.model import Example, MatchEntry, Rule
from macrolint.packs.phrases import Phrase, RawPattern
from macrolint.storage.cache import (
    EntryDamaged,
    blake2b,
    cache_dir,
    compare_digest,
    key,
    mac,
    open_entry,
    remove,
    store,
    touch,
)

#: Raised whenever what an entry holds changes shape, so older entries are not read.
FORMAT = 16
MAGIC = b"MLPACK\r\n"
#: After the magic: the format, marshal's version, the pack part's length, the parts' length.
_LAYOUT = struct.Struct("<IIQQ")
_NONCE = 16
_FIXED = len(MAGIC) + _LAYOUT.size + _NONCE  # what the header's MAC covers, with the pack part
_HEAD_MAC = 32
_HEADER = _FIXED + _HEAD_MAC
_PART_MAC = 16


def regions(data: bytes) -> dict[str, tuple[int, int]]:
    """Where an entry's parts lie, as ``(start, end)``: ``header`` (with its MAC), ``pack`` (the
    pack part the header's MAC covers) and ``groups`` (the form groups, each with its own MAC)."""
    _, _, head, _ = _LAYOUT.unpack_from(data, len(MAGIC))
    return {"header": (0, _HEADER), "pack": (_HEADER, _HEADER + head), "groups": (_HEADER + head, len(data))}


def describe(folder: Path, salt: str = "") -> tuple[str, Optional[str]]:
    """The name of ``folder``'s cache entry, and a description of every file under it (relative
    path, size and mtime) that the entry must match, with macrolint's own files (a checkout
    edited without a new version number reads its packs afresh); None when the folder cannot be
    read. ``salt`` tells apart builds of one folder with different settings (a config's ``[words]``)."""
    name = f"{__version__}|{FORMAT}|{sys.version_info[:2]}|{folder.resolve()}|{salt}"
    files = files_of(folder)
    if files is None:
        return "", None
    code = zlib.crc32(code_description().encode("utf-8", "surrogatepass"))
    return f"pack-{zlib.crc32(name.encode('utf-8', 'surrogatepass')):08x}.cache", f"{name}|code:{code:08x}|{files}"


def files_of(folder: Path, suffix: str = "") -> Optional[str]:
    """Every file under ``folder`` (ending in ``suffix``; bytecode caches left out) as
    ``relative path:size:mtime``, joined; None when unreadable."""
    parts = []
    top = len(os.path.join(folder, ""))
    try:
        for root, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for file in sorted(files):
                if file.endswith(suffix):
                    path = os.path.join(root, file)
                    st = os.stat(path)
                    parts.append(f"{path[top:]}:{st.st_size}:{st.st_mtime_ns}")
    except OSError:
        return None
    return "|".join(parts)


@functools.lru_cache(maxsize=1)
def code_description() -> str:
    """macrolint's own modules (sizes and modification times), read once a process: its ``.py``
    files only, since the bytecode Python writes beside them on a first import would otherwise
    change the description between one run and the next."""
    return files_of(Path(__file__).resolve().parent.parent, ".py") or ""


def cached(folder: Path, build: Callable[[], CompiledPack], salt: str = "") -> CompiledPack:
    """``build()``'s compiled pack for ``folder``, from the cache when the folder is unchanged
    (and was built with the same ``salt``)."""
    base = cache_dir()
    secret = key() if base is not None else None
    name, description = describe(folder, salt) if secret is not None else ("", None)
    if base is None or secret is None or description is None:
        return build()
    try:
        return _read(base / name, description, secret)
    except Exception:  # missing, stale, foreign, planted, damaged: read the pack from its files
        pass
    value = build()
    store(base, name, "pack", lambda fh: _write(fh, description, value, secret))
    return value


def _read(path: Path, description: str, secret: bytes) -> CompiledPack:
    fd, st = open_entry(path)
    try:
        if st.st_size < _HEADER:
            raise EntryDamaged("truncated")
        mapped = mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
        fixed = mapped[:_FIXED]
        if not fixed.startswith(MAGIC):
            raise EntryDamaged("not a macrolint pack entry")
        form, version, head, parts = _LAYOUT.unpack_from(fixed, len(MAGIC))
        if form != FORMAT or version != marshal.version or _HEADER + head + parts != st.st_size:
            raise EntryDamaged("another format, or truncated")
        data = mapped[_HEADER:_HEADER + head]
        if not compare_digest(mapped[_FIXED:_HEADER], mac(secret, fixed, data)):
            raise EntryDamaged("not written by this user, or damaged")
        stored, encoded, forms, near = marshal.loads(data)
        if stored != description:
            raise EntryDamaged("stale")
        get = _Parts(memoryview(mapped)[_HEADER + head:], str(path), secret, fixed[-_NONCE:]).get
        index = PackIndex(FormTable.load(forms, get), NearTable.load(near, get))
        value = CompiledPack(decode(encoded, index), index)
        touch(fd)
        return value
    finally:
        os.close(fd)


class _Parts:
    """The parts after an entry's pack part, each behind a MAC bound to the entry (its nonce) and
    to where the part starts; a reference to one is its ``(start, end)``."""

    __slots__ = ("_view", "_path", "_secret", "_nonce")

    def __init__(self, view: memoryview, path: str, secret: bytes, nonce: bytes) -> None:
        self._view = view
        self._path = path
        self._secret = secret
        self._nonce = nonce

    def get(self, ref: tuple[int, int]) -> Any:
        """The part at ``ref`` once its MAC checks out; ``EntryDamaged`` otherwise (and the entry
        is removed, so the next run writes a sound one)."""
        view = self._view
        try:
            start, end = ref
            if not 0 <= start <= end - _PART_MAC <= len(view) - _PART_MAC:
                raise EntryDamaged("a part outside the entry")
            data = view[start + _PART_MAC:end]
            if not compare_digest(view[start:start + _PART_MAC], _part_mac(self._secret, self._nonce, start, data)):
                raise EntryDamaged("damaged")
            return marshal.loads(data)
        except Exception as exc:
            if self._path:
                remove(self._path)
                self._path = ""
            raise EntryDamaged(str(exc)) from None


def _part_mac(secret: bytes, nonce: bytes, start: int, data) -> bytes:
    """A part's MAC, bound to its entry (``nonce``) and its place (``start``), in as few calls as
    can be: a run reads hundreds of parts (the nonce and the place have fixed lengths, so the
    parts of the MAC cannot blur)."""
    h = blake2b(nonce + start.to_bytes(8, "little"), key=secret, digest_size=_PART_MAC)
    h.update(data)
    return h.digest()


# -- the pack part ----------------------------------------------------------------------------

_SEVERITIES = {int(s): s for s in Severity}
_FIXES = {int(a): a for a in Applicability}
#: A record made from its fields' values in order, as fast as a tuple (records are named tuples).
_new = tuple.__new__


def decode(encoded: tuple, index: PackIndex) -> Pack:
    """The ``Pack`` an entry's pack part describes (see ``_encode``)."""
    name, title, description, path, rules, variants = encoded
    sources = index.forms.sources
    tabled: dict[int, TabledPhrase] = {}

    def phrase(value: tuple):
        kind = value[0]
        if kind == "L":
            found = tabled.get(value[1])
            if found is None:
                found = tabled[value[1]] = TabledPhrase(sources[value[1]], index, value[1])
            return found
        if kind == "P":
            return _new(Phrase, value[1:])
        return _new(RawPattern, (value[1], value[1][3:]))

    pack_rules = []
    for r in rules:
        (code, rname, rpack, category, severity, status, summary, why, message, matches, suggest, examples,
         exceptions, before, after, sentence, articles_need, link, aliases, rpath, check, scopes, audience, words,
         kinds) = r
        contexts = [tuple(map(phrase, c)) for c in (exceptions, before, after, sentence, articles_need)]
        entries = tuple(_new(MatchEntry, (None if p is None else phrase(p), pattern, replace,
                                                         _FIXES[fix], fuzzy, anchors, keys, line))
                        for p, pattern, replace, fix, fuzzy, anchors, keys, line in matches)
        pack_rules.append(_new(Rule, (
            code, rname, rpack, category, _SEVERITIES[severity], status, summary, why, message, entries, suggest,
            tuple(_new(Example, e) for e in examples), *contexts, link, aliases, rpath, check, scopes, audience, words,
            kinds)))
    return _new(Pack, (name, title, description, path, tuple(pack_rules), variants))


def _encode(pack: Pack) -> tuple:
    """A compiled ``Pack`` as the plain values ``decode`` reads: a literal phrase as its number in
    the pack's ``FormTable``, which holds its source and forms."""
    strings: dict[str, str] = {}

    def phrase(p) -> tuple:
        if isinstance(p, RawPattern):
            if p.pattern != p.source[3:]:
                raise ValueError(f"a re: context is stored as its source: {p.source!r}")
            # one string object for every rule that shares the context: marshal writes it once
            return ("R", strings.setdefault(p.source, p.source))
        if isinstance(p, TabledPhrase):
            return ("L", p.number)
        if p.is_literal:
            raise ValueError(f"a literal phrase outside the pack's form table: {p.source!r}")
        return ("P", p.source, tuple(p.segments))

    def entry(m: MatchEntry) -> tuple:
        return (None if m.phrase is None else phrase(m.phrase), m.pattern, m.replace, int(m.fix),
                bool(m.fuzzy), tuple(m.anchors), m.fuzzy_keys, m.line)

    def rule(r: Rule) -> tuple:
        contexts = [tuple(phrase(p) for p in getattr(r, k)) for k in CONTEXTS]
        return (r.code, r.name, r.pack, r.category, int(r.severity), r.status, r.summary, r.why, r.message,
                tuple(entry(m) for m in r.matches), tuple(r.suggest),
                tuple((e.kind, e.text, e.good, e.format, e.line, e.fixed) for e in r.examples), *contexts,
                r.link, tuple(r.aliases), r.path, r.check, tuple(r.scopes), r.audience,
                tuple((name, frozenset(ws)) for name, ws in r.words), tuple(r.kinds))

    # the variants object the pack's FormTable holds too: marshal writes it once
    variants = pack.variants if type(pack.variants) is dict else dict(pack.variants)
    return (pack.name, pack.title, pack.description, pack.path, tuple(rule(r) for r in pack.rules), variants)


def _write(fh, description: str, compiled: CompiledPack, secret: bytes) -> None:
    nonce = os.urandom(_NONCE)
    parts = bytearray()

    def put(value) -> tuple[int, int]:
        data = marshal.dumps(value)
        start = len(parts)
        parts.extend(_part_mac(secret, nonce, start, data) + data)
        return start, len(parts)

    forms = compiled.index.forms.dump(put)
    near = compiled.index.near.dump(put)
    head = marshal.dumps((description, _encode(compiled.pack), forms, near))
    fixed = MAGIC + _LAYOUT.pack(FORMAT, marshal.version, len(head), len(parts)) + nonce
    fh.write(fixed + mac(secret, fixed, head))
    fh.write(head)
    fh.write(parts)
