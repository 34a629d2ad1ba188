"""YAML scalars of every style decode to PyYAML's value, with each character mapped to raw bytes."""
from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from macrolint.readers import read, yamlscan
from macrolint.readers.tree import Val, plain

TEXT = st.text(alphabet=" ab\n\t'\"\\#:-é’😀\r", max_size=40)


def scalars(node):
    if isinstance(node, dict):
        for v in node.values():
            yield from scalars(v)
    elif isinstance(node, list):
        for v in node:
            yield from scalars(v)
    elif isinstance(node, Val) and node.style:
        yield node


def assert_exact(raw: str, val: Val) -> None:
    view, omap = yamlscan.scalar_view(raw, val)
    assert view == val.value
    runs = list(omap.runs())
    if view:  # the fallback (one atom for the whole scalar) must not be needed
        assert not (len(runs) == 1 and runs[0][2:] == (val.start, val.end) and len(view) > 1), repr(raw)
    for vs, ve, rs, re_ in runs:
        if re_ is None:
            assert raw[rs:rs + ve - vs] == view[vs:ve]
        else:
            assert val.start <= rs <= re_ <= val.end


@settings(max_examples=400, deadline=None)
@given(TEXT, st.sampled_from([None, "|", ">", "'", '"']), st.sampled_from([6, 20, 80]), st.booleans())
def test_dumped_scalars_map_exactly(text, style, width, unicode):
    raw = yaml.dump({"k": text, "l": [{"m": text}]}, default_style=style, width=width, allow_unicode=unicode)
    tree = yamlscan.parse(raw)
    assert plain(tree) == yaml.safe_load(raw)
    for val in scalars(tree):
        assert_exact(raw, val)


@pytest.mark.parametrize("raw", [
    "a: >\n  folded\n  text\n\n    more indented\n  back\n\n\nb: ok\n",
    "a: |+\n  keep\n\n\nb: |-\n  strip\n\n",
    "a: |2\n    two extra\n   one\nb: 1\n",
    "- |1\n  x\n",
    "- key: |2\n      y\n     z\n",
    "a: plain\n  multi  line\n\n  with blank\nb: 'single\n  quoted '' x\n\n  end'\n",
    'a: "dq \\\n   cont\\t x \\u2019 \\x41 \\U0001F642\n\n  z"\n',
    "a: |\r\n  crlf\r\n  lines\r\nb: >\r\n  f\r\n  g\r\n",
    "a: >-\n  # not a comment\n  x\n",
    "a: |  # comment\n  text\n",
    "key:   \n  value on next line\n",
    "a: >\n\n  leading blank\n  x\n",
    "a: >\n  \n  spaces line\n",
])
def test_hand_written_scalars(raw):
    tree = yamlscan.parse(raw)
    assert plain(tree) == yaml.safe_load(raw)
    for val in scalars(tree):
        assert_exact(raw, val)


def test_non_strings_are_not_text_and_aliases_convert_once():
    tree = yamlscan.parse("a: &x {comment: Hi there}\nb: *x\nn: 12\nt: yes\nz: ~\non: 1\n")
    assert tree["a"] is tree["b"]
    assert (tree["n"].style, tree["n"].value) == ("", 12)
    assert tree["t"].value is True and tree["z"].value is None
    assert "on" in tree


def test_invalid_yaml_is_one_problem_at_its_line():
    raw = "replies:\n  - name: Fine\n  - name: Broken\n   body: [unclosed\n"
    source = read("replies.yml", raw, "yaml")
    (problem,) = source.problems
    assert raw.count("\n", 0, problem.offset) == 3


def test_folded_join_is_an_atom_and_match_spans_it(linter):
    raw = "replies:\n  - name: X\n    body: >\n      Please be\n      advised that it works.\n"
    (d,) = [d for d in linter.lint_text(raw, "yaml") if d.rule == "RB002"]
    assert raw[d.start:d.end] == "Please be\n      advised that"
    assert d.match == "Please be advised that"
    assert (d.line, d.column, d.end_line, d.end_column) == (4, 7, 5, 19)


@pytest.mark.parametrize("scalar, encoded", [
    ("'it''s here'", "it''s"), ('"say \\"hi\\""', 'it\'s'), ("|\n      block", "it's"), ("plain", "it's"),
])
def test_encode_follows_the_scalar_style(scalar, encoded):
    source = read("replies.yml", f"replies:\n  - name: N\n    body: {scalar}\n", "yaml")
    body = [u for u in source.units if u.item.field == "body"][0]
    assert body.encode("it's") == encoded
