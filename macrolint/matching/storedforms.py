"""The form groups of a pack cache entry (see ``store``), read as texts need them: each behind a
MAC bound to its entry and its place, decoded only once that checks out, and worked out again
from the phrase's source when it does not."""
from __future__ import annotations

import marshal
from typing import Any, Iterable, Mapping, Optional, Sequence

from macrolint.matching.literal import Grouped, TableGrouped
from macrolint.packs.phrases import Phrase, RawPattern, compile_phrase
from macrolint.storage.cache import blake2b, compare_digest, remove

_GROUP_MAC = 16


class CacheCorrupt(ValueError):
    """An entry, or a part of one, that fails its checks."""


def _new(cls, names: Sequence[str], values: Iterable):
    """A record of ``cls`` holding ``values``, as pickle would make it (no ``__init__`` call)."""
    obj = object.__new__(cls)
    obj.__dict__.update(zip(names, values))
    return obj


class _Forms:
    """The form groups after an entry's pack part, each behind a MAC bound to the entry (its
    nonce) and to where the group starts: phrases' forms (see ``_Groups``), and two tables whose
    places the pack part gives, every stored phrase's heads (``{head: (phrase number, ...)}``)
    and the pack's near-variant anchor words with the one-letter deletions that find them
    (``(anchors, {deletion: anchors})``, see ``fuzzy``).

    A group that fails its check is worked out again from the phrases' sources (``variants`` is
    the pack's spelling table, ``phrases`` its stored phrases by number), and the entry removed."""

    __slots__ = ("_view", "_path", "_secret", "_nonce", "_heads_at", "_deletes_at", "_heads", "deletions",
                 "variants", "phrases")

    def __init__(self, view: memoryview, path: str, secret: bytes, nonce: bytes,
                 heads_at: tuple[int, int], deletes_at: tuple[int, int]) -> None:
        self._view = view
        self._path = path
        self._secret = secret
        self._nonce = nonce
        self._heads_at = heads_at
        self._deletes_at = deletes_at
        self._heads: Optional[Mapping[str, tuple[int, ...]]] = None
        self.deletions: Any = None
        self.variants: Mapping[str, tuple[str, ...]] = {}
        self.phrases: list[StoredPhrase] = []

    def phrase(self, value: tuple):
        """A stored literal phrase (``("L", source, start, end)``), a phrase with gaps (``("P",
        source, segments)``) or a ``re:`` context (``("R", source)``)."""
        kind = value[0]
        if kind == "L":
            phrase = StoredPhrase(value[1], self, (value[2], value[3]), len(self.phrases))
            self.phrases.append(phrase)
            return phrase
        if kind == "P":
            return _new(Phrase, ("source", "segments"), value[1:])
        return _new(RawPattern, ("source", "pattern"), (value[1], value[1][3:]))

    def load(self, start: int, end: int):
        """The group stored at ``[start, end)`` once its MAC checks out; ``CacheCorrupt`` otherwise."""
        view = self._view
        try:
            if not 0 <= start <= end - _GROUP_MAC <= len(view) - _GROUP_MAC:
                raise CacheCorrupt("a group outside the entry")
            data = view[start + _GROUP_MAC:end]
            if not compare_digest(view[start:start + _GROUP_MAC], _group_mac(self._secret, self._nonce, start, data)):
                raise CacheCorrupt("damaged")
            return marshal.loads(data)
        except Exception as exc:
            self.failed()
            raise CacheCorrupt(str(exc)) from None

    def failed(self) -> None:
        """Remove the entry (once): the next run writes a sound one."""
        if self._path:
            remove(self._path)
            self._path = ""

    def heads(self) -> Mapping[str, tuple[int, ...]]:
        """Which stored phrases have forms under each head (see ``forms.Heads``)."""
        if self._heads is None:
            try:
                self._heads = self.load(*self._heads_at)
            except CacheCorrupt:
                table: dict[str, list[int]] = {}
                for number, phrase in enumerate(self.phrases):
                    for h in phrase.groups.heads():
                        table.setdefault(h, []).append(number)
                self._heads = {h: tuple(numbers) for h, numbers in table.items()}
        return self._heads

    def deletes(self) -> Optional[tuple[tuple[str, ...], Mapping[str, tuple[str, ...]]]]:
        """The pack's near-variant anchors and their deletion table (``fuzzy.delete_table``);
        None when the stored one fails its check (``fuzzy`` then works it out)."""
        if self.deletions is None:
            try:
                self.deletions = self.load(*self._deletes_at)
            except CacheCorrupt:
                self.deletions = False
        return self.deletions or None


