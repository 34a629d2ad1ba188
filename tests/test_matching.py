"""Matching: phrases generalise over case, apostrophes, contractions, spelling variants,
whitespace, line breaks and inline markup; near-variants carry a confidence below 1."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from macrolint.linting.linter import Linter
from macrolint.linting.rules import read_pack
from macrolint.packs.config import Config
from macrolint.packs.phrases import PhraseError, compile_phrase
from tests.conftest import write_pack

RULES = {
    "nothing-to-do.yaml": """\
        id: TM001
        name: nothing-to-do
        category: blame
        summary: s
        why: w
        message: "{match}"
        match:
          - phrase: there is nothing (i|we) can do
          - phrase: (we|i) (apologize|regret) for [any|the] delay
            replace: "Sorry, {2} noted"
          - phrase: the system ... (says|shows)
        examples:
          - bad: There is nothing I can do.
          - ok: There is something I can do.
        """,
    "catastrophic.yaml": """\
        id: TM002
        name: catastrophic
        category: vague
        summary: s
        why: w
        message: "{match}"
        match:
          - pattern: '(x|xx)+y'
            anchors: [xx]
        examples:
          - bad: xxy
          - ok: y
        """,
}


@pytest.fixture(scope="module")
def team(tmp_path_factory):
    pack_yaml = "pack: team\nprefixes: [TM]\nvariants:\n  apologize: [apologise]\n"
    folder = write_pack(tmp_path_factory.mktemp("p") / "team", RULES, pack_yaml)
    return Linter(Config(packs=()), rules=read_pack(folder).rules)


def matches(linter, text, fmt="text"):
    return [(d.rule, d.match) for d in linter.lint_text(text, fmt)]


@pytest.mark.parametrize("text, expected", [
    ("There is nothing I can do.", "There is nothing I can do"),
    ("THERE IS NOTHING WE CAN DO!", "THERE IS NOTHING WE CAN DO"),
    ("There's nothing I can do.", "There's nothing I can do"),
    ("There\u2019s nothing I can do.", "There\u2019s nothing I can do"),
    ("there   is\nnothing I can do", "there   is\nnothing I can do"),
    ("We apologise for the delay.", "We apologise for the delay"),
    ("We apologize for delay.", "We apologize for delay"),
])
def test_surface_variants(team, text, expected):
    assert ("TM001", expected) in matches(team, text)


@pytest.mark.parametrize("text", [
    "Nothing I can do about the weather.",
    "there is nothing I can download",   # word boundary on the right
    "whethere is nothing I can do",      # word boundary on the left
    "there is\n\nnothing I can do",       # a blank line ends the phrase
])
def test_boundaries(team, text):
    assert [m for m in matches(team, text) if m[0] == "TM001"] == []


def test_gap_phrase_allows_inserted_words(team):
    assert ("TM001", "the system unfortunately still shows") in matches(team, "Sadly the system unfortunately still shows it.")
    assert matches(team, "the system was updated long ago by someone who says hi") == []


def test_captured_alternative_carries_into_rewrite(team):
    (d,) = team.lint_text("We regret for the delay.")
    assert d.suggestions[0] == "Sorry, regret noted"


def test_inline_markup_html_and_markdown(linter):
    html = matches(linter, "<p>Sadly the <b>system</b>\n  <i>says</i> no.</p>", "html")
    assert ("BL001", "the system\n  says") in html
    md = matches(linter, "Sadly the **system** _says_ no.", "markdown")
    assert ("BL001", "the system says") in md


def test_block_boundaries_stop_phrases(linter):
    assert not [m for m in matches(linter, "<p>the system</p><p>says no</p>", "html") if m[0] == "BL001"]


def test_typos_are_near_variants_with_confidence(linter):
    (d,) = [d for d in linter.lint_text("We apologise for any inconvienence.") if d.rule == "RB001"]
    assert 0.85 <= d.confidence < 1.0
    assert d.match == "We apologise for any inconvienence"


def test_min_confidence_filters_near_variants():
    strict = Linter(Config(min_confidence=0.99))
    assert not [d for d in strict.lint_text("We apologise for any inconvienence.") if d.rule == "RB001"]
    assert [d for d in strict.lint_text("We apologise for any inconvenience.") if d.rule == "RB001"]


NEAR = [
    "We apologise for any inconvienence.",
    "Thank you for you patience while we look in to this, we apologize for the inconveniance caused.",
    "Pleese do not hesitate to contact us if you have any other questions.",
    "As per our polcy we are unable to refund this order.",
    "Your account was updated; thank you for reaching out to our team today.",
]


def test_near_variants_do_not_depend_on_how_many_texts_came_before(monkeypatch):
    from macrolint.matching import nearvariant as fuzzy

    def scans(after: int) -> list:
        monkeypatch.setattr(fuzzy, "TRACK_AFTER", after)
        index = Linter(Config()).engine.near
        return [[(s, e, ri, conf) for s, e, ri, _, _, conf in index.near(text.lower(), set())] for text in NEAR * 2]

    first = scans(10**9)  # every text takes each of its short words
    assert sum(map(bool, first)) >= 6
    assert scans(1) == first  # the short words targets want are worked out after the first text


def test_near_variants_filed_by_what_texts_show_are_those_each_anchor_finds(monkeypatch):
    """After a run's first texts, targets are looked up through what those texts showed instead
    of through every anchor present: the same targets in the same order, so the same findings."""
    from macrolint.matching import nearvariant as fuzzy

    texts = [t.lower() for t in NEAR] + [
        "Thank you for your patience, we apologize for any inconvenience this may have caused.",
        "Sorry for the inconvenince; as per our policy we cannot refund it. Thanks for reaching out!",
        "Please don't hesitate to reach out to our support team if you have any questions.",
        "Your email address was updated. Thank you for your patience while we look into this.",
    ]

    def scans(after: int):
        monkeypatch.setattr(fuzzy, "FILE_AFTER", after)
        index = Linter(Config()).engine.near
        found = [[(s, e, ri, conf) for s, e, ri, _, _, conf in index.near(text, set())] for text in texts * 3]
        # near-variants overlapping an exact match of their rule are dropped
        matched = {(ri, s, e) for hits in found for s, e, ri, _ in hits[:1]}
        exact = [[(s, e, ri) for s, e, ri, *_ in index.near(text, matched)] for text in texts]
        return found, exact, index.filed

    per_anchor = scans(10**9)
    filed = scans(2)
    assert not per_anchor[2] and filed[2]
    assert sum(map(bool, per_anchor[0])) >= 15
    assert per_anchor[1] != [[h[:3] for h in hits] for hits in per_anchor[0][:len(texts)]]
    assert filed[:2] == per_anchor[:2]


def test_near_variant_needs_close_words_not_other_words(linter):
    assert not [d for d in linter.lint_text("Please note the new address.") if d.rule == "RB002"]


def test_catastrophic_pattern_times_out_without_hanging(team, monkeypatch):
    from macrolint.matching import automata

    monkeypatch.setattr(automata, "REGEX_TIMEOUT", 0.05)
    out = team.lint_text("x" * 60 + "z")
    assert [d.rule for d in out] == ["IO003"]
    assert "ran out of time" in out[0].message


def test_catastrophic_context_pattern_times_out_without_crashing(tmp_path, monkeypatch):
    """A benign-context pattern that runs out of time stops its rule on that text, reported
    like a match pattern that does (the run goes on)."""
    from macrolint.matching import automata

    rule = RULES["nothing-to-do.yaml"].replace("TM001", "TM003").replace("nothing-to-do", "slow-context").replace(
        "        examples:", "        unless_sentence: ['re:(x|xx)+y']\n        examples:")
    folder = write_pack(tmp_path / "team", {"slow-context.yaml": rule})
    linter = Linter(Config(packs=()), rules=read_pack(folder).rules)
    assert [d.rule for d in linter.lint_text("There is nothing I can do xxy")] == []  # the context applies
    monkeypatch.setattr(automata, "REGEX_TIMEOUT", 0.05)
    out = linter.lint_text("There is nothing I can do " + "x" * 60 + "z")
    assert [d.rule for d in out] == ["IO003"] and "TM003" in out[0].message


def test_seed_sentences(linter):
    found = {(d.category, d.match) for d in linter.lint_text("I am verbalizing to you that the system says this happened.")}
    assert ("jargon", "verbalizing") in found and ("blame", "the system says") in found
    assert linter.lint_text("Let me make sure I understand this. I will personally make sure this gets taken care of.") == []


def test_phrase_syntax_errors():
    for bad in ("(a|b", "a]", "[a", "", "(a|...)"):
        with pytest.raises(PhraseError):
            compile_phrase(bad)


def test_contractions_expand_both_ways():
    keys = set(compile_phrase("we can't do that").keys())
    assert {"we can't do that", "we cannot do that", "we can not do that"} <= keys
    assert "that's our policy" in compile_phrase("that is our policy").keys()


def test_flatten_maps_offsets_back():
    from macrolint.text.normalize import flatten

    low = "a  b\n c\n\n d-e"
    flat, starts, shifts = flatten(low)
    assert flat == "a b c\nd e"
    back = [i + shifts[max(k for k, st in enumerate(starts) if st <= i)] for i in range(len(flat))]
    assert [low[j] for j in back] == ["a", " ", "b", "\n", "c", "\n", "d", "-", "e"]


def test_line_breaks_become_spaces_in_place_where_no_run_needs_collapsing():
    """Where no space touches a line break and no two spaces meet, a blank line stays two spaces
    or more instead of one ``\\n``: every phrase key is found where collapsing finds it."""
    import random

    from macrolint.matching.automata import automaton, flat_hits
    from macrolint.text.normalize import collapse, flatten

    keys = ["a b", "b a", "a", "ab b", "b ab a", "a a a"]
    ac = automaton(keys)
    rng = random.Random(7)
    eligible = 0
    for _ in range(3000):
        low = "".join(rng.choice(["a", "b", "ab", " ", "\n", "\n\n", "\n\n\n", "-"]) for _ in range(rng.randint(0, 14)))
        view = flatten(low)
        if view[1] != [0]:
            continue  # collapsed
        eligible += 1
        assert len(view[0]) == len(low)
        t = low.replace("-", " ")
        assert sorted(flat_hits(ac, view)) == sorted(flat_hits(ac, collapse(t))), low
    assert eligible > 500
    assert flatten("a\n\nb c\nd")[0] == "a  b c d" and flatten("a \nb")[0] == "a b"


def test_contraction_is_not_cut_at_the_apostrophe(linter):
    assert not [d for d in linter.lint_text("I can't do anything about the weather, sadly.") if d.match == "I can"]


@pytest.mark.slow
def test_near_variant_deletions_from_the_cache_match_a_fresh_table(tmp_path, monkeypatch):
    """A run takes the deletion table compiled with its pack (which may hold anchors of rules
    left out), loaded from the cache: the same tokens lead to the same anchors as with a table
    built for the run's own anchors."""
    from macrolint.linting.linter import Linter
    from macrolint.matching import nearforms as fuzzy
    from macrolint.matching.nearvariant import NearMatcher
    from macrolint.packs.config import Config

    monkeypatch.setenv("MACROLINT_CACHE_DIR", str(tmp_path))
    for config in (Config(), Config(ignore=("RB001", "vague"))):
        Linter(config)  # compiles the packs into the cache
        engine = Linter(config).engine
        cached = engine.near
        fresh = NearMatcher(engine.rules)
        fresh.by_delete = fuzzy.delete_table(fresh.targets)
        assert cached.by_delete is not None and cached.by_delete is not fresh.by_delete
        assert set(cached.by_delete) >= set(fresh.by_delete)
        tokens = {d for a in fresh.targets for d in fuzzy.deletions(a)} | {"apologise", "inconvienence", "patiense"}
        for token in sorted(tokens):
            assert cached.anchors_for(token.encode()) == fresh.anchors_for(token.encode()), token


