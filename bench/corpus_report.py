#!/usr/bin/env python3
"""Per-source report on the reference corpus, and samples of its findings for review.

For every source folder: files read or skipped, items, units, words, findings per 1,000 words,
and findings per category (count, and per 1,000 words in brackets).

``--sample N --seed S`` instead prints a deterministic random sample of N findings in the five
voice categories, each with its rule, file, item, matched text and the sentence around it: the
raw material of a false-positive review (bench/fp_review.md).

Usage: python bench/corpus_report.py [CORPUS_DIR] [--sample N --seed S] [--json]
       (default corpus: ../shared/corpus next to the repo)
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from macrolint.linting.files import iter_files
from macrolint.linting.linter import Linter
from macrolint.model import CATEGORIES
from macrolint.packs.config import Config

REPO = Path(__file__).resolve().parent.parent
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@dataclass
class SourceStats:
    name: str
    files: int = 0
    skipped: int = 0
    items: set = field(default_factory=set)
    units: int = 0
    words: int = 0
    formats: Counter = field(default_factory=Counter)
    per_cat: Counter = field(default_factory=Counter)

    def per_kwords(self, n: int) -> str:
        return f"{1000 * n / self.words:.2f}" if self.words else "n/a"


@dataclass(frozen=True)
class Sampled:
    source: str
    path: str
    line: int
    rule: str
    name: str
    category: str
    item: str
    match: str
    context: str


def context(text: str, start: int, end: int, width: int = 90) -> str:
    """The match in ``[[...]]`` with up to ``width`` characters either side, on one line."""
    a, z = max(0, start - width), min(len(text), end + width)
    snippet = text[a:start] + "[[" + text[start:end] + "]]" + text[end:z]
    snippet = re.sub(r"\s+", " ", snippet).strip()
    return ("…" if a else "") + snippet + ("…" if z < len(text) else "")


def scan(corpus: Path, linter: Linter) -> tuple[list[SourceStats], list[Sampled]]:
    stats: list[SourceStats] = []
    findings: list[Sampled] = []
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        st = SourceStats(folder.name)
        for path in iter_files([str(folder)], linter.config):
            source = linter.read_file(path)
            if source.skipped is not None:
                st.skipped += 1
                continue
            st.files += 1
            st.formats[source.platform or source.format] += 1
            for unit in source.units:
                st.units += 1
                st.words += len(WORD.findall(unit.text))
                it = unit.item
                st.items.add((path, it.id, it.title) if it and (it.id or it.title) else (path,))
            for d, unit, f in linter.analyze(source):
                st.per_cat[d.category] += 1
                if d.category not in CATEGORIES or unit is None or f is None:
                    continue
                it = unit.item
                label = (it.title or it.id or "") if it else ""
                findings.append(Sampled(
                    folder.name, str(Path(path).relative_to(corpus)), d.line, d.rule, d.name, d.category,
                    str(label), d.match, context(unit.text, f.start, f.end)))
        stats.append(st)
    return stats, findings


def render_table(stats: Sequence[SourceStats]) -> str:
    cats = [c for c in CATEGORIES] + sorted({c for st in stats for c in st.per_cat} - set(CATEGORIES))
    head = ["source", "files", "skipped", "items", "units", "words", "read as", "voice findings",
            "per 1k words", *cats]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    total = SourceStats("total")
    for st in stats:
        voice = sum(st.per_cat[c] for c in CATEGORIES)
        cells = [st.name, str(st.files), str(st.skipped), str(len(st.items)), str(st.units), str(st.words),
                 "+".join(sorted(st.formats)), str(voice), st.per_kwords(voice),
                 *(f"{st.per_cat.get(c, 0)} ({st.per_kwords(st.per_cat.get(c, 0))})" for c in cats)]
        lines.append("| " + " | ".join(cells) + " |")
        total.files += st.files
        total.skipped += st.skipped
        total.units += st.units
        total.words += st.words
        total.items |= st.items
        total.per_cat.update(st.per_cat)
    voice = sum(total.per_cat[c] for c in CATEGORIES)
    cells = ["**total**", str(total.files), str(total.skipped), str(len(total.items)), str(total.units),
             str(total.words), "", str(voice), total.per_kwords(voice),
             *(f"{total.per_cat.get(c, 0)} ({total.per_kwords(total.per_cat.get(c, 0))})" for c in cats)]
    lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("Voice findings are those in the five categories; each category cell is "
                 "`count (per 1,000 words)`. `placeholder` findings come from the placeholders pack.")
    return "\n".join(lines)


def sample(findings: Sequence[Sampled], n: int, seed: int) -> list[Sampled]:
    """``n`` findings drawn without replacement by ``random.Random(seed)``, in corpus order."""
    order = sorted(range(len(findings)), key=lambda i: (findings[i].path, findings[i].line, findings[i].rule))
    picked = sorted(random.Random(seed).sample(order, min(n, len(order))))
    return [findings[i] for i in picked]


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description="Per-source report on the reference corpus.")
    ap.add_argument("corpus", nargs="?", default=str(REPO.parent / "shared" / "corpus"))
    ap.add_argument("--sample", type=int, metavar="N", help="print N random voice findings instead of the table")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true", help="machine-readable output")
    args = ap.parse_args(argv)

    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print(f"no corpus at {corpus}", file=sys.stderr)
        return 2
    stats, findings = scan(corpus, Linter(Config()))
    if args.sample is None:
        if args.json:
            print(json.dumps([{"source": st.name, "files": st.files, "skipped": st.skipped,
                               "items": len(st.items), "units": st.units, "words": st.words,
                               "per_category": dict(st.per_cat)} for st in stats], indent=2))
        else:
            print(render_table(stats))
        return 0
    picked = sample(findings, args.sample, args.seed)
    if args.json:
        print(json.dumps([s.__dict__ for s in picked], indent=2, ensure_ascii=False))
        return 0
    print(f"# {len(picked)} of {len(findings)} voice findings, seed {args.seed}")
    for k, s in enumerate(picked, 1):
        print(f"{k:3d}. {s.rule} {s.name} [{s.category}] {s.path}:{s.line} ({s.item})")
        print(f"     match: {s.match!r}")
        print(f"     {s.context}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
