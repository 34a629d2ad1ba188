"""What the library report needs of one file, written down where the file is linted.

An *item* is one macro, saved reply or article: the units of a file that name the same item
(``Item.id`` and ``Item.title``: a Zendesk macro's title, subject and comment), or, in a file
that is no export (a plain reply, an article), the whole file. For each item: its fields, how
many words it has (in the linted text, placeholders, URLs and code left out), its usage counts,
the customer-facing text near-duplicates are compared by (every field but the title, which names
the item for agents) and that text's MinHash signature. For each diagnostic: the words around it,
to show a finding in its sentence.
"""
from __future__ import annotations

import re
import string
from typing import NamedTuple, Optional, Sequence

from macrolint.linting.library.minhash import signature
from macrolint.text.document import MASK, Source, Unit, unmasked

#: What separates words besides spaces: punctuation, quotes, dashes, the marks ``ItemFacts.text``
#: uses ("5–7" is two words). Apostrophes join a word's parts ("don't", "customer’s").
PUNCTUATION = string.punctuation.replace("'", "") + "“”‚„«»‹›—–‐‑‒―…•·¶§°©®™¡¿\x02\x03\x1a"
_APOSTROPHES = "'’‘ʼ"
_SEPARATE = str.maketrans({**dict.fromkeys(PUNCTUATION, " "), **dict.fromkeys(_APOSTROPHES, "'")})
_LETTERS = "[^\\s" + re.escape(PUNCTUATION + _APOSTROPHES) + "]+"
#: A word as ``words_of`` cuts them, for showing a text word by word.
WORD = re.compile(f"{_LETTERS}(?:[{_APOSTROPHES}]{_LETTERS})*")
#: Fields that name an item rather than say something to the customer (``scopes.unit_scope``).
TITLE_FIELDS = frozenset({"title", "name"})
#: Units that are no item's: the preamble of a one-file library of replies.
NOTE_FIELDS = frozenset({"preamble"})
#: Items with fewer words than this are not compared for near-duplicates: a greeting or a
#: one-line reply is "nearly the same" as too many others to mean anything.
MIN_DUPLICATE_WORDS = 8
#: Characters of a finding's sentence kept on each side of it.
CONTEXT = 80
#: What encloses a placeholder in ``ItemFacts.text`` (control characters no reply holds).
OPEN, CLOSE = "\x02", "\x03"
PLACEHOLDER = re.compile("\x02[^\x03]*\x03")
_SPACES = re.compile(r"\s+")
#: Each word's hash for the signatures (``minhash.signature``), kept across the files of a worker.
_HASHES: dict = {}


class ItemFacts(NamedTuple):
    #: ``(id, title)`` as diagnostics name the item (``Diagnostic.item``); None: the file itself.
    key: Optional[tuple[Optional[str], Optional[str]]]
    id: Optional[str]
    title: Optional[str]
    fields: tuple[str, ...]
    words: int
    #: ``Item.meta``: usage counts the export gives.
    meta: tuple = ()
    #: The customer-facing text, spaces collapsed, fields joined by " ¶ ", each placeholder as
    #: written between ``OPEN`` and ``CLOSE``, any other stretch the reader left out as "…".
    text: str = ""
    #: MinHash of ``text``'s word pairs (``minhash.signature``); empty when it is too short to compare.
    signature: bytes = b""


class FileFacts(NamedTuple):
    #: The help desk whose export this is, when the reader knows it.
    platform: Optional[str]
    format: str
    articles: bool
    items: tuple[ItemFacts, ...]
    #: For each diagnostic of the file, in order: the text just before and just after its match,
    #: or None (a problem with the file, not a finding in its text).
    contexts: tuple[Optional[tuple[str, str]], ...]