@pytest.mark.parametrize("pattern, leads", [
    (r"\b(?:soon|shortly)\b(?<=\bwill\s+(?:soon|shortly))", ["soon", "shortly"]),
    (r"\bjust (?=click)", ["just "]),
    (r"\b(?:our|the) (?:records?|logs?)\s+show", ["our record", "our log", "the record", "the log"]),
    (r"\b(?:we|i) will", ["we will", "i will"]),
    (r"\bjus?t", ["ju"]),            # the "s" is optional: the lead stops before it
    (r"\b(?:a|b)?c", []),            # the whole group is optional
    (r"\b(?:ab*?|c)x", []),          # a quantifier inside an alternative
    (r"\b(?:a\?|c)x", []),           # an escape inside an alternative
    (r"[ab]c", []),
    (r"\bfor(?<=x)", ["for"]),
])
def test_pattern_leads(pattern, leads):
    from macrolint.matching.regexes import pattern_leads

    assert pattern_leads(pattern) == leads


@pytest.mark.parametrize("pattern, anchors, led", [
    (r"\b(?:soon|shortly)\b", ["soon", "shortly"], True),
    (r"\b(?:our|the) (?:records?|logs?)\s+show", ["our record", "the record", "our log", "the log"], True),
    (r"\b(?:our|the) (?:records?|logs?)\s+show", ["our record", "the record", "log"], False),  # "log" is not where it starts
    (r"\bjust ", ["just"], True),
    (r"\b(?:soon|shortly)\b", ["soon"], False),
    (r"\bab|cd", ["ab"], False),                  # another start outside any group
    (r"\bab(?:c|d)|e", ["ab"], False),
    (r"\bab(?:c|d)", ["ab"], True),
    (r"\bab(?x) c", ["ab"], False),                # an inline flag could change what "ab" means
    (r"\bab[|]c", ["ab"], True),                   # a "|" in a class offers no other start
    (r"\bab[]|]c", ["ab"], True),
    (r"\bab\|c", ["ab"], True),
])
def test_led_by(pattern, anchors, led):
    from macrolint.matching.regexes import led_by

    assert led_by(pattern, anchors) is led


