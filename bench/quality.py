#!/usr/bin/env python3
"""Score macrolint against the hand-labelled evaluation sets (``fixtures/eval``).

Each part is scored on its own: ``tune`` and ``heldout`` (written for the project), and
``blind-real`` (566 items of real public support text labelled by people who never saw the rules:
``fixtures/eval/blind-real``), which is also scored per source kind (replies and templates,
articles), with 95% Wilson intervals, and against a second labeller's labels for agreement.
Spans labelled ``debatable`` are left out: a finding on one counts neither way. Items written
for a technical audience are read with ``audience = "technical"``, as a team would configure
its developer docs (``--default-audience`` reads every item for customers); help-centre
sections with ``articles = true`` and e-mail templates with ``notices = true``, as a team
configures those folders (``--default-kinds`` reads every item as a reply).

* precision: findings overlapping a labelled span / all findings;
* recall: labelled spans overlapped by at least one finding / all spans;
* category agreement: of the spans that were found, the share where an overlapping finding
  carries the span's category;
* hard negatives clean: ``hard_negative: true`` items with no finding at all;
* per category: precision and recall counting only same-category matches (a jargon finding on
  a span labelled robotic counts against jargon), plus the category-blind ``any`` figures.

Only findings in the five voice categories count. Errors (false positives and misses) can be
printed for the tune part only: the held-out part is for measuring, never for fixing.

Usage: python bench/quality.py [--part tune|heldout|blind-real|all] [--category C] [--show-errors] [--json]
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Sequence

import yaml

from macrolint import readers
from macrolint.linting.linter import Linter
from macrolint.model import CATEGORIES
from macrolint.packs.config import Config

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = ROOT / "fixtures" / "eval"
PARTS = ("tune", "heldout", "real-tune", "blind-real", "blind-synthetic")
BLIND_REAL = EVAL_DIR / "blind-real"
REAL_TUNE = EVAL_DIR / "real-tune"
BLIND_SYNTHETIC = EVAL_DIR / "blind-synthetic"
#: Each blind set's other labelling of the same items, for agreement.
SECOND = {"blind-real": BLIND_REAL / "second-labeller.yaml", "blind-synthetic": BLIND_SYNTHETIC / "writer.yaml"}
#: Source kinds the blind-real set is reported by: replies and templates together, articles.
KINDS = {"reply": "replies", "template": "replies", "article": "articles"}
#: Parts whose errors may be printed; the held-out part only ever yields numbers.
SHOWABLE = frozenset({"tune", "real-tune"})


@dataclass(frozen=True)
class Span:
    """A labelled problem span: character offsets into the item text."""

    start: int
    end: int
    category: str
    text: str
    debatable: bool = False


@dataclass(frozen=True)
class Item:
    id: str
    format: str
    text: str
    spans: tuple[Span, ...]
    hard_negative: bool
    kind: str = ""
    audience: str = "customers"


@dataclass(frozen=True)
class Hit:
    """A finding of the linter, reduced to what scoring needs."""

    start: int
    end: int
    category: str
    rule: str = ""
    match: str = ""


@dataclass
class Score:
    """Counts for one part (optionally one category) and the ratios derived from them."""

    items: int = 0
    spans: int = 0
    findings: int = 0
    true_findings: int = 0
    found_spans: int = 0
    agreeing_spans: int = 0
    hard_negatives: int = 0
    clean_hard_negatives: int = 0
    per_category: dict = field(default_factory=dict)
    false_positives: list = field(default_factory=list)
    misses: list = field(default_factory=list)
    #: findings that overlap labelled spans, none of them in the finding's category
    mismatches: list = field(default_factory=list)

    @property
    def precision(self) -> Optional[float]:
        return ratio(self.true_findings, self.findings)

    @property
    def recall(self) -> Optional[float]:
        return ratio(self.found_spans, self.spans)

    @property
    def agreement(self) -> Optional[float]:
        return ratio(self.agreeing_spans, self.found_spans)

    @property
    def hard_negatives_clean(self) -> Optional[float]:
        return ratio(self.clean_hard_negatives, self.hard_negatives)

    def as_dict(self) -> dict:
        return {
            "items": self.items, "spans": self.spans, "findings": self.findings,
            "precision": rounded(self.precision), "recall": rounded(self.recall),
            "category_agreement": rounded(self.agreement),
            "hard_negatives": self.hard_negatives,
            "hard_negatives_clean": rounded(self.hard_negatives_clean),
            "per_category": self.per_category,
        }


def ratio(num: int, den: int) -> Optional[float]:
    """``num / den``, or ``None`` when there is nothing to divide."""
    return num / den if den else None


def wilson(num: int, den: int, z: float = 1.96) -> Optional[tuple[float, float]]:
    """The 95% Wilson score interval of ``num / den``."""
    if not den:
        return None
    p = num / den
    centre = (p + z * z / (2 * den)) / (1 + z * z / den)
    half = z * ((p * (1 - p) + z * z / (4 * den)) / den) ** 0.5 / (1 + z * z / den)
    return max(0.0, centre - half), min(1.0, centre + half)


def interval(num: int, den: int) -> str:
    found = wilson(num, den)
    return "" if found is None else f"  95% [{found[0]:.2f}, {found[1]:.2f}]"


def rounded(value: Optional[float]) -> Optional[float]:
    return None if value is None else round(value, 4)


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    """Half-open ranges share at least one character."""
    return a_start < b_end and b_start < a_end


# --- loading ---------------------------------------------------------------------------------

def nth_offset(text: str, needle: str, nth: int) -> int:
    """Start of the ``nth`` (1-based) occurrence of ``needle``, counting overlapping ones; -1 if absent."""
    i = text.find(needle)
    while i != -1 and nth > 1:
        i = text.find(needle, i + 1)
        nth -= 1
    return i


def parse_items(raw: object, where: str = "") -> list[Item]:
    """Items from the YAML list of one eval file (schema: fixtures/eval/README.md)."""
    if not isinstance(raw, list):
        raise ValueError(f"{where}: the top level must be a list of items")
    items = []
    for entry in raw:
        text = entry["text"]
        spans = []
        for s in entry.get("spans") or ():
            start = nth_offset(text, s["text"], int(s.get("nth", 1)))
            if start < 0:
                raise ValueError(f"{where}: {entry['id']}: span {s['text']!r} is not in the text")
            spans.append(Span(start, start + len(s["text"]), s["category"], s["text"], bool(s.get("debatable", False))))
        items.append(Item(str(entry["id"]), _format(entry), text, tuple(spans),
                          bool(entry.get("hard_negative", False)), entry.get("kind", ""),
                          entry.get("audience") or "customers"))
    return items


def _format(entry: dict) -> str:
    """The format an item is read in: as the tool reads its source file where the set names one
    the tool has a reader for (a Sphinx page, ``.rst``), else the format the labeller gave."""
    fmt = entry.get("format", "text")
    path = (entry.get("source") or {}).get("path", "")
    if fmt == "text" and path:
        found = readers.detect(path)
        if found is not None and found not in readers.DATA_FORMATS and found != "tag":
            return found
    return fmt


def load_part(part: str, folder: Path = EVAL_DIR) -> list[Item]:
    paths = ([BLIND_REAL / "replies.yaml", BLIND_REAL / "articles.yaml"] if part == "blind-real"
             else sorted(REAL_TUNE.glob("*.yaml")) if part == "real-tune"
             else [BLIND_SYNTHETIC / "items.yaml"] if part == "blind-synthetic" else [folder / f"{part}.yaml"])
    items: list[Item] = []
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            items += parse_items(yaml.safe_load(fh), str(path))
    return items


# --- linting and scoring ---------------------------------------------------------------------

def audience_linters(by_audience: bool = True, by_kind: bool = True) -> dict:
    """A linter per audience and kind of item, each read as a team configures that folder: the
    technical audience for its developer docs, ``articles = true`` for its help centre,
    ``notices = true`` for the e-mail templates its software sends. ``by_audience`` off reads
    every item for customers, ``by_kind`` off every item as a reply (as does a version without
    these settings)."""
    if "reading" not in Config._fields:
        linter = Linter(Config())
        return {"customers": linter, "technical": linter}
    from macrolint.packs.reading import Reading

    kinds = {"article": {"articles": True}, "template": {"notices": True}} if by_kind else {}
    if "notices" not in Reading._fields:
        kinds.pop("template", None)
    out: dict = {}
    for audience in ("customers", "technical"):
        reading = {"audience": audience if by_audience else "customers"}
        out[audience] = Linter(Config(reading=Reading(**reading)))
        for kind, setting in kinds.items():
            out[(audience, kind)] = Linter(Config(reading=Reading(**reading, **setting)))
    return out


def lint_items(items: Sequence[Item], linter) -> dict[str, list[Hit]]:
    """Findings per item id, in the five voice categories only; ``linter`` may be a linter per
    audience (``audience_linters``)."""
    out: dict[str, list[Hit]] = {}
    for item in items:
        use = (linter.get((item.audience, item.kind)) or linter.get(item.audience, linter["customers"])
               if isinstance(linter, dict) else linter)
        hits = [Hit(d.start, d.end, d.category, d.rule, d.match)
                for d in use.lint_text(item.text, item.format) if d.category in CATEGORIES]
        out[item.id] = sorted(hits, key=lambda h: (h.start, h.end, h.rule))
    return out


def score(items: Sequence[Item], hits: dict[str, list[Hit]], category: Optional[str] = None,
          categories: Iterable[str] = CATEGORIES) -> Score:
    """Score findings against labels; with ``category``, only that category's spans and findings count."""
    sc = Score()
    cats = tuple(categories)
    per = {c: {"spans": 0, "findings": 0, "true": 0, "true_any": 0, "found": 0, "found_any": 0} for c in cats}
    for item in items:
        firm = [s for s in item.spans if not s.debatable]
        spans = [s for s in firm if category is None or s.category == category]
        found = [h for h in hits.get(item.id, ()) if category is None or h.category == category]
        # a finding on a span two careful readers could disagree on counts neither way
        found = [h for h in found if any(overlaps(h.start, h.end, s.start, s.end) for s in firm)
                 or not any(overlaps(h.start, h.end, s.start, s.end) for s in item.spans)]
        sc.items += 1
        sc.spans += len(spans)
        sc.findings += len(found)
        if item.hard_negative:
            sc.hard_negatives += 1
            sc.clean_hard_negatives += not found
        for h in found:
            over = [s for s in firm if overlaps(h.start, h.end, s.start, s.end)]
            if over:
                sc.true_findings += 1
                if not any(s.category == h.category for s in over):
                    sc.mismatches.append((item, h, over))
            else:
                sc.false_positives.append((item, h))
            if h.category in per:
                p = per[h.category]
                p["findings"] += 1
                p["true_any"] += bool(over)
                p["true"] += any(s.category == h.category for s in over)
        for s in spans:
            over = [h for h in hits.get(item.id, ()) if overlaps(h.start, h.end, s.start, s.end)]
            if category is not None:
                over = [h for h in over if h.category == category]
            if over:
                sc.found_spans += 1
                sc.agreeing_spans += any(h.category == s.category for h in over)
            else:
                sc.misses.append((item, s))
            if s.category in per:
                p = per[s.category]
                p["spans"] += 1
                p["found_any"] += bool(over)
                p["found"] += any(h.category == s.category for h in over)
    for c, p in per.items():
        if category is not None and c != category:
            continue
        sc.per_category[c] = {
            "spans": p["spans"], "findings": p["findings"],
            "precision": rounded(ratio(p["true"], p["findings"])),
            "recall": rounded(ratio(p["found"], p["spans"])),
            "precision_any": rounded(ratio(p["true_any"], p["findings"])),
            "recall_any": rounded(ratio(p["found_any"], p["spans"])),
        }
    return sc


