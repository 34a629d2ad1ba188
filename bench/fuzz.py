#!/usr/bin/env python3
"""Fuzz macrolint's command line with hostile input: bad input must never crash a run or lose data.

Threat model: everything in a linted repository is untrusted (reply files of any format, encoding,
size or kind of file; a discovered .macrolint.toml or pyproject.toml; a baseline), and so is the
cache folder ($MACROLINT_CACHE_DIR: a restored CI cache or another process may have put anything
there, and reading it must never run code). A rule pack is trusted only as far as it is named
(packs / extend-packs in config): a broken one may stop the run with a clear error and exit 2,
but never with a traceback, a hang, or code run from its YAML.

Each case runs `python -m macrolint check ... -v --format json` (some cases other formats) in a
fresh folder that also holds canary.txt, script-speak that must always be reported. A case fails
on a traceback (or click's bare "Aborted!"), an exit code other than 0/1/2 or a signal, a missing
canary, a timeout, over 500 MB of memory for under 1 MB of input, an IO900 (internal error)
diagnostic, a marker file created by a malicious payload, a report that does not parse, a file
with script-speak that got no finding, no input diagnostic and no -v "skipped" line, or an invalid
pack or config accepted or refused without naming it. Cases are batched several to a run; a
failed batch is split until each failure is pinned on one case, and failures are grouped by root
cause: where the traceback ends, or where a run that ran out of time hung. Families: mutations,
encodings, structure, special, cache, packs, config, cli (see bench/fuzzlib/generators.py).

    python bench/fuzz.py --budget core             # a few cases per family: what tests/test_fuzz.py runs
    python bench/fuzz.py --budget short            # a few hundred cases, fixed seed
    python bench/fuzz.py --budget long             # thousands, random seed (printed)
    python bench/fuzz.py --family cache --list     # the cases of a family
    python bench/fuzz.py --budget long --seed 42 --family structure --case yaml-deep-block-330 --keep /tmp/fz

Every failure prints a one-line reproducer (budget, seed, family, case); --keep DIR lays each
failing case out under DIR/<family>/<case>/ with REPRODUCE.txt giving the macrolint command line.
Exits 1 when any case failed, 0 otherwise.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from fuzzlib import generators  # noqa: E402
from fuzzlib.checks import KINDS  # noqa: E402
from fuzzlib.runner import Settings, campaign, keep  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--budget", choices=generators.BUDGETS, default="short",
                    help="core: a few cases per family (the test suite's); short (default): a few hundred, seed 1; "
                         "long: thousands, a random seed unless --seed")
    ap.add_argument("--seed", type=int, help="seed of the random cases (default: 1, or random for --budget long)")
    ap.add_argument("--family", action="append", choices=list(generators.FAMILIES), metavar="NAME",
                    help=f"run only this family (repeatable): {', '.join(generators.FAMILIES)}")
    ap.add_argument("--case", metavar="NAME", help="run only the case of this name (with --family), on its own")
    ap.add_argument("--list", action="store_true", help="list the families (or, with --family, the cases) and stop")
    ap.add_argument("--out", metavar="FILE", help="write the JSON report here")
    ap.add_argument("--keep", metavar="DIR", help="lay out every failing case's inputs under DIR")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds a run may take (default 60)")
    ap.add_argument("--mem-limit", type=int, default=2048, metavar="MB",
                    help="address-space limit of each process of a run (default 2048; at most 1000 for runs of under "
                         "1 MB of input, where 500 MB of RSS fails anyway)")
    ap.add_argument("--workers", type=int, default=2, help="runs at a time (default 2)")
    ap.add_argument("--no-batch", action="store_true", help="run every case on its own")
    ap.add_argument("--python", default=sys.executable, help="interpreter with macrolint installed (default: this one)")
    ap.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    args = ap.parse_args(argv)

    seed = args.seed if args.seed is not None else (random.SystemRandom().randrange(1, 10**6) if args.budget == "long" else 1)
    families = args.family or list(generators.FAMILIES)
    cases = generators.generate(families, seed, args.budget)
    if args.case:
        chosen = [c for c in cases if c.name == args.case]
        if not chosen:
            near = [c.id for c in cases if args.case in c.name or c.name in args.case][:10]
            ap.error(f"no case {args.case!r} in {', '.join(families)} (budget {args.budget}, seed {seed})"
                     + (f"; did you mean: {', '.join(near)}" if near else ""))
        cases = chosen
    if args.list:
        if args.family:
            for c in cases:
                flags = [f for f, on in (("solo", c.solo()), ("core", c.core), (c.expect, c.expect != "lint")) if on]
                print(f"{c.id:<70} {c.size():>9} B  {' '.join(flags)}")
        else:
            counts = {f: sum(1 for c in cases if c.family == f) for f in families}
            for f, n in counts.items():
                print(f"{f:<12}{n:>6}")
            print(f"{'total':<12}{len(cases):>6}   (budget {args.budget}, seed {seed})")
            print("\nfailure kinds:")
            for k, why in KINDS.items():
                print(f"  {k:<16}{why}")
        return 0

    settings = Settings(python=args.python, timeout=args.timeout, mem_limit_mb=args.mem_limit, workers=args.workers)
    say = None if args.quiet else (lambda line: print(line, file=sys.stderr, flush=True))
    if say:
        say(f"macrolint fuzz: budget {args.budget}, seed {seed}, {len(cases)} cases in {', '.join(families)}")
    reproduce = f"python bench/fuzz.py --budget {args.budget} --seed {seed}"
    report = campaign(cases, settings, seed=seed, budget=args.budget, families=families,
                      batch=not args.no_batch and not args.case, progress=say, reproduce=reproduce)
    if args.out:
        Path(args.out).write_text(json.dumps(report.to_json(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    kept = []
    if args.keep and report.failures:
        settings.tmp = None
        kept = _keep(report, {c.id: c for c in cases}, Path(args.keep), settings)
    print(report.summary())
    if report.failures:
        print("\nreproduce:")
        for o in report.failures:
            print(f"  {report.repro(o)}   # {', '.join(sorted({f.kind for f in o.failures}))}")
    if kept:
        print(f"\nkept {len(kept)} failing cases under {args.keep}/<family>/<case>/ (see REPRODUCE.txt in each)")
    return 1 if report.failures else 0


def _keep(report, cases, folder: Path, settings: Settings) -> list:
    """Keep failing inputs; a cache case needs a filled cache to corrupt, so one is filled again."""
    import tempfile

    from fuzzlib.cases import remove_tree
    from fuzzlib.runner import prepare

    tmp = tempfile.mkdtemp(prefix="macrolint-fuzz-keep-")
    settings.tmp = tmp
    try:
        if any(cases[o.id].cache is not None for o in report.failures):
            prepare(settings)
        return keep(report, cases, folder, settings)
    finally:
        remove_tree(Path(tmp))


if __name__ == "__main__":
    sys.exit(main())