def item_key(item) -> Optional[tuple[Optional[str], Optional[str]]]:
    """The key of an ``Item`` or of a diagnostic's item dict; None for the file itself."""
    if item is None:
        return None
    if isinstance(item, dict):
        ident, title = item.get("id"), item.get("title")
    else:
        ident, title = item.id, item.title
    return (ident, title) if ident is not None or title is not None else None


def words_of(text: str) -> list[str]:
    """The normalised words of an ``ItemFacts.text`` (or of a unit's text, where placeholders
    are ``MASK``) as near-duplicates are compared: lower-case, without punctuation or placeholders."""
    if OPEN in text:
        text = PLACEHOLDER.sub(" ", text)
    words = text.lower().translate(_SEPARATE).split()
    if "'" in text or not text.isascii():
        words = [w for w in (w.strip("'") for w in words) if w]
    return words


def file_facts(source: Source, found: Sequence[tuple]) -> FileFacts:
    """The facts of a read and linted file; ``found`` is ``Linter.analyze``'s output."""
    groups: dict = {}
    if len(_HASHES) > 500_000:  # a worker's word hashes, kept from file to file, within bounds
        _HASHES.clear()
    for unit in source.units:
        if unit.item is not None and unit.item.field in NOTE_FIELDS:
            continue  # a library's preamble: what it says to agents, no reply of its own
        groups.setdefault(item_key(unit.item), []).append(unit)
    items = []
    for key, units in groups.items():
        facts = _item_facts(key, units)
        if facts.words or any(item_key(d.item) == key for d, _, _ in found):
            items.append(facts)
    contexts = tuple(_context(unit, finding) if unit is not None and finding is not None else None
                     for _, unit, finding in found)
    return FileFacts(source.platform, source.format, source.articles, tuple(items), contexts)


def _item_facts(key, units: list[Unit]) -> ItemFacts:
    first = units[0].item
    words = 0
    fields: list[str] = []
    texts: list[str] = []
    tokens: list[str] = []
    meta: tuple = ()
    for unit in units:
        mine = words_of(unit.text)
        words += len(mine)
        field = unit.item.field if unit.item is not None else "text"
        if field not in fields:
            fields.append(field)
        if unit.item is not None and unit.item.meta:
            meta = unit.item.meta
        if field in TITLE_FIELDS or not mine:
            continue
        texts.append(_SPACES.sub(" ", _shown(unit)).strip())
        tokens += mine
    text = " ¶ ".join(texts)
    sig = signature(tokens, _HASHES) if len(tokens) >= MIN_DUPLICATE_WORDS else b""
    return ItemFacts(key, first.id if first else None, first.title if first else None, tuple(fields), words,
                     meta, text, sig)


def _shown(unit: Unit) -> str:
    """A unit's text with each placeholder written out between ``OPEN`` and ``CLOSE``."""
    text = unit.text
    if MASK not in text:
        return text
    parts, pos = [], 0
    for at, hole in zip(unit.masked_at, unit.placeholder_texts):
        parts.append(text[pos:at].replace(MASK, "…"))
        parts.append(OPEN + hole.replace(OPEN, "").replace(CLOSE, "") + CLOSE)
        pos = at + 1
    parts.append(text[pos:].replace(MASK, "…"))
    return "".join(parts)


def _context(unit: Unit, finding) -> tuple[str, str]:
    """The words before and after a finding, within its paragraph, placeholders written out."""
    start, end = finding.start, finding.end
    lo = max(0, start - CONTEXT)
    hi = min(len(unit.text), end + CONTEXT)
    before = unmasked(unit, lo, start)
    after = unmasked(unit, end, hi)
    before = before[before.rfind("\n\n") + 2:] if "\n\n" in before else before
    after = after[:after.find("\n\n")] if "\n\n" in after else after
    if lo > 0 and " " in before:
        before = "…" + before[before.find(" ") + 1:]
    if hi < len(unit.text) and " " in after:
        after = after[:after.rfind(" ")] + "…"
    return _SPACES.sub(" ", before), _SPACES.sub(" ", after)
