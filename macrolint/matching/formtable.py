"""The literal phrases of a compiled pack, their forms filed by head.

A literal phrase expands to forms (every spelling, contraction and optional word); the literal
matcher finds a form through its *head*, its first words (``head``). A ``FormTable`` numbers a
pack's literal phrases and files each one's forms by head, and tells which phrases have forms
under each head: a run looks up only the heads its texts show, so of the built-in packs' 100,000
forms it reads the few hundred it needs.

A table is built from compiled phrases, or loaded from the parts a ``dump`` gave (a store hands
``dump`` a ``put`` that keeps a value apart and returns a reference to it, and ``load`` a ``get``
that reads one back). A loaded table reads each part when first asked for it; a part that
cannot be read back (``EntryDamaged``) is worked out again from the phrase's source.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence

from macrolint.packs.phrases import compile_phrase
from macrolint.storage.cache import EntryDamaged

HEAD_WORDS = 3
_HEAD = re.compile(r"\w+(?:\W+\w+){0,%d}" % (HEAD_WORDS - 1))

#: Keeps a value apart and returns a reference to it / reads a referenced value back.
Put = Callable[[Any], Any]
Get = Callable[[Any], Any]


def head(key: str) -> str:
    """The first words of a form with what stands between them ("" for a form without a word)."""
    m = _HEAD.search(key)
    return m.group() if m else ""


class Grouped:
    """A literal phrase's forms by head."""

    def heads(self) -> Iterable[str]:
        raise NotImplementedError

    def keys(self, head: str) -> Sequence[str]:
        """The forms under ``head``, in phrase order."""
        raise NotImplementedError

    def table(self, head: str) -> Mapping[str, dict]:
        """``{form: captures}`` under ``head``."""
        raise NotImplementedError


class TableGrouped(Grouped):
    """The forms of a phrase's key table, grouped as they are asked for."""

    def __init__(self, table: Mapping[str, dict]):
        self._groups: dict[str, dict[str, dict]] = {}
        for key, caps in table.items():
            self._groups.setdefault(head(key), {})[key] = caps

    def heads(self) -> Iterable[str]:
        return self._groups

    def keys(self, head: str) -> Sequence[str]:
        return list(self._groups[head])

    def table(self, head: str) -> Mapping[str, dict]:
        return self._groups[head]


class FormTable:
    """A pack's literal phrases, numbered, each one's forms by head (``groups``), and which phrases
    have forms under each head (``heads``)."""

    __slots__ = ("_groups", "_heads", "_heads_ref", "_get", "sources", "variants")

    def __init__(self, sources: Sequence[str], variants: Mapping[str, tuple[str, ...]]):
        self.sources = tuple(sources)
        #: The pack's spelling table, which a phrase's forms are worked out with.
        self.variants = variants
        self._groups: list[Grouped] = []
        self._heads: Optional[dict[str, tuple[int, ...]]] = None
        self._heads_ref: Any = None
        self._get: Optional[Get] = None

    @classmethod
    def build(cls, phrases: Sequence, variants: Mapping[str, tuple[str, ...]]) -> "FormTable":
        """The table of compiled literal ``phrases`` (``packs.phrases.Phrase``), numbered in order."""
        table = cls([p.source for p in phrases], variants)
        table._groups = [TableGrouped(p.segments[0]) for p in phrases]
        return table

    def __len__(self) -> int:
        return len(self.sources)

    def groups(self, number: int) -> Grouped:
        """Phrase ``number``'s forms by head."""
        return self._groups[number]

    def compiled(self, number: int) -> TableGrouped:
        """Phrase ``number``'s forms worked out from its source."""
        return TableGrouped(compile_phrase(self.sources[number], self.variants).segments[0])

    def heads(self) -> Mapping[str, tuple[int, ...]]:
        """Each head -> the numbers of the phrases with forms under it."""
        if self._heads is None:
            if self._get is not None:
                try:
                    self._heads = self._get(self._heads_ref)
                    return self._heads
                except EntryDamaged:
                    pass
            found: dict[str, list[int]] = {}
            for number, groups in enumerate(self._groups):
                for h in groups.heads():
                    found.setdefault(h, []).append(number)
            self._heads = {h: tuple(numbers) for h, numbers in found.items()}
        return self._heads

    # -- kept apart -------------------------------------------------------------------------------

    def dump(self, put: Put) -> tuple:
        """The table as plain values: each phrase's forms and captures by head, and the table of
        heads, each kept apart through ``put`` (``load`` reads them back as they are needed)."""
        phrases = []
        for groups in self._groups:
            spans: dict[str, tuple] = {}
            keys: list[str] = []
            for h in groups.heads():
                forms = groups.table(h)
                spans[h] = (len(keys), len(keys) + len(forms), put(tuple(forms.values())))
                keys.extend(forms)
            phrases.append(put((spans, put(tuple(keys)))))
        return self.sources, self.variants, tuple(phrases), put(dict(self.heads()))

    @classmethod
    def load(cls, state: tuple, get: Get) -> "FormTable":
        """The table ``dump`` gave ``state`` for, its parts read through ``get`` on first use."""
        sources, variants, phrases, heads = state
        table = cls(sources, variants)
        table._groups = [_StoredGroups(table, number, ref) for number, ref in enumerate(phrases)]
        table._heads_ref = heads
        table._get = get
        return table

    def read(self, ref: Any):
        """A part of a loaded table (``EntryDamaged`` when it cannot be read back)."""
        return self._get(ref)


class _StoredGroups(Grouped):
    """A loaded phrase's forms by head, from three kinds of part, each read on first use: an index
    (``{head: (first, last, captures)}`` and where the forms are, read for ``heads``), every form
    in head order (``keys`` slices it from ``first`` to ``last``), and each head's captures in that
    order (read for ``table``). Once a part cannot be read back, the phrase's forms are worked out
    from its source instead."""

    __slots__ = ("_table", "_number", "_ref", "_spans", "_keys_ref", "_keys", "_tables", "_own")

    def __init__(self, table: FormTable, number: int, ref: Any):
        self._table = table
        self._number = number
        self._ref = ref
        self._spans: Optional[dict[str, tuple]] = None
        self._keys_ref: Any = None
        self._keys: Optional[tuple[str, ...]] = None
        self._tables: dict[str, Mapping[str, dict]] = {}
        self._own: Optional[TableGrouped] = None

    def _compiled(self) -> TableGrouped:
        if self._own is None:
            self._own = self._table.compiled(self._number)
        return self._own

    def _where(self) -> dict[str, tuple]:
        if self._spans is None:
            self._spans, self._keys_ref = self._table.read(self._ref)
        return self._spans

    def _stored_keys(self, head: str) -> Sequence[str]:
        first, last, _ = self._where()[head]
        if self._keys is None:
            self._keys = self._table.read(self._keys_ref)
        return self._keys[first:last]

    def heads(self) -> Iterable[str]:
        if self._own is None:
            try:
                return self._where()
            except EntryDamaged:
                pass
        return self._compiled().heads()

    def keys(self, head: str) -> Sequence[str]:
        if self._own is None:
            try:
                return self._stored_keys(head)
            except EntryDamaged:
                pass
        return self._compiled().keys(head)

    def table(self, head: str) -> Mapping[str, dict]:
        found = self._tables.get(head)
        if found is None:
            if self._own is None:
                try:
                    _, _, captures = self._where()[head]
                    found = dict(zip(self._stored_keys(head), self._table.read(captures)))
                except EntryDamaged:
                    pass
            if found is None:
                found = self._compiled().table(head)
            self._tables[head] = found
        return found
