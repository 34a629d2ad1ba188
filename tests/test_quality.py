"""The evaluation scorer (bench/quality.py): its metrics on a tiny synthetic set, and a smoke run
on the tune part of the real set."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "bench" / "quality.py"


def _load():
    spec = importlib.util.spec_from_file_location("macrolint_bench_quality", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


Q = _load()

RAW = [
    {"id": "t-1", "format": "text", "hard_negative": False,
     "text": "The system says no. The system says yes.",
     "spans": [{"text": "The system says", "category": "blame", "nth": 2}]},
    {"id": "t-2", "format": "text", "hard_negative": False,
     "text": "Please revert back. Obviously it works.",
     "spans": [{"text": "revert back", "category": "jargon"},
               {"text": "Obviously", "category": "condescending"}]},
    {"id": "t-3", "format": "text", "hard_negative": True, "text": "You should have received an email.", "spans": []},
    {"id": "t-4", "format": "text", "hard_negative": True, "text": "Simply reply and I'll take it from there.", "spans": []},
    {"id": "t-5", "format": "text", "hard_negative": False, "text": "Thanks!", "spans": []},
]


def _hits():
    return {
        # the first "The system says" (unlabelled) and the labelled second one
        "t-1": [Q.Hit(0, 15, "blame"), Q.Hit(20, 35, "blame")],
        # revert back found, but as robotic; "Obviously" missed
        "t-2": [Q.Hit(7, 18, "robotic")],
        "t-3": [],
        "t-4": [Q.Hit(0, 6, "condescending")],
        "t-5": [],
    }


def test_parse_items_resolves_nth_and_offsets():
    items = Q.parse_items(RAW)
    span = items[0].spans[0]
    assert (span.start, span.end) == (20, 35)
    assert items[0].text[span.start:span.end] == "The system says"
    assert [s.text for s in items[1].spans] == ["revert back", "Obviously"]
    assert items[1].spans[1].start == items[1].text.index("Obviously")


def test_parse_items_rejects_missing_span():
    bad = [{"id": "x", "format": "text", "text": "hello", "spans": [{"text": "bye", "category": "vague"}]}]
    with pytest.raises(ValueError):
        Q.parse_items(bad)


def test_overlap_is_half_open():
    assert Q.overlaps(0, 5, 4, 10)
    assert not Q.overlaps(0, 5, 5, 10)
    assert not Q.overlaps(6, 8, 0, 6)


def test_metrics_on_synthetic_set():
    sc = Q.score(Q.parse_items(RAW), _hits())
    assert (sc.items, sc.spans, sc.findings) == (5, 3, 4)
    assert sc.true_findings == 2          # t-1 second hit, t-2 hit
    assert sc.precision == pytest.approx(2 / 4)
    assert sc.found_spans == 2            # system says, revert back
    assert sc.recall == pytest.approx(2 / 3)
    assert sc.agreement == pytest.approx(1 / 2)   # revert back was found as robotic
    assert sc.hard_negatives == 2 and sc.clean_hard_negatives == 1
    assert sc.hard_negatives_clean == pytest.approx(0.5)
    assert len(sc.false_positives) == 2 and len(sc.misses) == 1
    assert sc.misses[0][1].text == "Obviously"
    assert [(i.id, h.category) for i, h, _ in sc.mismatches] == [("t-2", "robotic")]

    per = sc.per_category
    assert per["blame"] == {"spans": 1, "findings": 2, "precision": 0.5, "recall": 1.0,
                            "precision_any": 0.5, "recall_any": 1.0}
    # jargon span found only by a robotic finding: no same-category credit
    assert per["jargon"]["recall"] == 0.0 and per["jargon"]["recall_any"] == 1.0
    assert per["robotic"]["precision"] == 0.0 and per["robotic"]["precision_any"] == 1.0
    assert per["condescending"]["precision"] == 0.0 and per["condescending"]["recall"] == 0.0
    assert per["vague"]["precision"] is None and per["vague"]["recall"] is None


def test_metrics_for_one_category():
    sc = Q.score(Q.parse_items(RAW), _hits(), category="condescending")
    assert (sc.spans, sc.findings) == (1, 1)
    assert sc.precision == 0.0 and sc.recall == 0.0
    assert sc.hard_negatives_clean == pytest.approx(0.5)
    assert list(sc.per_category) == ["condescending"]

    sc = Q.score(Q.parse_items(RAW), _hits(), category="jargon")
    # only a robotic finding overlaps the jargon span: not found for this category
    assert sc.findings == 0 and sc.recall == 0.0 and sc.precision is None


def test_scorer_runs_on_tune_part(capsys):
    if not (Q.EVAL_DIR / "tune.yaml").is_file():
        pytest.skip("fixtures/eval/tune.yaml is not present")
    assert Q.main(["--part", "tune", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    tune = out["tune"]
    assert tune["items"] > 0 and tune["spans"] > 0
    for key in ("precision", "recall", "category_agreement", "hard_negatives_clean"):
        assert tune[key] is None or 0.0 <= tune[key] <= 1.0
    assert set(tune["per_category"]) == {"robotic", "blame", "jargon", "vague", "condescending"}
    assert "heldout" not in out


def test_heldout_errors_are_never_shown(monkeypatch, capsys):
    items = Q.parse_items(RAW)
    monkeypatch.setattr(Q, "load_part", lambda part, folder=None: items)
    assert Q.main(["--part", "heldout", "--show-errors"]) == 0
    out = capsys.readouterr().out
    assert "never shown" in out
    assert "false positives" not in out and "Obviously" not in out
    assert Q.main(["--part", "tune", "--show-errors"]) == 0
    assert "false positives" in capsys.readouterr().out


def test_debatable_spans_count_neither_way_and_intervals():
    raw = [{"id": "d-1", "text": "Dear Customer, simply click Save. We apologize for any inconvenience.",
            "spans": [{"text": "Dear Customer", "category": "robotic", "debatable": True},
                      {"text": "We apologize for any inconvenience", "category": "robotic"}]}]
    items = Q.parse_items(raw)
    hits = {"d-1": [Q.Hit(0, 13, "robotic"), Q.Hit(15, 21, "condescending"), Q.Hit(34, 68, "robotic")]}
    sc = Q.score(items, hits)
    assert (sc.findings, sc.true_findings, sc.spans, sc.found_spans) == (2, 1, 1, 1)
    low, high = Q.wilson(15, 64)
    assert 0.14 < low < 0.16 and 0.34 < high < 0.36


def test_agreement_between_labellers():
    first = Q.parse_items([{"id": "a", "text": "We apologize for any inconvenience.", "spans": [
        {"text": "We apologize for any inconvenience", "category": "robotic"}]},
        {"id": "b", "text": "Thanks!", "spans": []}])
    second = Q.parse_items([{"id": "a", "text": "We apologize for any inconvenience.", "spans": [
        {"text": "apologize for any inconvenience", "category": "robotic"}]},
        {"id": "b", "text": "Thanks!", "spans": []}])
    found = Q.agreement(first, second)
    assert found["item_agreement"] == 1.0 and found["kappa"] == 1.0 and found["first_spans_also_second"] == "1/1"


def test_the_blind_real_set_is_sound():
    """At least 500 real items, 150 articles and 150 replies or templates, each with its source;
    spans are exact substrings; the second labeller's items are the same texts."""
    items = Q.load_part("blind-real")
    kinds = [Q.KINDS[i.kind] for i in items]
    assert len(items) >= 500 and kinds.count("articles") >= 150 and kinds.count("replies") >= 150
    assert len({i.id for i in items}) == len(items)
    raw = []
    for name in ("replies.yaml", "articles.yaml"):
        raw += yaml.safe_load((Q.BLIND_REAL / name).read_text(encoding="utf-8"))
    assert all(set(r["source"]) >= {"repo", "commit", "path", "license"} and len(r["source"]["commit"]) == 40 for r in raw)
    assert all(i.audience in ("customers", "technical") for i in items)
    second = Q.parse_items(yaml.safe_load((Q.BLIND_REAL / "second-labeller.yaml").read_text(encoding="utf-8")))
    by_id = {i.id: i.text for i in items}
    assert len(second) >= 50 and all(by_id[i.id] == i.text for i in second)


def test_the_blind_synthetic_and_real_tuning_sets_are_sound():
    items = Q.load_part("blind-synthetic")
    clean = [i for i in items if not [s for s in i.spans if not s.debatable]]
    assert len(items) >= 300 and len(clean) >= len(items) / 3
    assert sum(i.hard_negative for i in items) >= len(items) / 5
    writer = Q.parse_items(yaml.safe_load((Q.BLIND_SYNTHETIC / "writer.yaml").read_text(encoding="utf-8")))
    assert [i.text for i in writer] == [i.text for i in items]
    real = Q.load_part("real-tune")
    assert len(real) >= 800 and not {i.id for i in real} & {i.id for i in Q.load_part("blind-real")}