# --- output ----------------------------------------------------------------------------------

def fmt(value: Optional[float]) -> str:
    return "  n/a" if value is None else f"{value:.3f}"


def render(part: str, sc: Score) -> str:
    lines = [
        f"== {part}",
        f"items {sc.items}   labelled spans {sc.spans}   findings {sc.findings}",
        f"precision            {fmt(sc.precision)}  ({sc.true_findings}/{sc.findings}){interval(sc.true_findings, sc.findings)}",
        f"recall               {fmt(sc.recall)}  ({sc.found_spans}/{sc.spans}){interval(sc.found_spans, sc.spans)}",
        f"category agreement   {fmt(sc.agreement)}  ({sc.agreeing_spans}/{sc.found_spans})",
        f"hard negatives clean {fmt(sc.hard_negatives_clean)}  ({sc.clean_hard_negatives}/{sc.hard_negatives})",
        "",
        f"{'category':14s} {'spans':>5s} {'finds':>5s} {'prec':>6s} {'recall':>6s} {'prec*':>6s} {'recall*':>7s}",
    ]
    for c, p in sc.per_category.items():
        lines.append(f"{c:14s} {p['spans']:5d} {p['findings']:5d} {fmt(p['precision']):>6s} {fmt(p['recall']):>6s}"
                     f" {fmt(p['precision_any']):>6s} {fmt(p['recall_any']):>7s}")
    lines.append("(prec/recall: same category; prec*/recall*: any category)")
    return "\n".join(lines)


