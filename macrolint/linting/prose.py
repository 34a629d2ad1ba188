"""What a fix may not do to the sentence it edits.

Each edit is checked in its neighbourhood before it is taken, so one bad fix is dropped with
its reason and the others still apply:

* no two words joined ("If youuse the app");
* no doubled space or punctuation made ("you  can", "day, ."), no two determiners ("the this");
* no auxiliary left without its verb by deleting a phrase ("users can their login");
* no word cut from a name or title in Title Case ("Simply Begin Again with ...");
* a capital only where a sentence starts, or where the replaced text had one ("You can Click");
* no sentence left starting in lower case where it started with a capital;
* the meaning words kept: not, no, never, n't, cannot, and every number.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Optional

from macrolint.text.casing import I_WORDS
from macrolint.text.document import MASK

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_DOUBLES = re.compile(r"(?<=\S)  (?=\S)|[ \t][,.;:!?](?![\w.])|([,;:])\1|,\.|\.,|(?<!\.)\.\.(?!\.)|[,;:]\.")
_NEGATION = re.compile(r"\b(?:not|no|never|cannot)\b|n['’]t\b", re.I)
_NUMBER = re.compile(r"\d+")
#: Words a deleted verb phrase would leave dangling ("users can [rest assured that] their login").
_AUXILIARIES = {"can", "could", "may", "might", "will", "would", "shall", "should", "must", "to", "do", "does",
                "did", "can't", "cannot", "won't", "don't", "please"}
_DETERMINERS = re.compile(r"\b(?:the|a|an|this|these|those|our|your|my)\s+(?:the|a|an|this|that|these|those)\b",
                          re.I)
#: Two capitalised words after the edit: a name or title ("Simply Begin Again with ...").
_TITLE_AFTER = re.compile(r"[\s,]*[A-Z][a-z][\w'’]*[ \t]+[A-Z][a-z][\w'’]*")
_OPENERS = " \t\"'“‘(*_>-•" + MASK
_WINDOW = 80


def sentence_start(text: str, pos: int) -> bool:
    """Whether ``text[pos]`` begins a sentence: text start, after . ! ? (or a colon), after a
    blank line, or at a line start after a line that ended a sentence."""
    i = pos - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    if i < 0 or text[i] in ".!?:":
        return True
    if text[i] != "\n":
        return False
    i -= 1
    while i >= 0 and text[i] in " \t\r":
        i -= 1
    return i < 0 or text[i] in ".!?:;,\n>" or text[i] in "}]"


def edit_problem(text: str, start: int, end: int, content: str) -> Optional[str]:
    """Why replacing ``text[start:end]`` with ``content`` would damage the sentence, or None."""
    lo, hi = max(0, start - _WINDOW), min(len(text), end + _WINDOW)
    # Cut the window at whitespace so both sides see whole words.
    while lo > 0 and not text[lo - 1].isspace() and start - lo < 2 * _WINDOW:
        lo -= 1
    while hi < len(text) and not text[hi].isspace() and hi - end < 2 * _WINDOW:
        hi += 1
    before = text[lo:hi]
    after = text[lo:start] + content + text[end:hi]
    at = start - lo  # where the edit is in both
    old_words = {w.lower() for w in _WORD.findall(before)}
    new_words = {w.lower() for w in _WORD.findall(content)}
    seen = Counter(_WORD.findall(before))
    for m in _WORD.finditer(after):
        word = m.group()
        if word.lower() not in old_words and word.lower() not in new_words:
            return f"it would join words (“{word}”)"
        if m.start() != at or not word[0].isupper():
            continue  # only the word the edit starts: later words of a rewrite are its own
        if word in I_WORDS or seen[word] or (len(word) > 1 and word.isupper()):
            continue
        if sentence_start(after, m.start()) or (m.start() == at and end > start and text[start].isupper()):
            continue
        return f"it would put a capital in the middle of a sentence (“{word}”)"
    i = at
    while i < len(after) and after[i] in "\"'“‘(":
        i += 1
    first = after[i:i + 1]
    if first.isalpha() and first.islower() and end > start and text[start].isupper() and sentence_start(text, start):
        return "the sentence would start in lower case"
    if not content and end - start > 0 and len(_WORD.findall(text[start:end])) > 1 and not sentence_start(text, start):
        last = _WORD.findall(text[lo:start])[-1:]
        if last and last[0].lower() in _AUXILIARIES:
            return f"it would leave “{last[0]}” without its verb"
    if end > start and text[start].isupper() and _TITLE_AFTER.match(text, end):
        return "it would cut a name or title in Title Case"
    if len(_DETERMINERS.findall(after)) > len(_DETERMINERS.findall(before)):
        return "it would put two determiners together"
    if len(_DOUBLES.findall(after)) > len(_DOUBLES.findall(before)):
        return "it would leave a doubled space or punctuation mark"
    if len(_NEGATION.findall(after)) < len(_NEGATION.findall(before)):
        return "it would drop a negation (not, no, never)"
    if Counter(_NUMBER.findall(after)) != Counter(_NUMBER.findall(before)):
        return "it would change a number"
    return None
