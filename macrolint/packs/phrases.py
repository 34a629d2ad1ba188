"""The phrase syntax of rule packs, and how phrases expand into the keys the engine matches.

A phrase is plain words plus three small operators:

* ``(says|shows|said)`` alternatives, numbered ``{1}``, ``{2}``… in order of their opening
  bracket, so a rewrite can carry the chosen word over;
* ``[unfortunately]`` an optional part (not numbered);
* ``...`` a gap of up to three words.

Matching ignores case, treats curly and straight apostrophes alike, lets any run of spaces (or
one line break, or a hyphen) stand between words, and expands contractions both ways
(``there is`` / ``there's``) and the spelling variants a pack lists (``apologize``/``apologise``).
"""
from __future__ import annotations

import itertools
import re
from typing import Mapping, NamedTuple, Union

from macrolint.text.document import MASK_PATTERN

#: Between two words of a phrase: spaces, at most one line break, or a hyphen.
SEP = r"(?:[^\S\n]*-[^\S\n]*|[^\S\n]+\n?[^\S\n]*|\n[^\S\n]*)"
#: A gap of up to three words.
GAP = r"(?:[^\s" + MASK_PATTERN + "]+" + SEP + r"){0,3}?"
MAX_GAP_WORDS = 3
MAX_EXPANSIONS = 4096

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "`": "'", "\u00b4": "'"})

_CONTRACTIONS = [
    ("there is", "there's"), ("that is", "that's"), ("it is", "it's"), ("what is", "what's"),
    ("here is", "here's"), ("who is", "who's"), ("i am", "i'm"), ("we are", "we're"),
    ("you are", "you're"), ("they are", "they're"), ("we will", "we'll"), ("i will", "i'll"),
    ("you will", "you'll"), ("it will", "it'll"), ("they will", "they'll"), ("we have", "we've"),
    ("i have", "i've"), ("you have", "you've"), ("they have", "they've"), ("we would", "we'd"),
    ("i would", "i'd"), ("you would", "you'd"), ("do not", "don't"), ("does not", "doesn't"),
    ("did not", "didn't"), ("is not", "isn't"), ("are not", "aren't"), ("was not", "wasn't"),
    ("were not", "weren't"), ("cannot", "can't"), ("can not", "can't"), ("will not", "won't"),
    ("would not", "wouldn't"), ("should not", "shouldn't"), ("could not", "couldn't"),
    ("have not", "haven't"), ("has not", "hasn't"), ("let us", "let's"), ("must not", "mustn't"),
]


class PhraseError(ValueError):
    """A phrase that does not parse."""


# --- parsing ---------------------------------------------------------------------------------

class _Alt(NamedTuple):
    options: tuple[tuple, ...]
    number: int  # 0 = not captured


_GAP = object()
Node = Union[str, _Alt, object]


def _parse(phrase: str) -> tuple:
    pos = 0
    counter = [0]

    def seq(closers: str) -> tuple:
        nonlocal pos
        out: list = []
        buf: list[str] = []

        def flush() -> None:
            if buf:
                out.append("".join(buf))
                buf.clear()

        while pos < len(phrase):
            c = phrase[pos]
            if c in closers:
                break
            if phrase.startswith("...", pos) or c == "\u2026":
                flush()
                out.append(_GAP)
                pos += 3 if c == "." else 1
                continue
            if c in "([":
                flush()
                number = 0
                if c == "(":
                    counter[0] += 1
                    number = counter[0]
                pos += 1
                options = [seq("|)" if c == "(" else "|]")]
                while pos < len(phrase) and phrase[pos] == "|":
                    pos += 1
                    options.append(seq("|)" if c == "(" else "|]"))
                want = ")" if c == "(" else "]"
                if pos >= len(phrase) or phrase[pos] != want:
                    raise PhraseError(f"unclosed '{c}' in phrase {phrase!r}")
                pos += 1
                if c == "[":
                    options.append(())
                out.append(_Alt(tuple(options), number))
                continue
            if c in ")]|":
                raise PhraseError(f"unexpected '{c}' in phrase {phrase!r}")
            buf.append(c)
            pos += 1
        flush()
        return tuple(out)

    tree = seq("")
    if pos != len(phrase):
        raise PhraseError(f"unexpected '{phrase[pos]}' in phrase {phrase!r}")
    return tree


def _split_gaps(tree: tuple) -> list[tuple]:
    segments: list[list] = [[]]
    for node in tree:
        if node is _GAP:
            segments.append([])
        else:
            segments[-1].append(node)
    return [tuple(s) for s in segments]


