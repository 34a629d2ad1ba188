"""Regression check, run on demand: has macrolint's throughput dropped since the baseline?

Re-measures ``macrolint check`` on the 10k corpus (one file per reply, the same command line as
the baseline) and the start-up (import + pack load), medians of ``--runs``, and compares with
``bench/baseline.json``: the numbers in BENCHMARKS.md, written with it in one go by
``python bench/peers.py ... --record``. Exits 1 when throughput (files/s) fell by more than
``--tolerance`` (default 30%), 2 when there is no baseline, 0 otherwise. The I/O floor is timed
alongside, so a slower machine shows up as a slower floor too.

    python bench/check.py
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import gen_corpus  # noqa: E402
import peers  # noqa: E402


def measure_all(runs: int, timeout: float) -> dict:
    """Medians of macrolint on 10k files, the I/O floor, start-up and ``python -c pass``."""
    manifest = gen_corpus.write_size("10k", gen_corpus.SIZES["10k"], 7, gen_corpus.load_phrases())
    files_dir, _ = gen_corpus.corpus_paths("10k")
    py = str(peers.install_macrolint())
    ml = peers.macrolint_tool("macrolint")
    cmd, cwd, _ = ml.build(files_dir)
    floor_cmd = [py, "-c", peers.FLOOR_SRC, str(files_dir)]
    peers.measure(floor_cmd, timeout=timeout)  # warm the page cache
    samples: dict[str, list] = {"macrolint": [], "floor": [], "load": [], "pass": []}
    rss = []
    for i in range(runs):
        r = peers.measure(cmd, cwd=cwd, timeout=timeout)
        if r.timed_out:
            raise SystemExit(f"macrolint ran out of time ({timeout:.0f} s) on the 10k corpus")
        if r.rc not in (0, 1):
            raise SystemExit(f"macrolint exited {r.rc} on the 10k corpus")
        samples["macrolint"].append(r.wall)
        rss.append(r.rss_mb)
        samples["floor"].append(peers.measure(floor_cmd, timeout=timeout).wall)
        samples["load"].append(peers.measure([py, "-c", peers.STARTUP_LOAD], timeout=timeout).wall)
        samples["pass"].append(peers.measure([py, "-c", "pass"], timeout=timeout).wall)
        print(f"  run {i + 1}: macrolint {samples['macrolint'][-1]:.3f} s, floor {samples['floor'][-1]:.3f} s, "
              f"start-up {samples['load'][-1]:.3f} s", file=sys.stderr, flush=True)
    med = {k: statistics.median(v) for k, v in samples.items()}
    return {
        "corpus_sha256": manifest["sha256"],
        "macrolint_10k_files_wall_s": med["macrolint"],
        "macrolint_10k_files_per_s": manifest["count"] / med["macrolint"],
        "macrolint_10k_mb_per_s": manifest["bytes_files"] / 1e6 / med["macrolint"],
        "macrolint_10k_rss_mb": max(rss),
        "io_floor_10k_wall_s": med["floor"],
        "startup_load_s": med["load"],
        "python_pass_s": med["pass"],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--tolerance", type=float, default=0.30, help="allowed drop in throughput (default 0.30)")
    ap.add_argument("--timeout", type=float, default=600.0)
    ap.add_argument("--baseline", default=str(peers.BASELINE))
    args = ap.parse_args(argv)

    path = Path(args.baseline)
    if not path.exists():
        print(f"no baseline at {path}; record one with python bench/peers.py --sizes 1k,10k --record",
              file=sys.stderr)
        return 2
    base = json.loads(path.read_text())
    if path == peers.BASELINE and peers.BENCHMARKS.exists() and \
            peers.baseline_table(base) not in peers.BENCHMARKS.read_text(encoding="utf-8"):
        print(f"note: {peers.BENCHMARKS.name} does not show the numbers of {path.name}; "
              "re-record both with bench/peers.py --record")
    now = measure_all(args.runs, args.timeout)
    if base.get("corpus_sha256") != now["corpus_sha256"]:
        print("note: the 10k corpus differs from the baseline's (generator or rule phrases changed)")
    ratio = now["macrolint_10k_files_per_s"] / base["macrolint_10k_files_per_s"]
    rows = [
        ("10k files, files/s", base["macrolint_10k_files_per_s"], now["macrolint_10k_files_per_s"]),
        ("10k files, MB/s", base["macrolint_10k_mb_per_s"], now["macrolint_10k_mb_per_s"]),
        ("peak RSS, MB", base.get("macrolint_10k_rss_mb"), now["macrolint_10k_rss_mb"]),
        ("I/O floor, s", base.get("io_floor_10k_wall_s"), now["io_floor_10k_wall_s"]),
        ("start-up, ms", (base.get("startup_load_s") or 0) * 1000 or None, now["startup_load_s"] * 1000),
        ("python -c pass, ms", (base.get("python_pass_s") or 0) * 1000 or None, now["python_pass_s"] * 1000),
    ]
    print(f"baseline: {base.get('date', '?')} at {str(base.get('git', {}).get('commit', '?'))[:12]}")
    print(f"{'':<22}{'baseline':>12}{'now':>12}")
    for name, b, n in rows:
        print(f"{name:<22}{(f'{b:.2f}' if b is not None else '-'):>12}{n:>12.2f}")
    if base.get("io_floor_10k_wall_s"):
        # the same comparison with the machine's speed factored out, for reading noisy results
        norm = (now["io_floor_10k_wall_s"] / now["macrolint_10k_files_wall_s"]) / \
               (base["io_floor_10k_wall_s"] / base["macrolint_10k_files_wall_s"])
        print(f"throughput relative to the I/O floor: {norm:.2f}x the baseline's")
    if ratio < 1 - args.tolerance:
        print(f"FAIL: throughput is {ratio:.2f}x the baseline's (allowed drop {args.tolerance:.0%})")
        return 1
    print(f"ok: throughput is {ratio:.2f}x the baseline's (allowed drop {args.tolerance:.0%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
