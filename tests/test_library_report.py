"""The library report's figures: items and words, the script score, the fix-first ranking, the
phrases, the near-duplicate clusters (precision and recall on libraries with known clusters) and
the trend since a baseline, through ``macrolint.report``."""
from __future__ import annotations

import itertools
import json
import re

import pytest

import macrolint
from macrolint.linting.library import minhash, neardup, score
from macrolint.linting.library.facts import CLOSE, OPEN, words_of
from macrolint.model import Diagnostic, Severity
from tests.conftest import FIXTURES, ROOT
from tests.library_gen import library

DUPES = FIXTURES / "report-dupes" / "macros.json"
TRUTH = json.loads((ROOT / "tests" / "data" / "report-dupes-clusters.json").read_text())["clusters"]


def pairs(groups) -> set:
    return {tuple(sorted(p)) for g in groups for p in itertools.combinations(g, 2)}


def precision_recall(found, truth) -> tuple[float, float]:
    f, t = pairs(found), pairs(truth)
    return len(f & t) / max(len(f), 1), len(f & t) / len(t)


@pytest.fixture(scope="module")
def dupes():
    return macrolint.report([str(DUPES)])


def test_the_near_duplicates_of_the_test_library_are_found(dupes):
    found = [[dupes.items[i].id for i in c.members] for c in dupes.clusters]
    precision, recall = precision_recall(found, TRUTH)
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)
    # the most used macro of a cluster comes first, the others with their similarity to it
    refund = next(c for c in dupes.clusters if dupes.items[c.members[0]].title == "Billing::Refund issued")
    assert len(refund.members) == 5 and refund.similarity[0] == 100 and min(refund.similarity) >= 90
    assert [dupes.items[i].usage for i in refund.members] == sorted((dupes.items[i].usage for i in refund.members), reverse=True)


def test_the_near_duplicates_of_a_generated_library_are_found():
    texts, families = library(seed=11)
    marked = [re.sub(r"\{\{.*?\}\}|\{%.*?%\}", lambda m: OPEN + m.group() + CLOSE, t) for t in texts]
    cache: dict = {}
    signatures = [minhash.signature(words_of(t), cache) if len(words_of(t)) >= 8 else b"" for t in marked]
    found = [c.members for c in neardup.find_clusters(marked, signatures, 90)]
    precision, recall = precision_recall(found, families)
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)


def test_similarity_ignores_placeholders_and_keeps_lengths_honest():
    a = f"Hi {OPEN}{{{{ticket.requester.first_name}}}}{CLOSE}, your refund of 20 dollars is on its way to your card now."
    b = f"Hi {OPEN}%customer.firstName%{CLOSE}, your refund of 20 dollars is on its way to your card now."
    assert neardup.similarity(a, b) == 100
    short = "your refund is on its way to your card"
    long = short + " and " + " ".join(f"word{i}" for i in range(40))
    assert neardup.similarity(short, long) < 60  # contained, not a copy: token-set alone would say 100


def test_short_items_are_not_compared():
    assert minhash.signature(words_of("Thanks! Closing this now."), {}) != b""  # the signature exists...
    from macrolint.linting.library.facts import MIN_DUPLICATE_WORDS

    assert MIN_DUPLICATE_WORDS == 8  # ...but items this short are left out (facts), as the README says


def test_differences_mark_the_words_a_copy_adds_and_drops():
    base = f"Hi {OPEN}{{{{name}}}}{CLOSE}, refunds take 5 to 7 business days. Reply here."
    copy = f"Hi {OPEN}{{{{customer}}}}{CLOSE}, refunds take 5 to 7 days, usually. Reply here."
    segments = neardup.differences(base, copy)
    assert ("hole", "{{customer}}") in segments  # shown, but no difference: placeholders are left out
    assert [s for k, s in segments if k == "new"] == ["usually"]
    assert [s for k, s in segments if k == "gone"] == ["business"]
    shown = "".join(s for k, s in segments if k != "gone")
    assert " ".join(shown.split()) == "Hi {{customer}}, refunds take 5 to 7 days, usually. Reply here."


def test_signatures_agree_as_the_texts_do():
    import struct

    def agreement(a: bytes, b: bytes) -> float:
        unpack = struct.Struct(f"<{minhash.BINS}I").unpack
        return sum(x == y for x, y in zip(unpack(a), unpack(b))) / minhash.BINS

    cache: dict = {}
    words = [f"w{i}" for i in range(60)]
    same = minhash.signature(words, cache)
    assert same == minhash.signature(list(words), {}) and len(same) == minhash.BINS * 4
    assert minhash.signature(["alone"], cache) == b""
    edited = words[:30] + ["changed"] + words[31:]  # 57 of 61 word pairs shared: Jaccard 0.93
    assert agreement(same, minhash.signature(edited, cache)) > 0.8
    assert agreement(same, minhash.signature([f"v{i}" for i in range(60)], cache)) < 0.1
    assert len(minhash.bands(same)) == minhash.BANDS and minhash.bands(b"") == []


def _d(severity: Severity, confidence: float = 1.0, category: str = "robotic") -> Diagnostic:
    return Diagnostic("f", 0, 1, 1, 1, 1, 2, "RB001", "x", category, severity, "m", "x", confidence)


def test_the_script_score_is_weighted_findings_per_100_words():
    assert score.script_score([_d(Severity.WARNING)], 100) == 2.0
    assert score.script_score([_d(Severity.WARNING), _d(Severity.ERROR)], 100) == 6.0
    assert score.script_score([_d(Severity.INFO, 0.5)], 200) == 0.25
    assert score.script_score([_d(Severity.WARNING)], 4) == 8.0  # short items count as 25 words
    assert score.script_score([_d(Severity.ERROR, category="input"), _d(Severity.WARNING, category="suppression")], 100) == 0
    assert score.priority(2.0, None) == 2.0 and score.priority(2.0, 9) == 20.0
    assert score.distribution([0, 0, 1.5, 30]) == [("0", 2), ("0–2", 1), ("2–5", 0), ("5–10", 0), ("10–20", 0), ("20+", 1)]
    assert score.summary([0, 1, 2, 3, 4])["median"] == 2 and score.summary([])["max"] == 0


