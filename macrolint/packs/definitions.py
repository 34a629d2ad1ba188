"""Pack-level definitions: contexts, guards and word classes a pack declares once, by name, for
its rules to refer to.

A pack declares them under ``definitions:`` in ``pack.yaml`` and/or in YAML files in its
``definitions/`` folder, each file a mapping of name to definition::

    quoted-text:
      kind: guard
      side: before
      description: Inside quotation marks, the customer's words or an app message.
      entries: ['re:(?:^|(?<=[\\s(\\[:*_>]))["“][^"”“\\n]{0,100}']
    weekday:
      kind: words
      description: The days of the week.
      words: [monday, tuesday, wednesday, thursday, friday, saturday, sunday]

Three kinds:

* ``context``: entries (phrases, ``re:`` regexes, ``def:`` references to other contexts) a rule
  lists under ``exceptions``, ``unless_before``, ``unless_after``, ``unless_sentence`` or ``articles_need`` as
  ``def:NAME``;
* ``guard``: a context that only means something next to the match: ``side: before`` stands
  under ``unless_before``, ``side: after`` under ``unless_after``, and nowhere else;
* ``words``: a word class, written ``\\L<NAME>`` inside a regex (``re:`` entries, ``pattern:``)
  as ``(?:a|b|c)``, or inside a phrase as the alternatives ``(a|b|c)``.

References are resolved while the pack loads: a rule holds the phrases and regexes they stand
for, exactly as if it had spelt them out, so the cache and the matchers never see a name.
"""
from __future__ import annotations

import re
from typing import Mapping, NamedTuple, Optional, Sequence

from macrolint.packs import schema as S
from macrolint.packs.phrases import PhraseError, compile_phrase

#: How a rule's context entry names a definition (``re:`` names a regex, anything else is a phrase).
REF = "def:"
#: A word class inside a regex or a phrase: the ``regex`` module's named-list syntax.
WORDS_RE = re.compile(r"\\L<([^<>\s]*)>")
#: Where a pack's definition files live, inside the pack folder.
FOLDER = "definitions"

KINDS = ("context", "guard", "words")
SIDES = ("before", "after")
KEYS = {
    "kind": "context, guard or words",
    "description": "one line: what the definition stands for (shown in the docs and `macrolint explain`)",
    "entries": "context and guard: phrases, `re:` regexes and `def:` references",
    "words": "words: the words and phrases of the class",
    "side": "guard: before (for unless_before) or after (for unless_after)",
}
#: The rule lists a context may stand in; a guard stands only in the one its side names.
LISTS = ("exceptions", "unless_before", "unless_after", "unless_sentence", "articles_need")
_GUARD_LIST = {"before": "unless_before", "after": "unless_after"}
#: What a word written into a regex needs escaped (spaces, hyphens and apostrophes stay as written).
_REGEX_SPECIAL = re.compile(r"([\\.^$*+?{}\[\]|()])")


class Definition(NamedTuple):
    name: str
    kind: str
    description: str
    path: str
    line: int
    side: Optional[str] = None
    #: The entries (context, guard) or words as written.
    written: tuple[str, ...] = ()
    #: What it stands for: phrases and ``re:`` regexes with every reference and word class
    #: resolved (context, guard), or the words (words).
    entries: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def kind_label(self) -> str:
        return f"guard ({self.side})" if self.kind == "guard" else ("word class" if self.kind == "words" else "context")

    def fits(self, key: str) -> bool:
        """Whether the definition may stand in the rule list ``key``."""
        if self.kind == "context":
            return True
        return self.kind == "guard" and _GUARD_LIST.get(self.side or "") == key

    def misplaced(self, key: str) -> str:
        """Why the definition cannot stand in ``key``."""
        ref = f"{REF}{self.name}"
        if self.kind == "words":
            return f'{ref} is a word class ({self.where}); write it inside a phrase or regex as \\L<{self.name}>'
        return (f'{ref} is a guard for {_GUARD_LIST.get(self.side or "", "?")} ({self.where}); '
                f'it means nothing under {key}')


