"""The position-keeping JSON scanner: same values as ``json``, exact raw spans, escapes as atoms."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from macrolint.readers import jsonscan, read
from macrolint.readers.tree import Val, plain

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=20,
)


def strings(node):
    if isinstance(node, dict):
        for v in node.values():
            yield from strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from strings(v)
    elif isinstance(node, Val) and node.style == "json":
        yield node


def assert_view_maps(raw: str, val: Val) -> None:
    view, omap = jsonscan.string_view(raw, val)
    assert view == val.value
    for vs, ve, rs, re_ in omap.runs():
        if re_ is None:
            assert raw[rs:rs + ve - vs] == view[vs:ve]
        else:
            assert jsonscan.unescape(raw[rs:re_]) == view[vs:ve]
            assert val.start < rs < re_ < val.end


@settings(max_examples=200, deadline=None)
@given(JSON_VALUES, st.booleans(), st.sampled_from([None, 2]))
def test_parse_agrees_with_json(value, ascii_only, indent):
    raw = json.dumps(value, ensure_ascii=ascii_only, indent=indent)
    tree = jsonscan.parse(raw)
    assert plain(tree) == json.loads(raw)
    for val in strings(tree):
        assert raw[val.start] == '"' and raw[val.end - 1] == '"'
        assert json.loads(raw[val.start:val.end]) == val.value
        assert_view_maps(raw, val)


def test_escapes_are_atoms_and_surrogate_pairs_one_character():
    raw = r'{"t": "a\n\"b\" \u2019 \ud83d\ude42 \/ end"}'
    (val,) = strings(jsonscan.parse(raw))
    view, omap = jsonscan.string_view(raw, val)
    assert view == 'a\n"b" \u2019 \U0001F642 / end'
    pos = view.index("\U0001F642")
    assert raw[slice(*omap.raw_span(pos, pos + 1))] == r"\ud83d\ude42"
    pos = view.index("\u2019")
    assert raw[slice(*omap.raw_span(pos, pos + 1))] == r"\u2019"


def test_lone_surrogate_shows_replacement_character():
    raw = r'["x\ud83d y"]'
    (val,) = strings(jsonscan.parse(raw))
    assert jsonscan.string_view(raw, val)[0] == "x\ufffd y"


@pytest.mark.parametrize("raw, offset", [
    ('{"a": 1,}', 8),
    ('{"a" 1}', 5),
    ('[1, 2', 5),
    ('{"a": "unterminated}', 6),
    ('{"a": tru}', 6),
    ('[1] [2]', 4),
    ('{"a": "bad \\x escape"}', 11),
    ('', 0),
])
def test_errors_point_at_the_problem(raw, offset):
    with pytest.raises(jsonscan.ScanError) as info:
        jsonscan.parse(raw)
    assert info.value.offset == offset
    with pytest.raises(ValueError):
        json.loads(raw)


def test_deep_nesting_is_an_error_not_a_crash():
    with pytest.raises(jsonscan.ScanError, match="nested deeper"):
        jsonscan.parse("[" * 5000 + "]" * 5000)


def test_encoder_keeps_the_files_style():
    assert jsonscan.encoder('{"a": "plain"}')('it’s "ok"\n') == 'it\\u2019s \\"ok\\"\\n'
    assert jsonscan.encoder('{"a": "café"}')('it’s "ok"') == 'it’s \\"ok\\"'


def test_units_encode_through_html_and_json():
    raw = '{"macro": {"title": "T", "actions": [{"field": "comment_value_html", "value": "<p>x</p>"}]}}'
    body = [u for u in read("m.json", raw, "json").units if u.item.field == "comment_value_html"][0]
    assert body.encode('Tom & "Jerry" – ok') == 'Tom &amp; \\"Jerry\\" \\u2013 ok'


def test_match_inside_escapes_points_at_raw_bytes(linter):
    raw = '[{"title": "T", "text": "Hi.\\nDon\\u2019t hesitate to contact us."}]'
    (d,) = [d for d in linter.lint_text(raw, "json") if d.rule == "RB005"]
    assert raw[d.start:d.end] == "Don\\u2019t hesitate to contact us"
    assert d.match == "Don\u2019t hesitate to contact us"
    assert (d.line, d.column) == (1, 31)
