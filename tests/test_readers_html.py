"""The HTML reader's view of a value, with and without its parser."""
from __future__ import annotations

import pytest


def test_values_of_bare_paragraphs_and_breaks_read_as_the_parser_reads_them():
    """The view of a value whose only tags are bare <p>, <br> and <div> is built without a parser:
    the same text and the same map as the parser's, on random values of those pieces."""
    import random

    from macrolint.readers.html import _defuse, _simple_view, _ViewParser

    rng = random.Random(5)
    pieces = ["<p>", "</p>", "<br>", "<br/>", "<br />", "</br>", "<div>", "</div>", "<P>", "<BR>", "<p/>",
              "a", "b c", "\n", " ", "x.", "{{n}}", ">", "<p >", "< p>", "<b>", "&amp;"]
    simple = 0
    for _ in range(3000):
        raw = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        got = _simple_view(raw, 5) if "&" not in raw else None
        if got is None:
            continue
        simple += 1
        parser = _ViewParser(raw, 5)
        parser.feed(_defuse(raw))
        view, omap = parser.close_view()
        assert got[0] == view, raw
        n = len(view)
        assert all(got[1].raw_span(i, j) == omap.raw_span(i, j) for i in range(n + 1) for j in range(i, n + 1)), raw
    assert simple > 500


@pytest.mark.parametrize("raw, view", [
    ("Terms &amp; Conditions", "Terms & Conditions"),  # "&amp;" decodes to "&", which is no unknown entity
    ("a &bogus; b", "a &bogus; b"),  # an unknown entity stays as written, its ";" too
    ("x &nbsp;y", "x \xa0y"),
])
def test_entities_decode_and_unknown_ones_stay_as_written(raw, view):
    from macrolint.readers.html import html_view

    got, omap = html_view(raw)
    assert got == view
    assert omap.raw_span(0, len(got)) == (0, len(raw))
