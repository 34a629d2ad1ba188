"""Does one slow entry of a team pack slow every rule down?

A pattern with no literal every match must contain (``\\b\\w+ly \\w+ly\\b``) and a gap phrase
with a form outside ASCII cannot be prefiltered: they run over every text. Only they should pay
for that. This runs ``macrolint check`` on a bench corpus (one file per reply) with the built-in
packs, then with a team pack of just those two entries added, medians of ``--runs`` each,
interleaved, and prints the ratio. Exits 1 when the team pack costs more than ``--tolerance``
(default 10%).

    python bench/cliff.py [--size 1k] [--runs 5]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import gen_corpus  # noqa: E402

PACK = {
    "pack.yaml": "pack: team\ntitle: Team rules\ndescription: Entries no prefilter can serve.\nschema: 1\n"
                 "prefixes: [TM]\ncategories: [robotic]\n",
    "robotic/adverb-pileup.yaml": (
        "id: TM001\nname: adverb-pileup\ncategory: robotic\nsummary: Two adverbs in a row.\n"
        "why: They pad a sentence.\nmessage: \"“{match}” piles up adverbs.\"\n"
        "match:\n  - pattern: '\\b\\w+ly \\w+ly\\b'\n"
        "examples:\n  - bad: We really truly care.\n  - ok: We care.\n"),
    "robotic/cafe-closed.yaml": (
        "id: TM002\nname: cafe-closed\ncategory: robotic\nsummary: A phrase with a gap and a form outside ASCII.\n"
        "why: It has to be matched without the flat prefilter.\nmessage: \"“{match}” again.\"\n"
        "match:\n  - phrase: the café ... closed\n"
        "examples:\n  - bad: The café is closed today.\n  - ok: The shop is open.\n"),
}


def run(cmd: list[str], env: dict) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=tempfile.gettempdir(), stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)
    if done.returncode not in (0, 1):
        raise SystemExit(f"macrolint exited {done.returncode}: {' '.join(cmd)}")
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="1k", choices=sorted(gen_corpus.SIZES))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--tolerance", type=float, default=0.10)
    ap.add_argument("--checkout", default=str(REPO), help="the macrolint source to measure (default: this one)")
    args = ap.parse_args(argv)
    gen_corpus.write_size(args.size, gen_corpus.SIZES[args.size], 7, gen_corpus.load_phrases())
    files, _ = gen_corpus.corpus_paths(args.size)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, text in PACK.items():
            (root / "team" / name).parent.mkdir(parents=True, exist_ok=True)
            (root / "team" / name).write_text(text, encoding="utf-8")
        plain = root / "plain.toml"
        plain.write_text("", encoding="utf-8")
        team = root / "team.toml"
        team.write_text(f'extend-packs = ["{(root / "team").as_posix()}"]\n', encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": args.checkout, "MACROLINT_CACHE_DIR": str(root / "cache")}
        base = [sys.executable, "-m", "macrolint", "check", str(files), "--format", "json-lines", "--config"]
        times: dict[str, list[float]] = {"built-ins": [], "built-ins + team pack": []}
        for i in range(args.runs + 1):  # the first round fills the pack cache
            for label, config in (("built-ins", plain), ("built-ins + team pack", team)):
                wall = run(base + [str(config)], env)
                if i:
                    times[label].append(wall)
    med = {label: statistics.median(v) for label, v in times.items()}
    ratio = med["built-ins + team pack"] / med["built-ins"]
    for label, wall in med.items():
        print(f"{label:24s} {wall:7.3f} s  (median of {args.runs}, {args.size} corpus)")
    print(f"ratio {ratio:.3f} (tolerance {1 + args.tolerance:.2f})")
    return 1 if ratio > 1 + args.tolerance else 0


if __name__ == "__main__":
    raise SystemExit(main())
