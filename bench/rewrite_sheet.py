#!/usr/bin/env python3
"""The rewrites macrolint offers on real text, as a sheet for a reader to judge, and the score.

``sheet`` lints the evaluation items of the named parts (and, with ``--corpus``, the files of the
reference corpus) and writes one entry per finding in the five voice categories: the sentence as
it is, the words flagged, and what ``macrolint review`` offers first: the sentence after the
rewrite (``[slots]`` are left for the writer) or, where no rewrite applies, the rule's advice.
The reader sees no rule, code or message. ``score`` reads the reader's verdicts (``useful``,
``awkward`` or ``wrong`` per entry id) and prints the shares with 95% Wilson intervals.

Usage: python bench/rewrite_sheet.py sheet OUT.json [--part real-tune ...] [--corpus] [--limit N]
       python bench/rewrite_sheet.py score SHEET.json VERDICTS.json
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quality import CATEGORIES, audience_linters, interval, load_part  # noqa: E402

from macrolint import readers  # noqa: E402
from macrolint.fixing.review import _shown, options_for  # noqa: E402
from macrolint.linting.files import iter_files  # noqa: E402
from macrolint.matching.contexts import sentence_bounds  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def entries_of(linter, path: str, text: str, fmt: str, source: str) -> list[dict]:
    out = []
    src = readers.read(path, text, fmt, linter.config)
    for diag, unit, finding in linter.analyze(src):
        if unit is None or finding is None or diag.category not in CATEGORIES:
            continue
        lo, hi = sentence_bounds(unit.text, finding.start, finding.end)
        options = options_for(unit, finding)
        entry = {"source": source, "sentence": _shown(unit.text[lo:hi]),
                 "flagged": _shown(unit.text[finding.start:finding.end])}
        if options:
            entry["rewrite"] = options[0].preview
        elif finding.rule.suggest:
            entry["advice"] = finding.rule.suggest[0]
        else:
            continue
        out.append(entry)
    return out


def build(parts: list[str], corpus: bool, limit: int, seed: int = 7) -> list[dict]:
    linters = audience_linters()
    entries: list[dict] = []
    for part in parts:
        for item in load_part(part):
            use = linters.get((item.audience, item.kind)) or linters.get(item.audience, linters["customers"])
            entries += entries_of(use, f"{item.id}.{item.format}", item.text, item.format, part)
    if corpus and CORPUS.is_dir():
        linter = linters["customers"]
        extra = []
        for path in iter_files([str(CORPUS)], linter.config):
            source = linter.read_file(path)
            if source.problems or source.skipped:
                continue
            extra += entries_of(linter, path, source.raw, source.format, "corpus")
        random.Random(seed).shuffle(extra)
        entries += extra[:max(0, limit - len(entries))]
    for i, entry in enumerate(entries, 1):
        entry["id"] = f"r{i:03d}"
    return entries[:limit]


def score(sheet: list[dict], verdicts: dict) -> str:
    counts: Counter = Counter()
    by_kind: dict[str, Counter] = {"rewrite": Counter(), "advice": Counter()}
    for entry in sheet:
        verdict = verdicts.get(entry["id"])
        if verdict not in ("useful", "awkward", "wrong"):
            continue
        counts[verdict] += 1
        by_kind["rewrite" if "rewrite" in entry else "advice"][verdict] += 1
    n = sum(counts.values())
    lines = [f"judged {n} of {len(sheet)}"]
    for verdict in ("useful", "awkward", "wrong"):
        lines.append(f"{verdict:<8} {counts[verdict] / n if n else 0:.3f}  ({counts[verdict]}/{n})  "
                     f"{interval(counts[verdict], n)}")
    for kind, c in by_kind.items():
        k = sum(c.values())
        lines.append(f"{kind:<8} {k:>4} judged: useful {c['useful']}, awkward {c['awkward']}, wrong {c['wrong']}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sheet")
    s.add_argument("out")
    s.add_argument("--part", action="append", default=[])
    s.add_argument("--corpus", action="store_true")
    s.add_argument("--limit", type=int, default=240)
    c = sub.add_parser("score")
    c.add_argument("sheet")
    c.add_argument("verdicts")
    args = parser.parse_args(argv)
    if args.command == "sheet":
        blind = [p for p in args.part if p.startswith("blind")]
        if blind:  # a sheet shows its sentences, with what was flagged, to whoever reads the verdicts
            parser.error(f"--part {blind[0]}: a blind set's sentences never go on a sheet (EVALUATION.md); "
                         "use real-tune, tune or heldout, and --corpus")
        entries = build(args.part or ["real-tune"], args.corpus, args.limit)
        Path(args.out).write_text(json.dumps(entries, indent=1, ensure_ascii=False), encoding="utf-8")
        print(f"{len(entries)} entries written to {args.out}")
        return 0
    sheet = json.loads(Path(args.sheet).read_text(encoding="utf-8"))
    verdicts = json.loads(Path(args.verdicts).read_text(encoding="utf-8"))
    print(score(sheet, verdicts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