def render_kinds(items: Sequence[Item], hits: dict[str, list[Hit]]) -> str:
    """Precision and recall per source kind (replies and templates, articles)."""
    lines = [f"{'source kind':14s} {'items':>5s} {'spans':>5s} {'finds':>5s} {'prec':>6s} {'recall':>6s}  precision 95%"]
    for kind in dict.fromkeys(KINDS.values()):
        part = [i for i in items if KINDS.get(i.kind) == kind]
        sc = score(part, hits)
        lines.append(f"{kind:14s} {sc.items:5d} {sc.spans:5d} {sc.findings:5d} {fmt(sc.precision):>6s} {fmt(sc.recall):>6s}"
                     f"{interval(sc.true_findings, sc.findings)}")
    return "\n".join(lines)


def agreement(first: Sequence[Item], second: Sequence[Item]) -> dict:
    """How two labellers agree on the same items, firm spans only: whether an item has a problem
    (share and Cohen's kappa), and span overlap (each labeller's spans the other also marked)."""
    by_id = {i.id: i for i in first}
    pairs = [(by_id[i.id], i) for i in second if i.id in by_id]
    a = [bool([s for s in x.spans if not s.debatable]) for x, _ in pairs]
    b = [bool([s for s in y.spans if not s.debatable]) for _, y in pairs]
    n = len(pairs)
    agree = sum(x == y for x, y in zip(a, b)) / n if n else 0.0
    pa, pb = (sum(a) / n, sum(b) / n) if n else (0.0, 0.0)
    chance = pa * pb + (1 - pa) * (1 - pb)
    kappa = (agree - chance) / (1 - chance) if chance < 1 else 1.0

    def covered(x: Item, y: Item) -> tuple[int, int]:
        xs = [s for s in x.spans if not s.debatable]
        ys = [s for s in y.spans if not s.debatable]
        return sum(any(overlaps(s.start, s.end, t.start, t.end) for t in ys) for s in xs), len(xs)

    ab = [covered(x, y) for x, y in pairs]
    ba = [covered(y, x) for x, y in pairs]
    return {"items": n, "item_agreement": round(agree, 3), "kappa": round(kappa, 3),
            "first_spans_also_second": f"{sum(c for c, _ in ab)}/{sum(t for _, t in ab)}",
            "second_spans_also_first": f"{sum(c for c, _ in ba)}/{sum(t for _, t in ba)}"}