def test_led_patterns_find_what_a_full_scan_finds(linter):
    """A pattern led by its anchors is tried only where they start; on every rule example, and on
    texts where the anchors repeat, overlap and sit inside other words, that finds exactly the
    matches a scan of the whole text finds."""
    from macrolint.matching.matcher import Text
    from macrolint.matching.patterns import PatternMatcher

    led = PatternMatcher.compile(linter.engine.rules)
    full = PatternMatcher.compile(linter.engine.rules, led=False)
    assert {rule.code for rule, _ in led.led()} >= {"VG004", "BL005", "CD002"} and not full.led()
    texts = [ex.text for rule in linter.rules for ex in rule.examples]
    texts += [
        "We will be in touch soon, soon, very soon. We'll reply shortly; we should answer promptly.",
        "Our records show the refund. The records show it. Our systems show, the logs show, the log shows.",
        "Just click Save, just go to Settings and adjust nothing. Justify it: just tap.",
        "Our account history shows one charge; the account history showed two.",
        "soonish, assoon, unsoon: we will soonest reply shortlyx",
    ]
    led_entries = {id(entry) for _, entry in led.led()}
    compared = 0
    for text in texts:
        only, whole = led.scan(Text(text)), full.scan(Text(text))
        assert [c[:3] for c in only] == [c[:3] for c in whole], text
        compared += any(id(c[3]) in led_entries for c in whole)
    assert compared >= 10


