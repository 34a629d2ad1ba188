#!/usr/bin/env python3
"""Time and peak RSS of ``macrolint check`` on one file of each family at n, 2n, 4n and 8n.

Cost should grow with the input, not faster: each family's growth exponent from n to 8n
(``log(t(8n) / t(n)) / log 8``, on the time above an empty file's) is printed next to the
target of 1.2, and peak RSS at each size next to the text's own size. Families are ordinary
content at size (replies in one text file, a Zendesk export, a Help Scout CSV, Markdown headings
with fences, HTML paragraphs, one long line) and the adversarial shapes that once grew with the
square of their size (a finding on every line, unclosed ``<a``, backtick runs, brackets).
Exits 1 when a family's exponent is over ``--limit``.

    python bench/scaling.py [--n 256] [--families replies,html] [--limit 1.2] [--markdown]
    python bench/scaling.py --stalls [--markdown]

``--stalls`` runs, once each, the inputs that once stalled a run, at the size they did (all under
10 MB: one macro of 1 MB, 100,000 HTML paragraphs or CSV rows, a 10 MB Markdown line...), and
exits 1 when one takes more than 10 s.

``--n`` is the smallest size in KB. CI runs a short version (``--n 32``).
"""
from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import gen_corpus  # noqa: E402
from peers import measure  # noqa: E402

TARGET = 1.2


def _replies(size: int) -> list[str]:
    phrases = gen_corpus.load_phrases()
    out, total, i = [], 0, 0
    while total < size:
        body = gen_corpus.make_reply(7, i, phrases).body
        out.append(body)
        total += len(body) + 2
        i += 1
    return out


def _repeat(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit))


def _zendesk(size: int) -> str:
    macros = [{"id": 360000 + i, "title": f"Macro {i}", "active": True,
               "actions": [{"field": "comment_value", "value": body}]} for i, body in enumerate(_replies(size))]
    return json.dumps({"macros": macros, "count": len(macros)}, separators=(",", ":"))


def _helpscout(size: int) -> str:
    rows = ["id,name,text,chatText,mailboxId,mailboxName"]
    for i, body in enumerate(_replies(size)):
        text = "<p>" + body.replace("\n\n", "</p><p>").replace('"', '""') + "</p>"
        rows.append(f'{i},Reply {i},"{text}",,1,Support')
    return "\n".join(rows) + "\n"


