"""``macrolint report`` against ``macrolint check`` on the same generated corpus, in one run.

For each size the two commands run in alternation (check, report, check, report...) on the
one-file-per-reply corpus of ``gen_corpus.py``, as installed commands (the checkout installed into
``bench/.work/macrolint-venv`` by ``peers.install_macrolint``), with as many processes as cores;
the medians and their ratio are printed as a Markdown table (the targets: report within 2x
check at 10k, within 3x at 100k). The report is written as HTML to ``bench/.work/out``; its
size and the clusters it found are printed too.

    python bench/report.py --sizes 10k,100k --runs 3
"""
from __future__ import annotations

import argparse
import datetime
import json
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import gen_corpus  # noqa: E402
import peers  # noqa: E402

TARGETS = {"10k": 2.0, "100k": 3.0}


def commands(py: Path, files: Path, out: Path) -> dict[str, list[str]]:
    return {"check": [str(py), "-m", "macrolint", "check", str(files), "--format", "json"],
            "report": [str(py), "-m", "macrolint", "report", str(files), "-o", str(out), "-q"]}


def run_size(py: Path, size: str, runs: int, timeout: float) -> dict:
    gen_corpus.write_size(size, gen_corpus.SIZES[size], 7, gen_corpus.load_phrases())
    files, _ = gen_corpus.corpus_paths(size)
    peers.OUT.mkdir(parents=True, exist_ok=True)
    out = peers.OUT / f"report-{size}.html"
    cmds = commands(py, files, out)
    peers.measure(cmds["check"], timeout=timeout)  # warm the page cache and the pack cache
    samples: dict[str, list] = {"check": [], "report": []}
    for i in range(runs):
        order = ("check", "report") if i % 2 == 0 else ("report", "check")
        for name in order:
            r = peers.measure(cmds[name], timeout=timeout)
            if r.timed_out or r.rc not in (0, 1):
                raise SystemExit(f"{name} on {size}: exit {r.rc}{' (timed out)' if r.timed_out else ''}")
            samples[name].append(r)
            print(f"  {size} run {i + 1}: {name} {r.wall:.2f} s wall, {r.cpu:.2f} s CPU, {r.rss_mb:.0f} MB",
                  file=sys.stderr, flush=True)
    js = subprocess.run([*cmds["report"][:-3], "--format", "json", "-q"], capture_output=True, text=True,
                        env=peers.TOOL_ENV, timeout=timeout)
    doc = json.loads(js.stdout)
    med = {k: statistics.median(r.wall for r in v) for k, v in samples.items()}
    cpu = {k: statistics.median(r.cpu for r in v) for k, v in samples.items()}
    rss = {k: max(r.rss_mb for r in v) for k, v in samples.items()}
    return {"size": size, "files": gen_corpus.SIZES[size], "runs": runs, "wall": med, "cpu": cpu, "rss": rss,
            "ratio": med["report"] / med["check"], "html_mb": out.stat().st_size / 1e6,
            "items": doc["totals"]["items"], "clusters": len(doc["near_duplicates"]["clusters"]),
            "in_clusters": sum(len(c["members"]) for c in doc["near_duplicates"]["clusters"])}


def render(rows: list[dict], commit: str) -> str:
    lines = [f"Run: `python bench/report.py --sizes {','.join(r['size'] for r in rows)} --runs {rows[0]['runs']}` "
             f"at {commit}, {datetime.date.today().isoformat()}, median of {rows[0]['runs']} alternating runs.", "",
             "| corpus | check, s | report, s | report / check | target | holds | check CPU s | report CPU s "
             "| report peak RSS MB | page MB | clusters (items in them) |",
             "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---|"]
    for r in rows:
        target = TARGETS.get(r["size"])
        holds = "-" if target is None else ("yes" if r["ratio"] <= target else "**no**")
        lines.append(f"| {r['size']} files | {r['wall']['check']:.2f} | {r['wall']['report']:.2f} | {r['ratio']:.2f}x "
                     f"| {f'<= {target:g}x' if target else '-'} | {holds} | {r['cpu']['check']:.1f} | "
                     f"{r['cpu']['report']:.1f} | {r['rss']['report']:.0f} | {r['html_mb']:.1f} | "
                     f"{r['clusters']:,} ({r['in_clusters']:,}) |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10k", help="comma-separated: 1k, 10k, 100k (default 10k)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=900.0)
    ap.add_argument("--skip-install", action="store_true", help="use bench/.work/macrolint-venv as it is")
    args = ap.parse_args(argv)
    py = peers.ML_PY if args.skip_install and peers.ML_PY.exists() else peers.install_macrolint()
    rows = [run_size(py, s.strip(), args.runs, args.timeout) for s in args.sizes.split(",") if s.strip()]
    commit = peers.git_commit().get("commit", "?")[:12]
    print(render(rows, commit))
    return 0 if all(r["ratio"] <= TARGETS.get(r["size"], float("inf")) for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
