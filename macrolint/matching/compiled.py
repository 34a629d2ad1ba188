"""The compile step: a pack as its files describe it (``packs.load.Pack``) made ready to match.

Compiling a pack numbers its literal phrases into one ``FormTable`` (their forms filed by
head), works out the near-variant forms of each fuzzily compared entry and the table of
deletions that finds their anchor words (``NearTable``), and binds every literal phrase to its
place in the table (``TabledPhrase``). That is the whole of what the pack cache keeps: a run on
an unchanged pack loads it instead of reading and expanding the files (``matching.store``).
"""
from __future__ import annotations

from typing import NamedTuple, Optional

from macrolint.matching.formtable import FormTable, Grouped
from macrolint.matching.nearforms import NearTable, fuzzy_targets
from macrolint.packs.load import Pack
from macrolint.packs.model import MatchEntry
from macrolint.packs.phrases import Phrase

#: The fields of a rule that hold benign contexts, in the order phrases are numbered.
CONTEXTS = ("exceptions", "unless_before", "unless_after", "unless_sentence", "articles_need")


class PackIndex(NamedTuple):
    """What a compiled pack's matching needs besides its rules."""

    forms: FormTable
    near: NearTable


class CompiledPack(NamedTuple):
    pack: Pack
    index: PackIndex


class TabledPhrase(Phrase):
    """A literal phrase of a compiled pack: phrase ``number`` of ``index.forms``. Its key table
    (``segments``) is put together only when something asks for it; matching reads its forms
    head by head (``groups``)."""

    index: PackIndex
    number: int

    def __new__(cls, source: str, index: PackIndex, number: int, segments: Optional[tuple] = None):
        self = tuple.__new__(cls, (source, None))
        self.index = index
        self.number = number
        self._segments = segments
        return self

    @property
    def groups(self) -> Grouped:
        return self.index.forms.groups(self.number)

    @property
    def segments(self) -> tuple[dict[str, dict[int, str]], ...]:  # type: ignore[override]
        found = self._segments
        if found is None:
            groups = self.groups
            found = self._segments = ({key: caps for h in groups.heads() for key, caps in groups.table(h).items()},)
        return found

    @property
    def is_literal(self) -> bool:
        return True

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Phrase):
            return self.source == other.source and self.segments == other.segments
        return NotImplemented

    def __reduce__(self):
        return Phrase, (self.source, self.segments)


def compile_pack(pack: Pack) -> CompiledPack:
    """``pack`` with its literal phrases numbered into one table (a phrase written the same way in
    several places is one phrase there) and its near-variant tables worked out."""
    numbers: dict[str, int] = {}
    literals: list[Phrase] = []
    tabled: list[TabledPhrase] = []

    def bind(phrase):
        if not isinstance(phrase, Phrase) or not phrase.is_literal:
            return phrase
        number = numbers.get(phrase.source)
        if number is None:
            number = numbers[phrase.source] = len(literals)
            literals.append(phrase)
            tabled.append(TabledPhrase(phrase.source, None, number, phrase.segments))  # type: ignore[arg-type]
        return tabled[number]

    rules = []
    for rule in pack.rules:
        changes: dict = {k: tuple(map(bind, getattr(rule, k))) for k in CONTEXTS}
        changes["matches"] = tuple(m._replace(phrase=bind(m.phrase), fuzzy_keys=_near_forms(m)) for m in rule.matches)
        rules.append(rule._replace(**changes))
    index = PackIndex(FormTable.build(literals, pack.variants), NearTable.build(rules))
    for phrase in tabled:
        phrase.index = index
    return CompiledPack(pack._replace(rules=tuple(rules)), index)


def _near_forms(m: MatchEntry):
    """The forms an entry is compared by for near-variants (``()`` for none), worked out once here
    so a loaded pack need not expand every form of the phrase to find them; None when the entry
    is never compared so."""
    if not (m.fuzzy and m.phrase is not None and m.phrase.is_literal):
        return None
    return tuple(fuzzy_targets(m))
