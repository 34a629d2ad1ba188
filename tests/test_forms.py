"""Literal forms looked up by head find what the automaton over every form finds, and the pack
cache hands back phrases equal to the ones it stored."""
from __future__ import annotations

import pytest

from macrolint.linting.linter import Linter
from macrolint.linting.rules import read_pack
from macrolint.matching import literal as forms
from macrolint.matching.automata import literal_hits
from macrolint.matching.compiled import TabledPhrase
from macrolint.matching.formtable import TableGrouped, head
from macrolint.packs.config import Config
from macrolint.packs.phrases import compile_phrase
from macrolint.text.normalize import flatten, normalize_text
from tests.conftest import write_pack
from tests.test_packs import GOOD_RULE

TEXTS = [
    "Thanks for your patience, we apologize for any inconvenience.",
    "We'll look into it.  We  are\nlooking into this - as per our records, kindly revert.",
    "Unfortunately,\n\nwe are unable to help. Please do not hesitate to contact us!",
    "we're sorry we're sorry for the delay-we are sorry for the inconvenience caused",
    "Ça va? Naïve café—thank you for reaching out. 'Tis the season; we'll be in touch.",
    "",
    "...",
    "thank you for your patience and understanding thank you for your patience",
]


def _hits(index, text: str) -> list:
    low = normalize_text(text)
    return [(index.keys[i], s, e) for i, s, e in literal_hits(index, low, flat_view=flatten(low))]


def test_lookup_finds_what_the_automaton_finds(monkeypatch):
    monkeypatch.setattr(forms, "LOOKUP_CHARS", 10**9)
    looked_up = Linter(Config()).engine.literal.index
    found = [_hits(looked_up, text) for text in TEXTS]
    assert any(found)
    whole = Linter(Config()).engine.literal.index
    whole.automaton()
    assert [_hits(whole, text) for text in TEXTS] == found


def test_the_head_automaton_finds_every_occurrence_of_every_form():
    """Bounded or not, what an automaton over every form would find (the engine checks bounds)."""
    import ahocorasick_rs

    index = Linter(Config()).engine.literal.index
    index.automaton()
    every = sorted({key for h, entries in index.by_head.items() for _, _, groups in entries for key in groups.keys(h)})
    whole = ahocorasick_rs.AhoCorasick(every, matchkind=ahocorasick_rs.MatchKind.Standard)
    texts = [flatten(normalize_text(t))[0] for t in TEXTS] + [
        "weapologize for any inconveniencex; we're sorry for the delay!we're sorry",
        "i understand your frustration. i understand your frustration and i am sorry",
    ]
    found_any = False
    for text in texts:
        want = sorted((every[i], s, e) for i, s, e in whole.find_matches_as_indexes(text, overlapping=True))
        got = index.find_matches_as_indexes(text, overlapping=True)
        assert [(e, s) for _, s, e in got] == sorted((e, s) for _, s, e in got)  # by end, then start
        assert sorted((index.keys[i], s, e) for i, s, e in got) == want
        found_any = found_any or bool(want)
    assert found_any


def test_long_texts_switch_to_the_automaton(monkeypatch):
    monkeypatch.setattr(forms, "LOOKUP_CHARS", 100)
    index = Linter(Config()).engine.literal.index
    first = _hits(index, TEXTS[0])
    assert not index.searching
    assert _hits(index, TEXTS[1] * 3)
    assert index.searching
    assert _hits(index, TEXTS[0]) == first


def test_targets_follow_rule_order():
    phrase = compile_phrase("we (apologize|apologise) for")
    table = TableGrouped(phrase.segments[0])
    index = forms.FormIndex({h: [(0, "a", table), (3, "b", table)] for h in table.heads()})
    hits = index.find_matches_as_indexes("so we apologise for it", overlapping=True)
    assert [(index.keys[i], s, e) for i, s, e in hits] == [("we apologise for", 3, 19)]
    assert index.targets[hits[0][0]] == [(0, "a", {1: "apologise"}), (3, "b", {1: "apologise"})]


def test_forms_without_a_word_are_found_anywhere():
    table = TableGrouped({"!!": {}, "we are": {}})
    assert set(table.heads()) == {"", "we are"}
    index = forms.FormIndex({h: [(0, None, table)] for h in table.heads()})
    hits = index.find_matches_as_indexes("wow!!! we are", overlapping=True)
    assert [(index.keys[i], s, e) for i, s, e in hits] == [("!!", 3, 5), ("!!", 4, 6), ("we are", 7, 13)]


@pytest.mark.parametrize("key, expected", [("we are sorry for the delay", "we are sorry"), ("'ll look into it", "ll look into"),
                                       ("we're sorry", "we're sorry"), ("hello", "hello"), ("--", "")])
def test_head(key, expected):
    assert head(key) == expected


def test_cached_phrases_equal_the_built_ones(tmp_path, monkeypatch):
    monkeypatch.setenv("MACROLINT_CACHE_DIR", str(tmp_path / "cache"))
    folder = write_pack(tmp_path / "team", {"thing-says.yaml": GOOD_RULE})
    built = read_pack(folder)
    stored = read_pack(folder)
    phrase = stored.rules[0].matches[0].phrase
    assert isinstance(phrase, TabledPhrase) and phrase.is_literal
    assert stored == built
    original = built.rules[0].matches[0].phrase
    assert dict(phrase.segments[0]) == original.segments[0]
    for h in phrase.groups.heads():
        assert dict(phrase.groups.table(h)) == TableGrouped(original.segments[0]).table(h)


@pytest.mark.slow
def test_heads_from_the_cache_file_phrases_as_loaded_packs_do(tmp_path, monkeypatch):
    """A run on cached packs files phrases through the heads table stored with them, the first
    run through the table the packs were just compiled with: the same heads, same lists, same
    order, also with some rules left out."""
    monkeypatch.setenv("MACROLINT_CACHE_DIR", str(tmp_path))

    def filed(config):
        by_head = Linter(config).engine.literal.index.by_head
        return {h: [(ri, entry.source) for ri, entry, _ in by_head[h]] for h in by_head}

    for config in (Config(), Config(ignore=("RB001", "BL", "vague"))):
        built, cached = filed(config), filed(config)
        assert built == cached and len(built) > 3000
        assert not Linter(config).engine.literal.index.by_head.filed_here  # the second run read the table