#: name -> (file name, content of about ``size`` characters).
FAMILIES: dict[str, tuple[str, Callable[[int], str]]] = {
    "replies": ("replies.txt", lambda n: "\n\n".join(_replies(n))),
    "one-line": ("line.txt", lambda n: " ".join(b.replace("\n", " ") for b in _replies(n))),
    "zendesk-export": ("macros.json", _zendesk),
    "helpscout-csv": ("saved_replies.csv", _helpscout),
    "markdown-headings": ("doc.md", lambda n: _repeat("# Billing\n\n```\nretry --now\n```\n\nI'll refund it today.\n\n", n)),
    "html-paragraphs": ("page.html", lambda n: _repeat("<p>The card was charged twice; I've refunded one.</p>\n", n)),
    "finding-per-line": ("system.txt", lambda n: _repeat("the system says no\n", n)),
    "advised-repeated": ("advised.txt", lambda n: _repeat("Please be advised that ", n)),
    "unclosed-anchor": ("anchors.html", lambda n: _repeat("<a ", n)),
    "brackets": ("brackets.md", lambda n: _repeat("[", n)),
    "backtick-runs": ("ticks.md", lambda n: "".join("`" * k + " x " for k in range(1, 10**6)
                                                    if (k * (k + 5)) // 2 < n)),
    "slots": ("slots.txt", lambda n: _repeat("[SLOT] Hello ", n)),
}


def _one_macro(size: int) -> str:
    body = "\n\n".join(_replies(size))
    return json.dumps({"macros": [{"id": 1, "title": "Long", "active": True,
                                   "actions": [{"field": "comment_value", "value": body}]}]})


def _yaml_block(size: int) -> str:
    lines = [line for body in _replies(size) for line in body.splitlines() if line.strip()]
    return "replies:\n  - name: Long\n    body: |\n" + "".join(f"      {line}\n" for line in lines)


#: name -> (file name, content): each input that once stalled a run, at that size.
STALLS: dict[str, tuple[str, Callable[[], str]]] = {
    "one 1 MB macro value": ("macros.json", lambda: _one_macro(1 << 20)),
    "100,000 HTML paragraphs": ("page.html", lambda: "<p>Refund sent.</p>\n" * 100_000),
    "100,000 Help Scout rows": ("saved_replies.csv", lambda: "id,name,text,chatText,mailboxId,mailboxName\n" + "".join(
        f'{i},Reply {i},"<p>Thanks, it is done.</p>",,1,Support\n' for i in range(100_000))),
    "2 MB YAML block scalar": (".github/replies.yml", lambda: _yaml_block(2 << 20)),
    "100,000 Markdown headings with fences": ("doc.md", lambda: "# Billing\n\n```\nretry --now\n```\n\nI'll refund it today.\n\n" * 100_000),
    "10 MB Markdown line": ("line.md", lambda: " ".join(b.replace("\n", " ") for b in _replies(10 << 20))),
    "10 MB of replies": ("replies.txt", lambda: "\n\n".join(_replies(10 << 20))),
    "1,000,000 unclosed <a": ("anchors.html", lambda: "<a " * 1_000_000),
    "unclosed HTML comment": ("comment.html", lambda: "<p>Hi</p><!-- " + "<p>the system says</p>\n" * 100_000),
    "unclosed CDATA": ("cdata.html", lambda: "<p>Hi</p><![CDATA[ " + "<p>the system says</p>\n" * 100_000),
    "backtick runs": ("ticks.md", lambda: "".join("`" * k + " x " for k in range(1, 2000))),
    "100,000 [ on one line": ("brackets.md", lambda: "[" * 100_000),
    "10,000 disable/enable pairs": ("pairs.md", lambda: "<!-- macrolint-disable RB -->\nWe apologize for any inconvenience.\n"
                                                        "<!-- macrolint-enable RB -->\n" * 10_000),
    "100,000 [SLOT] tokens": ("slots.txt", lambda: "[SLOT] Hello " * 100_000),
    "100,000 capitalised tokens": ("caps.txt", lambda: "PLEASE NOTE THAT " * 100_000),
    "'Please be advised that' x 20,000": ("advised.txt", lambda: "Please be advised that " * 20_000),
    "'the system says' on 20,000 lines": ("system.txt", lambda: "the system says no\n" * 20_000),
}
STALL_LIMIT = 10.0


def stalls(markdown: bool) -> int:
    """Wall time and peak RSS of one run on each of ``STALLS``; 1 when one is over ``STALL_LIMIT``."""
    rows, worst = [], 0.0
    with tempfile.TemporaryDirectory(prefix="macrolint-stalls-") as tmp:
        empty = Path(tmp, "empty.txt")
        empty.write_text("Thanks.\n")
        run(empty, 1)  # a fresh install builds its pack cache on the first run
        for name, (filename, make) in STALLS.items():
            path = Path(tmp, name.replace(" ", "_").replace("/", "_").replace("'", ""), filename)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(make(), encoding="utf-8")
            cmd = [sys.executable, "-m", "macrolint", "check", "-j1", "--isolated", "--no-cache", "--format",
                   "json", "--exit-zero", "--timeout-per-file", "0", str(path)]
            got = measure(cmd, timeout=120)
            rows.append((name, path.stat().st_size / 2**20, got.wall, got.rss_mb))
            worst = max(worst, got.wall)
    if markdown:
        print("| input | MB | wall s | peak RSS MB |\n|---|---:|---:|---:|")
        for name, mb, wall, rss in rows:
            print(f"| {name} | {mb:.1f} | {wall:.2f} | {rss:.0f} |")
    else:
        for name, mb, wall, rss in rows:
            print(f"{name:40} {mb:6.1f} MB {wall:7.2f} s {rss:6.0f} MB" + ("  over" if wall > STALL_LIMIT else ""))
    print(f"slowest {worst:.2f} s (limit {STALL_LIMIT:.0f} s)")
    return 0 if worst <= STALL_LIMIT else 1


def run(path: Path, runs: int) -> tuple[float, float]:
    """Median CPU seconds and the largest peak RSS (MB) of ``runs`` runs on ``path``."""
    cmd = [sys.executable, "-m", "macrolint", "check", "-j1", "--isolated", "--no-cache", "--format", "json",
           "--exit-zero", "--timeout-per-file", "0", str(path)]
    got = [measure(cmd, timeout=600) for _ in range(runs)]
    return statistics.median(r.cpu for r in got), max(r.rss_mb for r in got)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=256, help="smallest size, KB (default 256)")
    parser.add_argument("--families", default=",".join(FAMILIES))
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--limit", type=float, default=TARGET, help="highest growth exponent allowed")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--stalls", action="store_true", help="time the inputs that once stalled a run instead")
    args = parser.parse_args(argv)
    if args.stalls:
        return stalls(args.markdown)
    names = [f.strip() for f in args.families.split(",") if f.strip()]
    unknown = [f for f in names if f not in FAMILIES]
    if unknown:
        parser.error(f"unknown families: {', '.join(unknown)}; known: {', '.join(FAMILIES)}")
    sizes = [args.n * 1024 * k for k in (1, 2, 4, 8)]
    rows, worst = [], 0.0
    with tempfile.TemporaryDirectory(prefix="macrolint-scaling-") as tmp:
        empty = Path(tmp, "empty.txt")
        empty.write_text("Thanks.\n")
        run(empty, 1)  # a fresh install builds its pack cache on the first run: not part of any size
        floor = min(run(empty, 1)[0] for _ in range(3))
        for name in names:
            filename, make = FAMILIES[name]
            times, rss = [], []
            for size in sizes:
                path = Path(tmp, filename)
                path.write_text(make(size), encoding="utf-8")
                cpu, mb = run(path, args.runs)
                times.append(max(cpu - floor, 1e-3))
                rss.append(mb)
            if times[-1] < 0.05:  # too little above the floor to say anything: the run is wrong
                print(f"{name}: {times[-1]:.3f} s above an empty file's at {sizes[-1] // 1024:,} KB; "
                      "the runs did not measure the input", file=sys.stderr)
                return 2
            exponent = math.log(times[-1] / times[0]) / math.log(8)
            worst = max(worst, exponent)
            rows.append((name, times, rss, exponent))
    kb = [f"{s // 1024:,} KB" for s in sizes]
    if args.markdown:
        print("| family | " + " | ".join(f"s at {k}" for k in kb) + " | growth | peak RSS MB at 8n |")
        print("|---|" + "---:|" * (len(kb) + 2))
        for name, times, rss, exponent in rows:
            print(f"| {name} | " + " | ".join(f"{t:.2f}" for t in times) + f" | {exponent:.2f} | {rss[-1]:.0f} |")
    else:
        print(f"CPU seconds above an empty file's ({floor:.2f} s), sizes {', '.join(kb)}")
        for name, times, rss, exponent in rows:
            flag = "" if exponent <= args.limit else f"  over {args.limit}"
            print(f"{name:18} " + " ".join(f"{t:7.2f}" for t in times) + f"   growth {exponent:4.2f}   "
                  f"peak RSS {' '.join(f'{m:.0f}' for m in rss)} MB{flag}")
    print(f"largest growth exponent {worst:.2f} (limit {args.limit})")
    return 0 if worst <= args.limit else 1


if __name__ == "__main__":
    sys.exit(main())