class Definitions:
    """A pack's definitions by name, resolved; records which ones the rules use."""

    def __init__(self, items: Optional[dict[str, Definition]] = None) -> None:
        self.items: dict[str, Definition] = dict(items or {})
        self.used: set[str] = set()
        #: Definitions that failed validation: references to them add no second error.
        self.broken: set[str] = set()

    def add_words(self, words: Mapping[str, Sequence[str]]) -> None:
        """A config's additions to the word classes this pack defines (others are left for the
        packs that define them)."""
        for name, added in words.items():
            d = self.items.get(name)
            if d is not None and d.kind == "words":
                new = tuple(w for w in dict.fromkeys(added) if w not in d.entries)
                self.items[name] = d._replace(written=d.written + new, entries=d.entries + new)

    def __contains__(self, name: str) -> bool:
        return name in self.items

    def get(self, name: str) -> Optional[Definition]:
        return self.items.get(name)

    def unused(self) -> list[Definition]:
        return [d for d in self.items.values() if d.name not in self.used]

    def _mark(self, name: str) -> None:
        """``name`` and everything it refers to are in use."""
        if name in self.used or name not in self.items:
            return
        self.used.add(name)
        for text in self.items[name].written:
            if text.startswith(REF):
                self._mark(text[len(REF):].strip())
            for word in WORDS_RE.findall(text):
                self._mark(word)

    # -- what rules call ------------------------------------------------------------------------

    def expand_words(self, text: str, regex: bool, path: str, line: int, where: str,
                     problems: S.Problems) -> Optional[str]:
        """``text`` with each ``\\L<name>`` written out; None (and a problem) when one names no word class."""
        if "\\L<" not in text:
            return text
        ok = True

        def sub(m: re.Match) -> str:
            nonlocal ok
            name = m.group(1)
            found = self.items.get(name)
            if found is None or found.kind != "words":
                ok = False
                if name in self.broken:
                    return ""
                if found is None:
                    problems.add(path, line, f"{where}: \\L<{name}> names no word class{self._suggest(name, 'words')}")
                else:
                    problems.add(path, line, f"{where}: \\L<{name}> names a {found.kind_label} ({found.where}), "
                                             f"not a word class; list it as {REF}{name}")
                return ""
            self._mark(name)
            return words_alternation(found.entries, regex)

        out = WORDS_RE.sub(sub, text)
        return out if ok else None

    def resolve(self, text: str, key: str, path: str, line: int, problems: S.Problems) -> Optional[tuple[str, ...]]:
        """The entries a rule's ``def:NAME`` in list ``key`` stands for; None (and a problem) when
        it names nothing, or a definition that cannot stand there."""
        name = text[len(REF):].strip()
        found = self.items.get(name)
        if found is None:
            if name not in self.broken:
                problems.add(path, line, f'{key}: unknown definition "{name}"{self._suggest(name, "context", "guard")}')
            return None
        if not found.fits(key):
            problems.add(path, line, f"{key}: {found.misplaced(key)}")
            return None
        self._mark(name)
        return found.entries

    def word_class(self, name: str, path: str, line: int, problems: S.Problems) -> Optional[frozenset[str]]:
        """The words of the word class ``name`` (lower-cased), for a code-backed check that looks
        words up; None (and a problem) when ``name`` is no word class."""
        found = self.items.get(name)
        if found is None or found.kind != "words":
            if name not in self.broken:
                what = "names no word class" if found is None else f"names a {found.kind_label} ({found.where})"
                problems.add(path, line, f'words: "{name}" {what}{self._suggest(name, "words") if found is None else ""}')
            return None
        self._mark(name)
        return frozenset(w.lower() for w in found.entries)

    def copy_of(self, text: str, key: str) -> Optional[Definition]:
        """The single-entry definition a rule's entry (written out) copies, if it may stand there."""
        for d in self.items.values():
            if d.kind != "words" and d.entries == (text,) and d.fits(key):
                return d
        return None

    def spelled(self, entries: Sequence[str], key: str) -> list[tuple[Optional[Definition], tuple[str, ...]]]:
        """A rule list as written out, grouped back into the definitions it is made of (the longest
        run first), for the docs: ``(definition or None, entries)`` pairs in order."""
        candidates = sorted((d for d in self.items.values() if d.kind != "words" and d.entries and d.fits(key)),
                            key=lambda d: -len(d.entries))
        out: list[tuple[Optional[Definition], tuple[str, ...]]] = []
        i = 0
        entries = tuple(entries)
        while i < len(entries):
            for d in candidates:
                if entries[i:i + len(d.entries)] == d.entries:
                    out.append((d, d.entries))
                    i += len(d.entries)
                    break
            else:
                out.append((None, (entries[i],)))
                i += 1
        return out

    def users(self, rules: Sequence) -> dict[str, list[str]]:
        """Codes of the ``rules`` whose lists hold each definition (as ``spelled`` finds them)."""
        out: dict[str, list[str]] = {name: [] for name in self.items}
        for rule in rules:
            for key in LISTS:
                sources = [p.source for p in getattr(rule, key)]
                for d, _ in self.spelled(sources, key):
                    if d is not None:
                        for name in _closure(self, d.name):
                            if rule.code not in out[name]:
                                out[name].append(rule.code)
            for name, _ in getattr(rule, "words", ()):
                if name in out and rule.code not in out[name]:
                    out[name].append(rule.code)
            for m in rule.matches:
                for d in self.items.values():
                    if d.kind == "words" and words_alternation(d.entries, m.phrase is None) in m.source:
                        if rule.code not in out[d.name]:
                            out[d.name].append(rule.code)
        return out

    def _suggest(self, name: str, *kinds: str) -> str:
        return S.did_you_mean(name, [n for n, d in self.items.items() if d.kind in kinds])


def _closure(defs: Definitions, name: str) -> list[str]:
    """``name`` and every definition it refers to, directly or not."""
    seen: list[str] = []
    todo = [name]
    while todo:
        n = todo.pop()
        if n in seen or n not in defs.items:
            continue
        seen.append(n)
        for text in defs.items[n].written:
            if text.startswith(REF):
                todo.append(text[len(REF):].strip())
            todo.extend(WORDS_RE.findall(text))
    return seen


def words_alternation(words: Sequence[str], regex: bool) -> str:
    """A word class written out: ``(?:a|b)`` in a regex, ``(a|b)`` in a phrase."""
    if regex:
        return "(?:" + "|".join(_REGEX_SPECIAL.sub(r"\\\1", w) for w in words) + ")"
    return "(" + "|".join(words) + ")"


def entry_problem(text: str, variants) -> Optional[str]:
    """Why a context entry (a phrase or ``re:`` regex, written out) is not valid, or None."""
    if text.startswith("re:"):
        import regex

        try:
            regex.compile(text[3:])
        except regex.error as exc:
            return f"regex does not compile: {exc}"
        if names_old_mask(text):
            return OLD_MASK_NOTE
        return None
    try:
        compile_phrase(text, variants)
    except PhraseError as exc:
        return str(exc)
    return None


#: What a pattern naming the old stand-in for a placeholder (U+FFFC) is told: it would quietly
#: never match, since placeholders read as ``MASK``.
OLD_MASK_NOTE = "\\ufffc no longer stands for a placeholder; write \\x1a"


def names_old_mask(pattern: str) -> bool:
    return "\ufffc" in pattern or "\\ufffc" in pattern.lower()