def _context(text: str, start: int, end: int, width: int = 50) -> str:
    a, z = max(0, start - width), min(len(text), end + width)
    return (text[a:start] + "[[" + text[start:end] + "]]" + text[end:z]).replace("\n", " ")


def render_errors(sc: Score) -> str:
    lines = [f"-- false positives ({len(sc.false_positives)})"]
    for item, h in sc.false_positives:
        lines.append(f"{item.id} {h.rule} {h.category} {h.match!r}: {_context(item.text, h.start, h.end)}")
    lines.append(f"-- misses ({len(sc.misses)})")
    for item, s in sc.misses:
        lines.append(f"{item.id} {s.category} {s.text!r}: {_context(item.text, s.start, s.end)}")
    lines.append(f"-- category mismatches ({len(sc.mismatches)})")
    for item, h, over in sc.mismatches:
        labels = ", ".join(f"{s.text!r} {s.category}" for s in over)
        lines.append(f"{item.id} {h.rule} {h.category} {h.match!r} on {labels}")
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description="Score macrolint against fixtures/eval.")
    ap.add_argument("--part", choices=(*PARTS, "all"), default="all")
    ap.add_argument("--category", choices=CATEGORIES)
    ap.add_argument("--show-errors", action="store_true", help="print false positives and misses (tune part only)")
    ap.add_argument("--json", action="store_true", help="machine-readable output")
    ap.add_argument("--default-audience", action="store_true",
                    help="read every blind-real item for customers, also those written for a technical audience")
    ap.add_argument("--default-kinds", action="store_true",
                    help="read every item as a reply: no articles = true for help-centre sections, "
                         "no notices = true for e-mail templates")
    args = ap.parse_args(argv)

    parts = PARTS if args.part == "all" else (args.part,)
    linters = audience_linters(not args.default_audience, not args.default_kinds)
    results: dict[str, Score] = {}
    extra: dict[str, str] = {}
    extra_json: dict[str, dict] = {}
    for part in parts:
        items = load_part(part)
        hits = lint_items(items, linters)
        results[part] = score(items, hits, args.category)
        if part in ("blind-real", "real-tune"):
            extra[part] = render_kinds(items, hits)
            extra_json[part] = {"kinds": {k: score([i for i in items if KINDS.get(i.kind) == k], hits).as_dict()
                                          for k in dict.fromkeys(KINDS.values())}}
        if part in SECOND:
            with open(SECOND[part], encoding="utf-8") as fh:
                second = parse_items(yaml.safe_load(fh), SECOND[part].name)
            agreed = agreement(items, second)
            line = f"labelled again ({SECOND[part].stem}): " + ", ".join(f"{k} {v}" for k, v in agreed.items())
            extra[part] = extra[part] + "\n\n" + line if part in extra else line
            extra_json.setdefault(part, {})["agreement"] = agreed

    if args.json:
        out = {part: {**sc.as_dict(), **extra_json.get(part, {})} for part, sc in results.items()}
        if args.category:
            out["category"] = args.category
        print(json.dumps(out, indent=2, sort_keys=True))
        return 0
    blocks = []
    for part, sc in results.items():
        block = render(part + (f" ({args.category})" if args.category else ""), sc)
        if part in extra:
            block += "\n\n" + extra[part]
        if args.show_errors:
            if part in SHOWABLE:
                block += "\n\n" + render_errors(sc)
            else:
                block += "\n\n(errors are never shown for the held-out part; only its numbers)"
        blocks.append(block)
    print("\n\n".join(blocks))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into `head`
        sys.stderr.close()
        sys.exit(0)
