"""The opt-in industry packs: each loads beside core, finds its industry's jargon and stock lines
that core leaves alone, and stays off unless a config names it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from macrolint.linting.linter import Linter
from macrolint.packs.config import Config
from macrolint.packs.load import builtin_names

INDUSTRIES = ("telecom", "travel", "insurance", "banking", "saas", "retail", "education")
README = Path(__file__).resolve().parent.parent / "README.md"


def test_every_industry_pack_is_built_in_and_off_by_default():
    assert set(INDUSTRIES) <= set(builtin_names())
    assert not set(INDUSTRIES) & set(Config().packs)


@pytest.fixture(scope="module")
def industry() -> Linter:
    return Linter(Config(packs=("core", "placeholders", *INDUSTRIES)))


@pytest.mark.parametrize("text, pack", [
    ("The claim adjudication is in progress.", "insurance"),
    ("Your port-out request is pending.", "telecom"),
    ("The fare basis does not allow changes.", "travel"),
    ("We filed a chargeback representment.", "banking"),
    ("Your DHCP lease expired.", "saas"),
])
def test_industry_jargon_is_found_only_with_its_pack(linter, industry, text, pack):
    assert linter.lint_text(text, "text") == []
    found = {d.rule for d in industry.lint_text(text, "text")}
    prefix = {r.code[:2] for r in industry.rules if r.pack == pack}
    assert any(code[:2] in prefix for code in found), (text, found)


def _readme_examples() -> list[tuple[str, str]]:
    """The README's industry table: each pack and the phrases it gives as examples."""
    rows = re.findall(r"^\| `(\w+)` \| [A-Z]{2} \| (.+) \|$", README.read_text(encoding="utf-8"), re.M)
    return [(pack, phrase) for pack, cell in rows for phrase in re.findall(r"“([^”]+)”", cell)]


@pytest.mark.parametrize("pack, phrase", _readme_examples())
def test_readme_examples_are_found_by_their_pack(industry, pack, phrase):
    text = f"Hi Sam, {phrase}."
    codes = {d.rule[:2] for d in industry.lint_text(text, "text")}
    prefix = {r.code[:2] for r in industry.rules if r.pack == pack}
    assert codes & prefix, f"{pack}: “{phrase}” is not found"


def test_readme_lists_every_industry_pack():
    assert {pack for pack, _ in _readme_examples()} == set(INDUSTRIES)