def test_a_run_of_many_texts_finds_what_a_run_of_few_finds():
    """Before workers fork, the literal heads' automaton is built (a run of few texts looks its
    heads up instead): every rule example gives the same findings as before."""
    from macrolint.linting.linter import Linter
    from macrolint.packs.config import Config

    linter = Linter(Config())
    texts = [ex.text for rule in linter.rules for ex in rule.examples]
    texts += ["We will look in to this as soon as we\ncan, and we're looking into this - as per our\n\npolicy."]
    before = [[(d.rule, d.start, d.end) for d in linter.lint_text(t)] for t in texts]
    linter.engine.prepare_for_many()
    assert linter.engine.literal.index.searching
    assert [[(d.rule, d.start, d.end) for d in linter.lint_text(t)] for t in texts] == before
    assert sum(map(bool, before)) > 300


def test_short_words_tracked_for_near_variants_are_those_each_form_wants(linter):
    """The short words near-variant search tracks are those every compared form wants, worked
    out word by word instead of form by form."""
    from macrolint.matching import nearforms as fuzzy

    keys = {t[2] for targets in linter.engine.near.targets.values() for t in targets}
    tracked = fuzzy.all_wanted_words(keys)
    assert tracked == frozenset().union(*map(fuzzy.wanted_words, keys))
    assert b"else" in tracked and b"the" not in tracked and b"a" not in tracked


def test_context_spans_are_found_as_asked_for():
    """A caller that stops at the first span runs (and compiles) no pattern after it; asking
    for all of them gives every span, literal phrases first."""
    from macrolint.matching.contexts import PhraseSet
    from macrolint.packs.phrases import RawPattern

    phrases = [compile_phrase("let me check"), RawPattern("re:\\bby \\d", r"\bby \d"), RawPattern("re:\\bnoon\\b", r"\bnoon\b")]
    ps = PhraseSet(phrases)
    low = "i'll fix it by 3 today, let me check, by noon"
    assert ps.spans(low, 0, len(low)) == [(24, 36), (12, 16), (41, 45)]
    fresh = PhraseSet(phrases)
    assert next(fresh.iter_spans(low, 0, 20)) == (12, 16)
    assert fresh.compiled == 1  # the third pattern was never needed
    assert fresh.spans(low, 0, len(low)) == ps.spans(low, 0, len(low)) and fresh.compiled == 2


def test_whole_word_occurrences():
    """Near-variant windows open where a token occurs as a whole word: no letter, digit or
    apostrophe either side (as the oracle pattern says), at the text's ends too."""
    import random
    import re

    from macrolint.matching.nearcompare import occurrences_of

    rng = random.Random(3)
    for _ in range(2000):
        text = "".join(rng.choice("ab '_-1é\n") for _ in range(rng.randint(0, 30)))
        tok = rng.choice(["a", "ab", "ba", "aa"])
        oracle = [m.start() for m in re.finditer(r"(?=(?<![^\W_]|')" + tok + r"(?![^\W_]|'))", text)]
        assert occurrences_of(text, tok) == oracle, (text, tok)


