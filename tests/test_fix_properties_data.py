"""Properties of fixing generated data files (JSON, YAML, CSV) with ``--unsafe-fixes``.

Each example is a whole export in a known shape, written with random escapes, scalar styles,
quoting, indentation, line endings and BOM. After fixing it: the file parses with the standard
parser, every value other than the text fields is identical, key order, layout (lines and their
indentation), line endings and BOM are unchanged, placeholders are intact, and a second run
changes nothing."""
from __future__ import annotations

import csv
import io
import json
import os
import tempfile

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from macrolint.fixing.apply import fix_file
from macrolint.model import Applicability
from macrolint.text.masking import find_placeholders
from tests.conftest import shared_linter

pytestmark = pytest.mark.slow

LINTER = shared_linter("core")
BOM = b"\xef\xbb\xbf"
PLACEHOLDERS = [
    "{{ticket.requester.first_name}}", '{{ user.name | fallback: "there" }}', "{% if ticket.organization.name %}",
    "{%customer.firstName,fallback=there%}", "{%user.firstName%}", '<attribute key="user.first_name" default="there"/>',
    "[AMOUNT]", "%{ticket.number}", "https://example.com/a?b=1&c=2",
]
PROBLEMS = [
    "Please be advised that", "please be advised that", "In order to fix it,", "we utilize", "Utilize",
    "Obviously,", "simply", "we will revert back", "at this point in time", "It has come to our attention that",
    "We apologize for any inconvenience", "there is nothing I can do",
]
NEUTRAL = ["your refund was sent", "I've checked the order", "we’re on it", "thanks for the photos", "it ships today",
           "the courier has it", "café orders ship — today", "the \"pending\" line goes away", "C:\\Users\\ann",
           "it’s 5–7 days 🙂", "see tab\tthree"]
SETTINGS = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def sentence(draw):
    words = [draw(st.sampled_from(PROBLEMS + NEUTRAL))]
    if draw(st.booleans()):
        words.append(draw(st.sampled_from(PLACEHOLDERS)))
    words.append(draw(st.sampled_from(NEUTRAL)))
    return " ".join(words) + draw(st.sampled_from([".", "!", "?", ""]))


@st.composite
def prose(draw, html=False, breaks=True):
    """A field's text: sentences, as HTML paragraphs or separated by spaces and line breaks."""
    parts = draw(st.lists(sentence(), min_size=1, max_size=4))
    if html:
        return "".join(draw(st.sampled_from(["<p>{}</p>", "{}<br>", "<div>{}</div>", "{}"])).format(p) for p in parts)
    seps = ["  ", " ", "\n", "\n\n"] if breaks else [" "]
    out = parts[0]
    for p in parts[1:]:
        out += draw(st.sampled_from(seps)) + p
    return out


def _placeholders(text: str) -> list[str]:
    return [text[s:e] for s, e, _ in find_placeholders(text)]


def _compare(before, after, text_paths, path=()):
    """Same structure, keys in the same order, same values outside ``text_paths``; text values may
    change but keep their placeholders."""
    assert type(before) is type(after), path
    if isinstance(before, dict):
        assert list(before) == list(after), path
        for k in before:
            _compare(before[k], after[k], text_paths, (*path, k))
    elif isinstance(before, list):
        assert len(before) == len(after), path
        for i, (b, a) in enumerate(zip(before, after)):
            _compare(b, a, text_paths, (*path, i))
    elif path in text_paths and isinstance(before, str):
        assert _placeholders(after) == _placeholders(before), (path, before, after)
    else:
        assert before == after, path


def _layout(text: str) -> list[str]:
    """Each line's indentation and line ending."""
    return [line[: len(line) - len(line.lstrip(" \t"))] + ("\r" if line.endswith("\r") else "")
            for line in text.split("\n")]


