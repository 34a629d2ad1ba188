"""Usage counts an export carries on its records reach each unit's item (``Item.meta``), for the
library report's "fix first" ranking; diagnostics still name their item by id, title and field."""
from __future__ import annotations

import json

from macrolint.readers import read
from macrolint.readers.shapes import usage
from macrolint.readers.tree import Val


def metas(source) -> dict:
    return {(u.item.id, u.item.field): dict(u.item.meta) for u in source.units}


def test_zendesk_usage_sideloads_reach_every_field_of_the_macro():
    doc = {"macros": [
        {"id": 1, "title": "Refund", "usage_7d": 12, "usage_30d": 40,
         "actions": [{"field": "comment_value", "value": "Your refund is on its way."},
                     {"field": "subject", "value": "Refund"}]},
        {"id": 2, "title": "Shipping", "actions": [{"field": "comment_value", "value": "It shipped."}]},
    ]}
    got = metas(read("macros.json", json.dumps(doc), "json"))
    assert got[("1", "title")] == got[("1", "comment_value")] == got[("1", "subject")] == {"usage_30d": 40, "usage_7d": 12}
    assert got[("2", "comment_value")] == {}


def test_helpscout_and_gorgias_counts_are_read_and_the_csv_cells_too():
    hs = read("replies.csv", 'id,name,text,chatText,mailboxId,count\n7,Refund,"Your refund is on its way.",,1,"1,204"\n', "csv")
    assert metas(hs)[("7", "text")] == {"count": 1204}
    gorgias = {"data": [{"id": 3, "name": "Delay", "usage": 9, "actions": [
        {"name": "setResponseText", "arguments": {"body_text": "Your parcel is late; it ships Monday."}}]}]}
    assert metas(read("macros.json", json.dumps(gorgias), "json"))[("3", "body_text")] == {"usage": 9}


def test_a_count_that_is_not_a_number_of_0_or_more_is_left_out():
    record = {"usage_30d": Val("-3", 0, 0), "usage_7d": Val("lots", 0, 0, "json"), "usage_24h": Val("nan", 0, 0),
              "usage_1h": Val("2.5", 0, 0)}
    assert usage(record, ("usage_30d", "usage_7d", "usage_24h", "usage_1h", "missing")) == (("usage_1h", 2.5),)


def test_the_diagnostic_still_names_its_item_by_id_title_and_field(linter):
    doc = {"macros": [{"id": 5, "title": "T", "usage_30d": 3,
                       "actions": [{"field": "comment_value", "value": "Please be advised that it shipped."}]}]}
    (d,) = [d for d in linter.lint_text(json.dumps(doc), "json") if d.rule.startswith("RB")]
    assert d.item == {"id": "5", "title": "T", "field": "comment_value"}