def _expand(seq: tuple) -> list[tuple[str, dict[int, str]]]:
    results: list[tuple[str, dict[int, str]]] = [("", {})]
    for node in seq:
        if isinstance(node, str):
            results = [(s + node, caps) for s, caps in results]
            continue
        if node is _GAP:
            raise PhraseError("a gap '...' cannot stand inside brackets")
        options: list[tuple[str, dict[int, str]]] = []
        for opt in node.options:
            for text, caps in _expand(opt):
                if node.number:
                    caps = {**caps, node.number: normalize_key(text)}
                options.append((text, caps))
        results = [(s + t, {**c1, **c2}) for s, c1 in results for t, c2 in options]
        if len(results) > MAX_EXPANSIONS:
            raise PhraseError(f"phrase expands to more than {MAX_EXPANSIONS} forms")
    return results


# --- normalisation ---------------------------------------------------------------------------

_KEY_SPACE = re.compile(r"[\s\-]+")


def normalize_key(text: str) -> str:
    """The dictionary key of a phrase form or of matched text."""
    return _KEY_SPACE.sub(" ", text.translate(_APOSTROPHES).lower()).strip()


def _variant_forms(key: str, variants: Mapping[str, tuple[str, ...]]) -> set[str]:
    words = key.split(" ")
    choices: list[list[str]] = []
    for w in words:
        alts = [w]
        for v in variants.get(w, ()):
            if v not in alts:
                alts.append(v)
        choices.append(alts)
    forms = set()
    for combo in itertools.product(*choices):
        forms.add(" ".join(combo))
        if len(forms) > MAX_EXPANSIONS:
            raise PhraseError(f"phrase {key!r} has too many spelling variants")
    return forms


_EXPAND_TO_SHORT = {long: short for long, short in _CONTRACTIONS}
_SHORT_TO_EXPANDED: dict[str, list[str]] = {}
for _long, _short in _CONTRACTIONS:
    _SHORT_TO_EXPANDED.setdefault(_short, []).append(_long)


def _contraction_forms(key: str) -> set[str]:
    words = key.split(" ")
    out: set[str] = set()

    def walk(i: int, acc: list[str]) -> None:
        if len(out) > MAX_EXPANSIONS:
            raise PhraseError(f"phrase {key!r} has too many contraction forms")
        if i >= len(words):
            out.add(" ".join(acc))
            return
        walk(i + 1, acc + [words[i]])
        pair = " ".join(words[i:i + 2])
        if i + 1 < len(words) and pair in _EXPAND_TO_SHORT:
            walk(i + 2, acc + [_EXPAND_TO_SHORT[pair]])
        for long in _SHORT_TO_EXPANDED.get(words[i], ()):
            walk(i + 1, acc + long.split(" "))

    walk(0, [])
    return out


# --- compiled phrases ------------------------------------------------------------------------

class Phrase(NamedTuple):
    """A parsed phrase: one key table per gap-separated segment."""

    source: str
    segments: tuple[dict[str, dict[int, str]], ...]

    @property
    def is_literal(self) -> bool:
        return len(self.segments) == 1

    def keys(self) -> list[str]:
        return list(self.segments[0])

    def regex_source(self) -> str:
        """A `re`/`regex` source matching the phrase on normalised (lower-case) text."""
        parts = [_alternation(seg) for seg in self.segments]
        return (SEP + GAP).join(parts)

    def captures_for(self, matched_segments: list[str]) -> dict[int, str]:
        caps: dict[int, str] = {}
        for seg, text in zip(self.segments, matched_segments):
            caps.update(seg.get(normalize_key(text), {}))
        return caps


class RawPattern(NamedTuple):
    """A context written as ``re:<regex>`` in a rule file, used where a phrase is too weak."""

    source: str
    pattern: str

    def regex_source(self) -> str:
        return self.pattern


def key_regex(key: str) -> str:
    return SEP.join(re.escape(w) for w in key.split(" "))


def _alternation(seg: Mapping[str, object]) -> str:
    keys = sorted(seg, key=len, reverse=True)
    return "(?:" + "|".join(key_regex(k) for k in keys) + ")"


def compile_phrase(source: str, variants: Mapping[str, tuple[str, ...]] | None = None) -> Phrase:
    """Parse a phrase and expand it into normalised keys (raises ``PhraseError``)."""
    if not source or not source.strip():
        raise PhraseError("empty phrase")
    try:
        tree = _parse(source)
    except RecursionError:
        raise PhraseError(f"brackets nested too deeply in phrase {source[:60]!r}...") from None
    segments = []
    for seg in _split_gaps(tree):
        table: dict[str, dict[int, str]] = {}
        for text, caps in _expand(seg):
            key = normalize_key(text)
            if not key:
                continue
            for form in _variant_forms(key, variants or {}):
                for c_form in _contraction_forms(form):
                    table.setdefault(c_form, caps)
        if not table:
            raise PhraseError(f"phrase {source!r} has an empty part around '...'")
        segments.append(table)
    return Phrase(source, tuple(segments))


def straighten(text: str) -> str:
    """Straighten curly apostrophes (used for display-independent comparisons)."""
    return text.translate(_APOSTROPHES)