def _fix_twice(data: bytes, suffix: str):
    """Fix a file holding ``data``; returns the fixed bytes, after checking a second run is a no-op."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "export" + suffix)
        with open(path, "wb") as fh:
            fh.write(data)
        result = fix_file(LINTER, path, Applicability.UNSAFE)
        assert result.error is None, result.error
        assert result.converged
        # A fix the format cannot hold (a plain YAML scalar left starting with "{{") is dropped alone.
        assert all("no longer reads as the same document" in why for _, why in result.dropped), result.dropped
        if result.dropped:
            event("a fix was dropped")
        with open(path, "rb") as fh:
            once = fh.read()
        event("fixed" if once != data else "unchanged")
        event(f"fixes applied: {min(len(result.applied), 10)}")
        again = fix_file(LINTER, path, Applicability.UNSAFE)
        with open(path, "rb") as fh:
            assert fh.read() == once and not again.changed, "a second run changed the file"
    return once


def _check_common(data: bytes, out: bytes) -> str:
    assert out.startswith(BOM) == data.startswith(BOM)
    before, after = data.decode("utf-8-sig"), out.decode("utf-8-sig")
    assert _layout(after) == _layout(before)
    return after


# -- JSON: Zendesk macros ---------------------------------------------------------------------------


@st.composite
def zendesk_export(draw):
    macros, text_paths = [], set()
    for i in range(draw(st.integers(1, 3))):
        html = draw(st.booleans())
        actions = [{"field": "comment_value_html" if html else "comment_value", "value": draw(prose(html=html))}]
        text_paths.add(("macros", i, "title"))
        text_paths.add(("macros", i, "actions", 0, "value"))
        if draw(st.booleans()):
            actions.append({"field": "subject", "value": draw(prose(breaks=False))})
            text_paths.add(("macros", i, "actions", 1, "value"))
        actions += [{"field": "comment_mode_is_public", "value": draw(st.sampled_from([True, "true"]))},
                    {"field": "status", "value": "solved"}, {"field": "set_tags", "value": draw(sentence())}]
        macros.append({"id": 360000 + i, "title": draw(sentence()), "active": draw(st.booleans()),
                       "description": draw(prose()), "position": draw(st.sampled_from([1, 2.5, None])),
                       "actions": actions, "restriction": None})
    return {"macros": macros, "count": len(macros)}, text_paths


@st.composite
def json_style(draw):
    return {"indent": draw(st.sampled_from([None, 2, 4, "\t"])), "ascii": draw(st.booleans()),
            "slash": draw(st.booleans()), "html_safe": draw(st.booleans()),
            "eol": draw(st.sampled_from(["\n", "\r\n"])), "bom": draw(st.booleans())}


def dump_json(tree, style) -> bytes:
    """JSON as different exporters write it: escaped or literal non-ASCII, ``\\/``, ``\\u003c``."""

    def string(s: str) -> str:
        body = json.dumps(s, ensure_ascii=style["ascii"])[1:-1]
        if style["slash"]:
            body = body.replace("/", "\\/")
        if style["html_safe"]:
            body = body.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return '"' + body + '"'

    indent = style["indent"]
    pad = " " * indent if isinstance(indent, int) else (indent or "")

    def dump(node, depth: int) -> str:
        if isinstance(node, str):
            return string(node)
        if not isinstance(node, (dict, list)) or not node:
            return json.dumps(node)
        items = ([f"{string(k)}: {dump(v, depth + 1)}" for k, v in node.items()] if isinstance(node, dict)
                 else [dump(v, depth + 1) for v in node])
        o, c = "{}" if isinstance(node, dict) else "[]"
        if indent is None:
            return o + ", ".join(items) + c
        inner = style["eol"] + pad * (depth + 1)
        return o + inner + ("," + inner).join(items) + style["eol"] + pad * depth + c

    text = dump(tree, 0) + style["eol"]
    assert json.loads(text) == tree
    return (BOM if style["bom"] else b"") + text.encode("utf-8")


@SETTINGS
@given(zendesk_export(), json_style())
def test_json_fix_properties(export, style):
    tree, text_paths = export
    data = dump_json(tree, style)
    out = _check_common(data, _fix_twice(data, ".json"))
    _compare(tree, json.loads(out), text_paths)
    if style["ascii"] and not data.decode("utf-8-sig").isascii():
        raise AssertionError("generator wrote non-ASCII into an ASCII-only file")
    if data.decode("utf-8-sig").isascii():
        assert out.isascii(), "an ASCII-only file got literal non-ASCII"


# -- YAML: GitHub saved replies and osTicket canned responses -----------------------------------------

_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")


def _plain_ok(value: str) -> bool:
    if not value or "\n" in value or "\t" in value or value != value.strip() or value[0] in _INDICATORS:
        return False
    if ": " in value or " #" in value or value.endswith(":"):
        return False
    try:
        return yaml.safe_load("k: " + value) == {"k": value}
    except yaml.YAMLError:
        return False


def _folds(value: str, draw) -> list[str]:
    """``value`` cut at single spaces into lines (folded and multi-line plain scalars join them)."""
    words = value.split(" ")
    if "" in words:
        return [value]
    lines, current = [], words[0]
    for w in words[1:]:
        if draw(st.integers(0, 3)) == 0:
            lines.append(current)
            current = w
        else:
            current += " " + w
    return [*lines, current]


def yaml_scalar(value: str, style: str, indent: str, draw) -> list[str]:
    """``value`` written in ``style`` after ``key:`` — the first line's tail and continuation lines.
    Falls back to a double-quoted scalar when the style cannot hold the value."""
    more = indent + "  "
    lines = value.split("\n")
    if style == "plain" and _plain_ok(value):
        first, *rest = _folds(value, draw)
        return [" " + first, *(more + r for r in rest)]
    if style == "single" and "\n" not in value and "\t" not in value and value == value.strip():
        return [" '" + value.replace("'", "''") + "'"]
    if style == "literal" and value.strip() and not any(l[:1] in (" ", "\t") for l in lines) \
            and not value.startswith("\n") and "\r" not in value:
        body = value.rstrip("\n")
        trail = len(value) - len(body)
        chomp = {0: "-", 1: ""}.get(trail, "+")
        return [" |" + chomp, *((more + l) if l else "" for l in body.split("\n")), *[""] * max(0, trail - 1)]
    if style == "folded" and "\n" not in value and "\t" not in value and value == value.strip() and "  " not in value:
        return [" >-", *(more + l for l in _folds(value, draw))]
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    if draw(st.booleans()):
        escaped = escaped.replace("’", "\\u2019").replace("—", "\\u2014").replace("🙂", "\\U0001F642")
    return [' "' + escaped + '"']


@st.composite
def yaml_export(draw):
    """A file's text (LF) and its tree, with the paths of the text fields."""
    shape = draw(st.sampled_from(["github", "osticket"]))
    scalar = st.sampled_from(["plain", "single", "double", "literal", "folded"])
    step = draw(st.sampled_from([2, 4]))
    nested = draw(st.booleans())
    item_indent = " " * step if nested else ""
    key_indent = item_indent + "  "
    records, text_paths = [], set()
    lines = ["# generated export"]
    if shape == "github":
        lines.append("replies:")
    for i in range(draw(st.integers(1, 3))):
        if shape == "github":
            rec = {"name": draw(sentence()), "body": draw(prose()), "id": i + 1,
                   "draft": draw(st.booleans()), "note": draw(prose(breaks=False)), "tags": ["triage", "in order to"]}
            text_paths |= {("replies", i, "name"), ("replies", i, "body")}
        else:
            rec = {"isenabled": draw(st.sampled_from([0, 1])), "title": draw(sentence()),
                   "response": draw(prose(html=draw(st.booleans()))), "notes": draw(prose(breaks=False))}
            text_paths |= {(i, "title"), (i, "response")}
        records.append(rec)
        for j, (key, value) in enumerate(rec.items()):
            lead = item_indent + "- " if j == 0 else key_indent
            if isinstance(value, str):
                first, *rest = yaml_scalar(value, draw(scalar), key_indent, draw)
                lines += [f"{lead}{key}:{first}", *rest]
            elif isinstance(value, list):
                lines.append(f'{lead}{key}: [{", ".join(json.dumps(v) for v in value)}]')
            else:
                lines.append(f"{lead}{key}: {json.dumps(value)}")
    tree = {"replies": records} if shape == "github" else records
    text = "\n".join(lines) + "\n"
    assert yaml.safe_load(text) == tree, text
    return text, tree, text_paths