def _near(linter, text: str, at: int = 0) -> list:
    return sorted((f.start + at, f.end + at, f.rule.code) for f in linter.engine.scan(text) if f.confidence < 1)


def test_a_near_variant_does_not_depend_on_the_rest_of_the_text(linter):
    """An exact match of the same rule elsewhere used to switch the rule's near-variants off for
    the whole text: found alone, missed inside its file."""
    para = "Later on: To apologize for the inconvenince, here is a coupon."
    alone = _near(linter, para)
    assert alone and [d.rule for d in linter.lint_text("We apologize for any inconvenience.\n\n" + para)] == ["RB001", "RB001"]
    assert _near(linter, "We apologize for any inconvenience.\n\n" + para) == _near(linter, para, 37)


def _paragraphs_alone_and_inside(linter, roots) -> tuple[int, list]:
    from macrolint import readers

    checked, differ = 0, []
    for root in roots:
        for path in sorted(root.rglob("*")):
            if not path.is_file() or not readers.detect(str(path)):
                continue
            source = linter.read_file(str(path))
            for unit in source.units:
                whole = _near(linter, unit.text)
                at = 0
                for para in unit.text.split("\n\n"):
                    inside = [w for w in whole if at <= w[0] and w[1] <= at + len(para)]
                    if _near(linter, para, at) != inside:
                        differ.append((str(path), para[:80]))
                    checked += 1
                    at += len(para) + 2
    return checked, differ


@pytest.mark.slow
def test_near_variants_are_found_alike_alone_and_inside_their_file(linter):
    from tests.conftest import CORPUS, FIXTURES

    roots = [FIXTURES] + ([CORPUS] if CORPUS.is_dir() else [])
    checked, differ = _paragraphs_alone_and_inside(linter, roots)
    assert checked > 200 and not differ, differ[:5]


@pytest.mark.parametrize("text, rule", [
    ("there is nothng I can do", "BL003"),
    ("we apologise for the inconvenince", "RB001"),
])
def test_typos_in_phrases_typed_out_in_full_are_found(linter, text, rule):
    (d,) = [d for d in linter.lint_text(text) if d.rule == rule]
    assert d.confidence < 1


def test_a_sentence_longer_than_the_reach_starts_and_ends_at_a_word():
    from macrolint.matching.contexts import sentence_bounds

    text = "word " * 200 + "simply read it " + "word " * 200
    s = text.index("simply")
    lo, hi = sentence_bounds(text, s, s + 6)
    assert text[lo - 1] == " " and text[lo:lo + 4] == "word" and text[hi] == " " and lo < s < hi


@pytest.mark.parametrize("text, fmt, found", [
    # a sentence wrapped across source lines reads as one sentence
    ("<p>A ticket has been created and a representative will be\n    getting back to you shortly.</p>", "html", ["VG004"]),
    ("Your refund is approved and\nshould reach your card soon.\n", "text", ["VG004"]),
    # a line that ends a sentence, or a blank line, still parts them
    ("Your refund is approved and will be sent.\nsoon after, the card updates.\n", "text", []),
    ("We will be there.\n\nsoon enough you'll see.\n", "text", []),
])
def test_patterns_read_across_a_wrapped_line_not_across_a_sentence(text, fmt, found):
    from tests.conftest import shared_linter

    assert [d.rule for d in shared_linter().lint_text(text, fmt)] == found


def test_unwrap_keeps_every_offset():
    from macrolint.matching.matcher import unwrap

    text = "will be\n  getting back.\nNext line\n\nnew paragraph,\nand more"
    low = unwrap(text.lower(), text)
    assert len(low) == len(text)
    assert low == "will be   getting back.\nnext line\n\nnew paragraph, and more"


@settings(max_examples=500, deadline=None, derandomize=True, database=None)
@given(st.text(alphabet="ab Z,_.\n\t1é-", max_size=16))
def test_unwrap_reads_as_a_space_exactly_the_breaks_inside_a_sentence(text):
    """A break after a letter, digit or comma (spaces between allowed) and before a lower-case
    word; nothing else changes."""
    from macrolint.matching.matcher import unwrap

    soft = re.compile(r"(?:[^\W_]|,)[ \t]*(\n)(?=[ \t]*[a-z])")
    expected = list(text.lower())
    for m in soft.finditer(text):
        expected[m.start(1)] = " "
    assert unwrap(text.lower(), text) == "".join(expected)
