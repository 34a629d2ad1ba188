"""The built-in packs as data under test: structure, uniqueness, no fix loops, documentation."""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from macrolint.linting.linter import Linter
from macrolint.linting.rules import load_packs
from macrolint.model import CATEGORIES
from macrolint.packs.config import Config
from macrolint.packs.load import builtin_dir, builtin_names
from macrolint.text.templates import SLOT

PACKS = load_packs(builtin_names())
RULES = [r for p in PACKS for r in p.rules]
CORE = [r for r in RULES if r.pack == "core"]


def test_core_uses_exactly_the_five_categories():
    assert {r.category for r in CORE} == set(CATEGORIES)


def test_every_rule_file_is_a_loaded_rule():
    files = {p.resolve() for p in builtin_dir().rglob("*.yaml")
             if p.name != "pack.yaml" and "definitions" not in p.relative_to(builtin_dir()).parts[1:2]}
    assert files == {Path(r.path).resolve() for r in RULES}


@pytest.mark.parametrize("rule", CORE, ids=[r.code for r in CORE])
def test_every_core_rule_offers_a_rewrite(rule):
    assert rule.suggest or any(m.replace is not None for m in rule.matches), f"{rule.code} has no suggested rewrite"


#: What a rewrite may not bring into a reply that did not hold it: a day, a date, a time, an amount,
#: a number. A fact the rewrite needs is a [slot] the writer fills.
_FACT = re.compile(r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tomorrow|tonight|"
                   r"this (?:morning|afternoon|evening)|next week|january|february|march|april|june|july|"
                   r"august|september|october|november|december|noon|midnight)\b|\d|[$£€]", re.I)
#: A capitalised word after a lower-case one: a name, a company, a place.
_NAME = re.compile(r"(?<=[a-z,;] )(?!I\b|I['’])[A-Z][a-z]+")


TONE = [r for r in RULES if r.category in CATEGORIES]


@pytest.mark.parametrize("rule", TONE, ids=[r.code for r in TONE])
def test_suggestions_and_rewrites_invent_no_facts(rule):
    texts = list(rule.suggest) + [m.replace for m in rule.matches if m.replace]
    for text in texts:
        bare = SLOT.sub("", re.sub(r"\{\w+\}", "", text))
        assert not _FACT.search(bare), f"{rule.code}: “{text}” holds a fact; make it a [slot]"
        assert not _NAME.search(bare), f"{rule.code}: “{text}” names someone or something; make it a [slot]"


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_every_rule_has_bad_and_ok_examples(rule):
    kinds = {e.kind for e in rule.examples}
    assert kinds == {"bad", "ok"}


def test_no_phrase_form_belongs_to_two_rules():
    owners = defaultdict(set)
    for rule in RULES:
        for m in rule.matches:
            if m.phrase is not None and m.phrase.is_literal:
                for key in m.phrase.keys():
                    owners[key].add(rule.code)
    shared = {k: sorted(v) for k, v in owners.items() if len(v) > 1}
    assert not shared, f"phrases claimed by several rules: {shared}"


def test_rewrites_trigger_no_rule():
    """A replacement must never itself be flagged, or fixing would loop."""
    linter = Linter(Config(packs=tuple(builtin_names())))
    loops = []
    for rule in RULES:
        for m in rule.matches:
            if m.replace and "{" not in m.replace:
                found = [d.rule for d in linter.lint_text(m.replace)]
                if found:
                    loops.append((rule.code, m.replace, found))
    assert not loops


def test_good_examples_are_clean_of_every_rule():
    linter = Linter(Config(packs=tuple(builtin_names())))
    dirty = []
    for rule in RULES:
        for ex in rule.examples:
            if ex.good:
                found = [d.rule for d in linter.lint_text(ex.good, ex.format) if d.category in CATEGORIES]
                if found:
                    dirty.append((rule.code, ex.good, found))
    assert not dirty