def test_items_words_and_usage_of_an_export(dupes):
    assert dupes.files == 1 and len(dupes.items) == 49
    refund = next(i for i in dupes.items if i.title == "Billing::Refund issued")
    assert refund.usage == 412 and refund.usage_key == "usage_30d" and refund.source == "zendesk"
    # the words of the linted text, placeholders out: the greeting's variable and the signature's
    assert refund.words == len(words_of(refund.text)) + len(words_of("Billing::Refund issued"))
    assert "{{ticket.requester.first_name" in refund.text
    holiday = next(i for i in dupes.items if i.title == "General::Holiday hours")
    assert {f.rule for f in holiday.findings} >= {"PH002", "PH003"}


def test_fix_first_ranks_by_score_times_use(dupes):
    ranked = [dupes.items[i] for i in dupes.fix_first]
    assert all(i.score > 0 for i in ranked) and len(ranked) == len(dupes.items) - dupes.clean_items
    assert [i.priority for i in ranked] == sorted((i.priority for i in ranked), reverse=True)
    top = ranked[0]
    assert top.priority == round(top.score * (1 + top.usage), 2)
    f = top.findings[0]
    assert f.before or f.after  # shown in its sentence
    assert f.suggestions


def test_phrases_are_counted_across_the_library(dupes):
    advised = next(p for p in dupes.phrases if p.phrase == "please be advised that")
    assert advised.count == 3 and len(advised.items) == 3 and advised.rule == "RB002"
    assert advised.suggestion == "Remove “Please be advised that”"
    assert dupes.phrases == sorted(dupes.phrases, key=lambda p: (-p.count, -len(p.items), p.rule, p.phrase))
    assert not any(p.category == "placeholder" for p in dupes.phrases)


def test_the_json_figures_are_the_report_s(dupes):
    doc = json.loads(json.dumps(dupes.to_dict()))
    assert doc["totals"]["items"] == 49 and doc["totals"]["findings"] == dupes.findings
    assert sum(doc["by_severity"].values()) == dupes.findings
    assert sum(r["items"] for r in doc["score"]["distribution"]) == 49
    assert len(doc["near_duplicates"]["clusters"]) == len(dupes.clusters)
    clustered = {m for c in doc["near_duplicates"]["clusters"] for m in c["members"]}
    assert all(("text" in i) == (i["index"] in clustered) for i in doc["items"])


def test_a_plain_file_is_one_item_and_a_markdown_library_one_item_per_reply():
    r = macrolint.report([str(FIXTURES / "text"), str(FIXTURES / "markdown-library" / "macros.md")], threshold=90)
    labels = [i.label for i in r.items]
    assert labels == ["billing-replies.txt", "1. Delayed Parcel", "2. Address Change", "3. Notes for agents"]
    assert r.sources[0].name in ("markdown", "text")


def test_the_trend_since_a_baseline(tmp_path):
    from click.testing import CliRunner

    from macrolint.cli import main

    reply = tmp_path / "reply.txt"
    reply.write_text("Please be advised that it shipped. We will revert back tomorrow.\n")
    baseline = tmp_path / "baseline.json"
    CliRunner().invoke(main, ["check", "--isolated", str(reply), "--write-baseline", str(baseline)])
    reply.write_text("It shipped. We will revert back tomorrow. Obviously it is late.\n")
    r = macrolint.report([str(reply)], baseline=str(baseline))
    assert [f.rule for _, f in r.trend.new] == ["CD001"]
    assert [(e["rule"], e["match"]) for e in r.trend.fixed] == [("RB002", "please be advised that")]
    assert r.trend.unchanged == 1


def test_the_threshold_is_checked():
    with pytest.raises(ValueError):
        macrolint.report([str(DUPES)], threshold=20)


def test_the_near_duplicate_search_does_bounded_work_on_a_library_where_everything_looks_alike():
    """Replies drawn from one pool of sentences (as the bench corpus is): every bucket fills, and
    the pairs verified grow with the library, not with its square."""
    import random

    rng = random.Random(3)
    pool = [f"sentence {k} says " + " ".join(f"w{k}x{j}" for j in range(10)) + "." for k in range(12)]
    work = {}
    for n in (500, 2000):
        texts = [" ".join(rng.sample(pool, rng.randint(3, 7))) + f" Order {rng.randrange(10**6)}." for _ in range(n)]
        cache: dict = {}
        clusterer = neardup.Clusterer(90)
        for i, t in enumerate(texts):
            clusterer.add(i, t, minhash.signature(words_of(t), cache))
        work[n] = clusterer.compared
        assert clusterer.compared <= neardup.CANDIDATES * n
    assert work[2000] <= 4 * work[500] * 1.5  # linear, give or take: four times the items


@pytest.mark.slow
def test_a_parallel_report_is_the_serial_one(tmp_path):
    for n in range(70):
        (tmp_path / f"r{n:02d}.txt").write_text(
            f"Hi there, please be advised that order {n % 7} shipped on Monday and arrives by Friday at noon.\n")
    serial = macrolint.report([str(tmp_path)], jobs=1).to_dict()
    parallel = macrolint.report([str(tmp_path)], jobs=2).to_dict()
    assert parallel == serial
    assert serial["totals"]["items"] == 70 and len(serial["near_duplicates"]["clusters"]) == 1
