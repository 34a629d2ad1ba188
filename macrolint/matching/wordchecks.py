"""Code-backed checks that read the words of a text: shouting in capitals and acronyms the text
never explains.

Both look words up in the word classes their rule names under ``words:`` (a lexicon of common
English words, the acronyms customers know), so the lists stay data in the pack. Findings go on
to the rule's benign contexts and to judgment (scopes, audience, vocabulary) like any other.
"""
from __future__ import annotations

import re
from typing import Iterator, Optional

from macrolint.matching.checkbase import CheckInput, Hit, check

#: A capital letter (Latin script: the stdlib ``re`` has no letter classes, and start-up does not
#: pay for the ``regex`` module here).
_UP = "[A-ZÀ-ÖØ-Þ]"
#: A word written in capitals: two letters or more (an apostrophe inside: DON'T; a plural: RMAs), or A / I.
#: (It opens with the capital and looks behind it, which lets the regex engine skip to capitals.)
_WORD = rf"{_UP}(?<![\w'’.-]{_UP})(?:{_UP}+(?:['’]{_UP}+|s)?|(?<=[AI]))(?![\w'’-])"
_CAPS_WORD = re.compile(_WORD)
#: What may stand between two words of one capitalised clause: spaces, a comma, a dash.
_JOIN_RE = r"[ \t]*(?:,|[-–—])?[ \t]+"
#: Three words in capitals or more, so joined: where shouting can be (one pass over the text). At
#: most 400 words a match: the regex engine keeps state for every repetition, and a text of a
#: million capitalised words is read as clauses of 400.
_CLAUSE = re.compile(rf"{_WORD}(?:{_JOIN_RE}{_WORD}){{2,400}}")
_TWO_CAPITALS = re.compile(f"{_UP}{_UP}")
#: Between two words of one name or heading in capitals: spaces.
_SPACES = re.compile(r"[ \t]+")
#: Before a capitalised stretch, a word that makes it an interface label (“click SAVE AND CLOSE”).
_UI_BEFORE = re.compile(
    r"(?:click|clicking|tap|tapping|press|pressing|select|selecting|choose|choosing|hit|open|opening|"
    r"go to|under|type|typing|enter|entering|labelled|labeled|called|named|marked|reads|says|shows|option|"
    r"button|menu|tab|field)(?: on)?(?: the)?\W{0,3}$", re.I)
#: After it, a word that makes it a label or a name (“the DO NOT DISTURB setting”).
_UI_AFTER = re.compile(r"^\W{0,3}(?:button|menu|tab|page|link|screen|option|field|setting|settings|mode|"
                          r"key|box|section|banner|heading|label|sign|form)\b", re.I)
_SENTENCE_END = frozenset(".!?")

#: Word classes the rules name.
COMMON = "common-words"
KNOWN = "known-acronyms"
AGENT = "agent-instruction-words"


_ASCII_UPPER = bytes(range(65, 91))
_ASCII_LOWER = bytes(range(97, 123))


def _mostly_capitals(text: str) -> bool:
    """A text written in capitals throughout (a legacy notice, a caps-lock message)."""
    if text.isascii():  # counted in C: a long text is millions of characters
        raw = text.encode("ascii")
        upper = len(raw) - len(raw.translate(None, _ASCII_UPPER))
        return upper > 3 * (len(raw) - len(raw.translate(None, _ASCII_LOWER)))
    upper = lower = 0
    for ch in text:
        if ch.isupper():
            upper += 1
        elif ch.islower():
            lower += 1
    return upper > 3 * lower


def _runs(text: str, join: re.Pattern) -> Iterator[list[re.Match]]:
    """Consecutive capitalised words, with ``join`` between each two."""
    run: list[re.Match] = []
    for m in _CAPS_WORD.finditer(text):
        if run and not join.fullmatch(text, run[-1].end(), m.start()):
            yield run
            run = []
        run.append(m)
    if run:
        yield run


def _line(text: str, s: int, e: int) -> tuple[int, int]:
    a = text.rfind("\n", 0, s) + 1
    z = text.find("\n", e)
    return a, (len(text) if z < 0 else z)


def _heading_like(text: str, s: int, e: int) -> bool:
    """A line that holds nothing but the capitals and ends without a sentence's punctuation: a
    heading or a label, however the format marks it."""
    a, z = _line(text, s, e)
    before, after = text[a:s].strip(" \t#*_>-:|"), text[e:z].strip(" \t*_|")
    return not before and (not after or after[:1] in ":") and text[s:e].rstrip()[-1:] not in _SENTENCE_END


