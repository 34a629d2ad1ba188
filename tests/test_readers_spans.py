"""No prose finding ever covers a placeholder, in any family, in any format."""
from __future__ import annotations

import pytest

from macrolint import readers
from macrolint.linting.linter import Linter
from macrolint.packs.config import find_config, load_config
from tests.conftest import FIXTURES

FAMILIES = [
    "{{ticket.requester.first_name}}", "{{{raw.html}}}", "{%customer.firstName,fallback=there%}", "{% if x %}",
    "%{ticket.number}", "${duplicateQuery}", "{issue-author}", '<attribute key="user.name" default="there"/>',
    "[AMOUNT]", "<ISSUE_NUMBER>", "XXXXXXX", "ACCOUNTADDRESS",
]


def overlapping(linter, source) -> list[str]:
    bad = []
    for d, unit, _ in linter.analyze(source):
        if unit is None or d.category in ("placeholder", "input"):
            continue
        for s, e, kind in unit.placeholders:
            if s < d.end and d.start < e:
                bad.append(f"{d.path}:{d.line}:{d.column} {d.rule} {d.match!r} covers {kind} {source.raw[s:e]!r}")
    return bad


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("fmt", ["text", "json", "csv", "yaml"])
def test_placeholder_inside_a_phrase_blocks_the_match(linter, family, fmt):
    sentence = f"The system {family} says no. Please be advised that it works."
    raw = {
        "text": sentence,
        "json": '[{"title": "T", "text": %s}]' % __import__("json").dumps(sentence),
        "csv": 'title,text\nT,"%s"\n' % sentence.replace('"', '""'),
        "yaml": "- title: T\n  text: |\n    %s\n" % sentence,
    }[fmt]
    source = readers.read("x." + fmt, raw, fmt)
    assert source.units, raw
    rules = {d.rule for d, _, _ in linter.analyze(source) if d.category != "placeholder"}
    assert "BL001" not in rules and "RB002" in rules  # "the system … says" is broken by the placeholder
    assert overlapping(linter, source) == []


def test_fixtures_never_report_over_a_placeholder(linter):
    for path in sorted(FIXTURES.rglob("*")):
        if path.is_file() and readers.detect(str(path)) and "eval" not in path.parts:
            found = find_config(path)
            lint = Linter(load_config(found)) if found else linter
            assert overlapping(lint, lint.read_file(str(path))) == []


def test_corpus_never_reports_over_a_placeholder(linter, corpus):
    checked = 0
    for path in sorted(corpus.rglob("*")):
        if path.is_file() and readers.detect(str(path)):
            assert overlapping(linter, linter.read_file(str(path))) == []
            checked += 1
    assert checked > 400


def test_corpus_items_are_attributed(linter, corpus):
    """Every source in the corpus is read, and findings in item-shaped files name their item."""
    per_source: dict = {}
    for path in sorted(corpus.rglob("*")):
        if not (path.is_file() and readers.detect(str(path))) or path.parent == corpus:
            continue
        source = linter.read_file(str(path))
        top = path.relative_to(corpus).parts[0]
        per_source.setdefault(top, 0)
        per_source[top] += sum(1 for u in source.units if u.item is not None and (u.item.title or u.item.id))
    assert len(per_source) == 10 and all(n > 0 for n in per_source.values()), per_source


def _markdown_texts(count: int) -> list[str]:
    import random

    rng = random.Random(7)
    alphabet = "ab #\t\n`~<{!][&\\*_-x>+1.)("
    texts = ["", "\n", "#", "  #", "a \t #\n## T ##\n", "x\n\n> q\n- [ ] item *b* `c`\n", "1. a\n2) b\n+ c\n---\n"]
    return texts + ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 60))) for _ in range(count)]


def test_markdown_token_starts_are_every_place_a_token_can_start():
    """The places the Markdown reader tries its token pattern are exactly those of the pattern
    "a token character, a line start before an indent or a quote, list or rule marker, or spaces
    before # signs that end their line", whatever slice is read."""
    import re

    from macrolint.readers.markdown import token_starts

    oracle = re.compile(r"(?=[`~<{#!\[\]&\\*_])|^(?=[ \t>+\-0-9])|(?=[ \t]+\#+[ \t]*$)", re.M)
    for text in _markdown_texts(3000):
        for start in range(0, len(text) + 1, 3):
            for end in (len(text), max(start, len(text) - 2)):
                assert list(token_starts(text, start, end)) == [m.start() for m in oracle.finditer(text, start, end)], (text, start, end)


def test_markdown_tokens_in_long_runs_of_openers_are_those_a_scan_finds():
    """Runs of the characters that open inline code, links and images (and spaces before a
    closing #), which ``tokens`` answers without the pattern, give the tokens a scan of every
    position gives, closed or not, and a run of 100,000 of them is read in linear time."""
    from macrolint.readers.markdown import TOKENS, markdown_view, tokens

    pieces = ["`", "``", "[", "![", "](x)", "][", "]", "(", ")", " ", "\t", "#", "x", "\n", "a b"]
    import random

    rng = random.Random(11)
    for _ in range(400):
        text = "".join(rng.choice(pieces) * rng.randint(1, 12) for _ in range(rng.randint(1, 12)))
        for start, end in ((0, len(text)), (len(text) // 4, len(text) - len(text) // 5)):
            expected = [(m.span(), m.lastgroup) for m in TOKENS.finditer(text, start, end)]
            assert [(m.span(), m.lastgroup) for m in tokens(text, start, end)] == expected, (text, start, end)
    for run in ("[" * 100_000, "`" * 100_000, "![" * 50_000, "x" + " " * 100_000 + "#", "![a](" * 20_000):
        view, _ = markdown_view("Hi " + run + " there.")
        assert view.startswith("Hi ")


def test_markdown_tokens_are_those_a_scan_of_every_position_finds():
    """Trying the token pattern only at those places finds every token a scan of every position
    finds: no token starts anywhere else."""
    from macrolint.readers.markdown import TOKENS, tokens

    for text in _markdown_texts(3000):
        for start, end in ((0, len(text)), (len(text) // 3, len(text) - len(text) // 4)):
            expected = [(m.span(), m.lastgroup) for m in TOKENS.finditer(text, start, end)]
            assert [(m.span(), m.lastgroup) for m in tokens(text, start, end)] == expected, (text, start, end)