def _group_mac(secret: bytes, nonce: bytes, start: int, data) -> bytes:
    """A group's MAC, bound to its entry (``nonce``) and its place (``start``), in as few calls as
    can be: a run reads hundreds of groups (the nonce and the place have fixed lengths, so the
    parts cannot blur)."""
    h = blake2b(nonce + start.to_bytes(8, "little"), key=secret, digest_size=_GROUP_MAC)
    h.update(data)
    return h.digest()


class _Groups(Grouped):
    """A stored phrase's forms by head, from three kinds of group, each decoded on first use: an
    index (``{head: (first, last, start, end)}`` and where the forms are, read for ``heads``),
    every form in head order (``keys`` slices it from ``first`` to ``last``), and each head's
    captures in that order (at ``start:end``, read for ``table``). Once a stored group fails its
    check, the phrase's forms are compiled from its source instead."""

    __slots__ = ("_forms", "_at", "_number", "_source", "_spans", "_keys_at", "_keys", "_tables", "_own")

    def __init__(self, forms: _Forms, at: tuple[int, int], number: int, source: str):
        self._forms = forms
        self._at = at
        self._number = number
        self._source = source
        self._spans: Optional[dict[str, tuple[int, int, int, int]]] = None
        self._keys_at = (0, 0)
        self._keys: Optional[tuple[str, ...]] = None
        self._tables: dict[str, Mapping[str, dict]] = {}
        self._own: Optional[TableGrouped] = None

    def _compiled(self) -> TableGrouped:
        """The forms worked out from the source, once a stored group has failed its check."""
        if self._own is None:
            self._own = TableGrouped(compile_phrase(self._source, self._forms.variants).segments[0])
        return self._own

    def _where(self) -> dict[str, tuple[int, int, int, int]]:
        if self._spans is None:
            self._spans, self._keys_at = self._forms.load(*self._at)
        return self._spans

    def _stored_keys(self, head: str) -> Sequence[str]:
        first, last, _, _ = self._where()[head]
        if self._keys is None:
            self._keys = self._forms.load(*self._keys_at)
        return self._keys[first:last]

    def heads(self) -> Iterable[str]:
        if self._own is None:
            try:
                return self._where()
            except CacheCorrupt:
                pass
        return self._compiled().heads()

    def filed(self) -> tuple[_Forms, int]:
        return self._forms, self._number

    def keys(self, head: str) -> Sequence[str]:
        if self._own is None:
            try:
                return self._stored_keys(head)
            except CacheCorrupt:
                pass
        return self._compiled().keys(head)

    def table(self, head: str) -> Mapping[str, dict]:
        found = self._tables.get(head)
        if found is None:
            if self._own is None:
                try:
                    _, _, start, end = self._where()[head]
                    found = dict(zip(self._stored_keys(head), self._forms.load(start, end)))
                except CacheCorrupt:
                    pass
            if found is None:
                found = self._compiled().table(head)
            self._tables[head] = found
        return found


class StoredPhrase(Phrase):
    """A literal phrase read from the cache: its forms come as ``groups`` (see ``forms.grouped``),
    and the whole key table is put together only when something asks for ``segments``."""

    def __init__(self, source: str, forms: _Forms, at: tuple[int, int], number: int):
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "groups", _Groups(forms, at, number, source))

    @property
    def segments(self) -> tuple[dict[str, dict[int, str]], ...]:  # type: ignore[override]
        table = self.__dict__.get("_table")
        if table is None:
            groups = self.groups
            table = {key: caps for h in groups.heads() for key, caps in groups.table(h).items()}
            object.__setattr__(self, "_table", table)
        return (table,)

    @property
    def is_literal(self) -> bool:
        return True

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Phrase):
            return self.source == other.source and self.segments == other.segments
        return NotImplemented

    def __reduce__(self):
        return Phrase, (self.source, self.segments)