@check("shouting")
def shouting(inp: CheckInput) -> Iterator[Hit]:
    """A clause of three words or more in capitals inside a text that is otherwise in lower case,
    or a whole sentence in capitals: shouting. Headings, interface labels and acronyms are not."""
    text = inp.unit.text
    common = inp.words.get(COMMON, frozenset())
    agent = inp.words.get(AGENT, frozenset())
    whole: Optional[bool] = None
    if _TWO_CAPITALS.search(text) is None:  # most replies: no word in capitals at all
        return
    for clause in _CLAUSE.finditer(text):
        # counted as the words come: a clause of a million capitalised words holds no list of them
        s = e = -1
        known = 0
        agent_word = False
        for m in _CAPS_WORD.finditer(text, clause.start(), clause.end()):
            if s < 0:
                s = m.start()
            e = m.end()
            w = m.group().replace("’", "'").lower()
            known += w in common or "'" in w
            agent_word = agent_word or w in agent
        if known < 3:
            continue
        if _heading_like(text, s, e):
            continue
        if _UI_BEFORE.search(text, max(0, s - 24), s) or _UI_AFTER.match(text, e, min(len(text), e + 24)):
            continue
        if s > 0 and text[s - 1] in "\"“'‘`(*_[" or text[e:e + 1] in ("\"", "”", "’", "`", ")", "*", "_", "]"):
            continue  # quoted, in brackets or emphasised: a title or a label (“Chapter 6 (EDITING THE CODE)”)
        if agent_word:
            continue  # an instruction to the agent who sends it: ATTACH THE PDF THEN ERASE THIS LINE
        yield Hit(s, e)
        if whole is None:
            whole = _mostly_capitals(text)
        if whole:  # one finding says the text is in capitals; a finding a sentence says no more
            return


#: Roman numerals up to 39 (chapter IV, part XII), not acronyms; CX and LC are more often acronyms.
_ROMAN = re.compile(r"X{0,3}(?:IX|IV|V?I{0,3})")


def _defined(text: str, token: str) -> bool:
    """The text explains the acronym: “(NOC)”, “NOC (the network team)”, “NOC stands for …”, “NOC
    — our network team”, “NOC, our network team”."""
    t = re.escape(token)
    return re.search(rf"\(\s*{t}s?\s*\)|\b{t}s?\s*(?:\(|[—–]|-\s|,\s*(?:our|the|your|which|a|an)\b|:\s"
                        rf"|(?:stands for|means|is short for|is an abbreviation))", text) is not None


#: After an acronym, a version or model number, or a capitalised word: it names a product (UNO R3,
#: MKR 1010, VS Code).
_MODEL_AFTER = re.compile(rf"[ \t]?(?:{_UP}{{0,3}}\d|[Rr]ev\b|[Vv]\d|{_UP}[a-zß-öø-ÿ]+\b)")
#: A text with more distinct unexplained acronyms than this is written for a technical reader
#: (a wiring guide, a server admin's FAQ): a reply that slips into internal shorthand uses one or two.
_MOST_DISTINCT = 3


@check("unexplained-acronym")
def unexplained_acronym(inp: CheckInput) -> Iterator[Hit]:
    """A word of two to six capitals the text does not explain, that is not a common word written
    in capitals for emphasis and not an acronym customers know (``words:`` of the rule). Replies
    and macros only: a help-centre article explains its terms in other articles."""
    text = inp.unit.text
    if inp.article or _mostly_capitals(text):
        return
    common = inp.words.get(COMMON, frozenset())
    known = inp.words.get(KNOWN, frozenset())
    seen: dict[str, bool] = {}
    hits: list[Hit] = []
    for run in _runs(text, _SPACES):
        if len(run) > 1:  # capitals next to capitals: a shouted clause, a heading or a name
            continue
        m = run[0]
        token = m.group()
        if not 2 <= len(token) <= 7 or "'" in token or "’" in token:
            continue
        bare = token[:-1] if token.endswith("s") else token  # RMAs
        low = bare.lower()
        if low in common or low in known or token.lower() in known or len(bare) > 6 or _ROMAN.fullmatch(bare):
            continue
        after = text[m.end():m.end() + 2]
        if after[:1] in ("-", "/") or (after[:1] == "." and after[1:].isalnum()) \
                or text[m.start() - 1:m.start()] in ("-", "/", "@", "#", "$"):
            continue  # part of a code, compound or name: USB-C, AB-1234, GOV.UK, @NOC
        if _MODEL_AFTER.match(text, m.end()):
            continue  # a product's name: UNO R3, VS Code
        if bare not in seen:
            seen[bare] = _defined(text, bare)
        if not seen[bare]:
            hits.append(Hit(m.start(), m.end()))
    if len({text[h.start:h.end] for h in hits}) <= _MOST_DISTINCT:
        yield from hits
