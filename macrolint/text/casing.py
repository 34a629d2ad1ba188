"""Case preservation for rewrites: a rewrite of a Capitalised match is Capitalised, of an
ALL-CAPS match is ALL CAPS."""
from __future__ import annotations

#: "I" and its contractions: capitalised anywhere in a sentence.
I_WORDS = frozenset({"I", "I'm", "I'll", "I've", "I'd", "I’m", "I’ll", "I’ve", "I’d"})


def match_case(replacement: str, original: str) -> str:
    """``replacement`` cased like ``original``."""
    if not replacement:
        return replacement
    letters = [c for c in original if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return replacement.upper()
    first = original.split(maxsplit=1)[0] if original.strip() else ""
    acronym = len(first) >= 2 and sum(c.isupper() for c in first) >= 2  # "KB article": not a capital
    if letters and first[:1].isupper() and not acronym and replacement[:1].islower():
        return replacement[0].upper() + replacement[1:]
    return replacement


def capitalize_first(text: str) -> str:
    """Upper-case the first letter of ``text`` (used after deleting a sentence opener)."""
    for i, c in enumerate(text):
        if c.isalpha():
            return text[:i] + c.upper() + text[i + 1:]
        if not c.isspace() and c not in "\"'“‘(":
            return text
    return text
