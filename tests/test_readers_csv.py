"""The span-tracking CSV scanner agrees with ``csv.reader`` and maps cells back to raw bytes."""
from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from macrolint.readers import csvscan, read
from macrolint.readers.tree import ScanError

CELL = st.text(alphabet='ab ,;"\n\r\t’é', max_size=12)


def reference(raw: str, delimiter: str = ",") -> list[list[str]]:
    csv.field_size_limit(10**9)
    return [r for r in csv.reader(io.StringIO(raw, newline=""), delimiter=delimiter) if r]


def assert_cells_map(raw: str, rows) -> None:
    for row in rows:
        for cell in row:
            view, omap = csvscan.cell_view(raw, cell)
            assert view == cell.value
            for vs, ve, rs, re_ in omap.runs():
                if re_ is None:
                    assert raw[rs:rs + ve - vs] == view[vs:ve]
                else:
                    assert raw[rs:re_] == '""' and view[vs:ve] == '"'


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(CELL, min_size=1, max_size=4), min_size=1, max_size=5),
       st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]), st.sampled_from(["\r\n", "\n"]))
def test_written_csv_reads_back_like_csv_reader(rows, quoting, terminator):
    buf = io.StringIO()
    csv.writer(buf, quoting=quoting, lineterminator=terminator).writerows(rows)
    raw = buf.getvalue()
    got = csvscan.parse_rows(raw)
    assert [[c.value for c in r] for r in got] == reference(raw)
    assert_cells_map(raw, got)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='a,"\n\r ', max_size=30))
def test_arbitrary_text_agrees_with_csv_reader(raw):
    try:
        got = csvscan.parse_rows(raw)
    except ScanError:
        return  # an unclosed quote: reported as malformed rather than guessed at
    assert [[c.value for c in r] for r in got] == reference(raw)
    assert_cells_map(raw, got)


def test_help_scout_export_shape():
    raw = ('"id","name","text","chatText","mailboxId","mailboxName"\r\n'
           '"7","Refund ""quick""","Hi,<br>Please be advised that\r\nit\'s done.","","1","Support"\r\n')
    source = read("saved_replies.csv", raw, "csv")
    assert source.platform == "helpscout"
    text = [u for u in source.units if u.item.field == "text"][0]
    assert text.item.title == 'Refund "quick"' and text.item.id == "7"
    assert text.encode('say "hi"') == 'say ""hi""'


def test_unclosed_quote_is_one_problem_at_its_start():
    raw = 'id,name,text\n1,a,"fine"\n2,b,"never closed\n'
    source = read("x.csv", raw, "csv")
    (problem,) = source.problems
    assert problem.offset == raw.index('"never')
    assert source.units == []


@pytest.mark.parametrize("first, delimiter", [("a,b,c", ","), ("a;b;c", ";"), ("a\tb\tc", "\t"), ('"x,y";b;c', ";")])
def test_delimiter_sniffing(first, delimiter):
    assert csvscan.sniff_delimiter(first + "\n1,2,3\n") == delimiter