@SETTINGS
@given(yaml_export(), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_yaml_fix_properties(export, eol, bom):
    text, tree, text_paths = export
    data = (BOM if bom else b"") + text.replace("\n", eol).encode("utf-8")
    out = _check_common(data, _fix_twice(data, ".yml"))
    _compare(tree, yaml.safe_load(out), text_paths)


# -- CSV: Help Scout saved replies ---------------------------------------------------------------------

HEADER = ["id", "name", "text", "chatText", "mailboxId", "mailboxName", "internal"]
TEXT_COLUMNS = {1, 2, 3}


@st.composite
def csv_export(draw):
    rows = [HEADER]
    for i in range(draw(st.integers(1, 4))):
        rows.append([str(3652219 + i), draw(sentence()), draw(prose(html=draw(st.booleans()))), draw(prose()),
                     "185235", draw(st.sampled_from(["1. Support", "Café, \"VIP\""])), draw(prose())])
    return rows


@SETTINGS
@given(csv_export(), st.sampled_from([",", ";", "\t"]), st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
       st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_csv_fix_properties(rows, delimiter, quoting, eol, bom):
    rows = [[cell.replace("\n", eol) for cell in row] for row in rows]
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, quoting=quoting, lineterminator=eol).writerows(rows)
    data = (BOM if bom else b"") + buf.getvalue().encode("utf-8")
    out = _check_common(data, _fix_twice(data, ".csv"))
    after = list(csv.reader(io.StringIO(out, newline=""), delimiter=delimiter))
    assert len(after) == len(rows)
    for before_row, after_row in zip(rows, after):
        assert len(after_row) == len(before_row)
        for col, (b, a) in enumerate(zip(before_row, after_row)):
            if col in TEXT_COLUMNS and before_row is not rows[0]:
                assert _placeholders(a) == _placeholders(b), (b, a)
            else:
                assert a == b
