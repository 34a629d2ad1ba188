"""Rewriting a view (masking placeholders) keeps every character mapped to the raw text it came from."""
from __future__ import annotations

import random

import pytest

from macrolint.text.document import MASK, OffsetMap, ViewBuilder, rewrite


def _random_view(rng: random.Random) -> tuple[str, OffsetMap]:
    """A view built the way readers build one: verbatim stretches (some contiguous in the raw
    text, some not) and atoms (entities, tags turned into separators)."""
    b = ViewBuilder()
    raw = 0
    for _ in range(rng.randint(0, 12)):
        raw += rng.choice((0, 0, 3))  # 0: continues the stretch before it
        if rng.random() < 0.3:
            width = rng.randint(1, 6)
            b.atom(raw, raw + width, rng.choice(("&", " ", "\n\n", "ab")))
            raw += width
        else:
            s = "".join(rng.choice("abc ") for _ in range(rng.randint(0, 7)))
            b.text(raw, s)
            raw += len(s)
    return b.build()


def _random_replacements(rng: random.Random, length: int) -> list[tuple[int, int, str]]:
    cuts = sorted(rng.sample(range(length + 1), min(length + 1, 2 * rng.randint(0, 3))))
    reps = []
    for s, e in zip(cuts[::2], cuts[1::2]):
        if rng.random() < 0.2:
            e = s  # an insertion
        reps.append((s, e, rng.choice((MASK, "", "XY"))))
    return reps


@pytest.mark.parametrize("seed", range(300))
def test_rewrite_maps_each_character_where_it_came_from(seed):
    rng = random.Random(seed)
    text, omap = _random_view(rng)
    reps = _random_replacements(rng, len(text))
    new, nmap = rewrite(text, omap, reps)
    # what each new character must map to: its old character's raw span, or the replaced span's
    expected: list[tuple[int, int]] = []
    want = []
    pos = 0
    for s, e, rep in [*reps, (len(text), len(text), "")]:
        for i in range(pos, s):
            expected.append((omap.raw_start(i), omap.raw_end(i)))
        want.append(text[pos:s])
        span = omap.raw_span(s, e)
        expected.extend([span] * len(rep))
        want.append(rep)
        pos = e
    assert new == "".join(want)
    assert nmap.length == len(new)
    assert [(nmap.raw_start(i), nmap.raw_end(i)) for i in range(len(new))] == expected
    # stretches that are verbatim in the raw text stay one run
    for k in range(1, len(nmap.vstarts)):
        if nmap.rends[k] is None and nmap.rends[k - 1] is None:
            assert nmap.rstarts[k - 1] + nmap.vstarts[k] - nmap.vstarts[k - 1] != nmap.rstarts[k]
