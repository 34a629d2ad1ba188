#!/usr/bin/env python3
"""The same text three ways: 10,000 reply files, one file of short lines, one single line.

Cost should follow the text, not its layout: the single line and the file of short lines each
within 1.5x the time per megabyte of the 10k files (``--jobs 1``, CPU time, medians of
interleaved runs). Uses the corpus of ``bench/gen_corpus.py`` (``--sizes 10k``).

Usage: python bench/linearity.py [--runs 3] [--corpus bench/.work/corpus/10k]
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = 1.5


def run(args: list[str]) -> float:
    """CPU seconds of one ``macrolint check`` (the child's user + system time)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-m", "macrolint", "check", "-j1", "--isolated", "--format", "json",
                    "--exit-zero", *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--corpus", default=str(HERE / ".work" / "corpus" / "10k"))
    args = parser.parse_args(argv)
    corpus = Path(args.corpus)
    if not (corpus / "all.md").is_file():
        print(f"no corpus at {corpus}; run python bench/gen_corpus.py --sizes 10k", file=sys.stderr)
        return 2
    text = (corpus / "all.md").read_text(encoding="utf-8").replace("\r", "")
    megabytes = len(text.encode("utf-8")) / 1e6
    with tempfile.TemporaryDirectory() as tmp:
        short, single = Path(tmp, "short-lines.txt"), Path(tmp, "single-line.txt")
        short.write_text(text, encoding="utf-8")
        single.write_text(" ".join(text.split("\n")), encoding="utf-8")
        cases = {"10k files": [str(corpus / "files")], "one file, short lines": [str(short)],
                 "one file, one line": [str(single)]}
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.runs):
            for name, paths in cases.items():
                times[name].append(run(paths))
    base = statistics.median(times["10k files"]) / megabytes
    print(f"{megabytes:.1f} MB of replies, CPU s (median of {args.runs}), --jobs 1")
    print("| layout | CPU s | s/MB | x 10k files per MB |\n|---|---:|---:|---:|")
    worst = 0.0
    for name, values in times.items():
        per_mb = statistics.median(values) / megabytes
        ratio = per_mb / base
        worst = max(worst, ratio)
        print(f"| {name} | {statistics.median(values):.2f} | {per_mb:.2f} | {ratio:.2f} |")
    print(f"target: each layout within {TARGET}x of the 10k files per MB: {'holds' if worst <= TARGET else 'fails'}")
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
