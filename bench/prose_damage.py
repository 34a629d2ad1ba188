"""What a fix did to the prose it edited, judged from the text before and after only.

Independent of how fixes are planned: the two texts are compared word by word
(``difflib``), and the damage a reader would see is listed:

* a word that is in neither the text before nor any rule's rewrite (two words joined);
* a capital that appeared where no sentence starts, or a sentence start that lost its capital;
* a doubled space or punctuation mark that was not there;
* a number changed, or a negation (not, no, never, n't, cannot) lost;
* a quoted line (``>``) changed.

Used by ``bench/fix_corpus.py`` on every file it fixes and by the property tests.
"""
from __future__ import annotations

import difflib
import re
from collections import Counter
from typing import Iterable

from macrolint.text.document import MASK

WORD = re.compile(r"\w+(?:['’]\w+)*")
DOUBLES = re.compile(r"(?<=\S)  (?=\S)|[ \t][,.;:!?](?![\w.])|,,|;;|,\.|\.,|(?<!\.)\.\.(?!\.)")
NEGATION = re.compile(r"\b(?:not|no|never|cannot)\b|n['’]t\b", re.I)
NUMBER = re.compile(r"\d+")
I_WORDS = {"I", "I'm", "I'll", "I've", "I'd", "I’m", "I’ll", "I’ve", "I’d"}
#: What may stand between a sentence's end and its first word: quotes, brackets, list marks,
#: emphasis, a placeholder.
_OPENING = "[ \\t\"'“‘(*_>•\\-" + MASK + "]*"
#: Text before a word that starts a sentence: nothing, a full stop (or colon), a blank line, or a
#: line break after a line that does not end inside a sentence (a word, a hyphen, a quote).
_BEFORE_START = re.compile(r"(?:\A|[.!?:]|\n[ \t\r]*\n|(?:\A|[^\w\-'’\"”])[ \t\r]*\n)" + _OPENING + r"\Z")


def starts_sentence(text: str, pos: int) -> bool:
    return _BEFORE_START.search(text, max(0, pos - 200), pos) is not None


def rewrite_vocabulary(rules) -> set[str]:
    """Every word a rule's rewrite may bring in."""
    words: set[str] = set()
    for rule in rules:
        for entry in rule.matches:
            if entry.replace:
                words.update(w.lower() for w in WORD.findall(entry.replace))
    return words


def damage(before: str, after: str, vocabulary: Iterable[str] = ()) -> list[str]:
    """What the change from ``before`` to ``after`` broke (empty: nothing)."""
    if before == after:
        return []
    problems: list[str] = []
    vocab = set(vocabulary) | {w.lower() for w in WORD.findall(before)}
    old = list(WORD.finditer(before))
    new = list(WORD.finditer(after))
    sm = difflib.SequenceMatcher(None, [m.group().lower() for m in old], [m.group().lower() for m in new],
                                 autojunk=False)
    moved = -1  # the new word that took the capital of a word deleted before it
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "delete" and old[i1].group()[0].isupper():
            moved = j1
        if tag in ("insert", "replace"):
            for m in new[j1:j2]:
                if m.group().lower() not in vocab:
                    problems.append(f"new word “{m.group()}” (joined words?)")
            first = new[j1] if j2 > j1 else None
            if first and first.group()[0].isupper() and first.group() not in I_WORDS \
                    and not first.group().isupper() and not starts_sentence(after, first.start()):
                was = old[i1].group() if i2 > i1 else ""
                if not was[:1].isupper():
                    problems.append(f"capital mid-sentence: “{first.group()}”")
        elif tag == "equal":
            for j, (a, b) in enumerate(zip(old[i1:i2], new[j1:j2]), j1):
                if a.group() == b.group():
                    continue
                if b.group()[0].isupper() and not starts_sentence(after, b.start()) and j != moved:
                    problems.append(f"capital mid-sentence: “{b.group()}”")
                if b.group()[0].islower() and a.group()[0].isupper() and starts_sentence(after, b.start()):
                    problems.append(f"sentence starts in lower case: “{b.group()}”")
    if len(DOUBLES.findall(after)) > len(DOUBLES.findall(before)):
        problems.append("doubled space or punctuation")
    if Counter(NUMBER.findall(after)) != Counter(NUMBER.findall(before)):
        problems.append("a number changed")
    if len(NEGATION.findall(after)) < len(NEGATION.findall(before)):
        problems.append("a negation was lost")
    quoted = Counter(line for line in before.splitlines() if line.lstrip().startswith(">"))
    kept = Counter(line for line in after.splitlines() if line.lstrip().startswith(">"))
    if quoted - kept:
        problems.append("a quoted line changed")
    return problems


def file_damage(linter, path: str, before: str, after: str, fmt: str) -> list[str]:
    """``damage`` unit by unit: the texts the readers make of the file before and after."""
    from macrolint import readers

    old = readers.read(path, before, fmt, linter.config).units
    new = readers.read(path, after, fmt, linter.config).units
    if len(old) != len(new):
        return [f"{len(old)} texts before, {len(new)} after"]
    vocab = rewrite_vocabulary(linter.rules)
    return [p for a, b in zip(old, new) for p in damage(a.text, b.text, vocab)]
