"""macrolint against its peers, side by side in one run.

Installs the peers into ``bench/.work/`` when missing (proselint from PyPI into a venv; textlint,
textlint-rule-prh, textlint-plugin-html and write-good from npm), builds a prh dictionary from
macrolint's own literal phrases, generates the corpora, then times whole command lines on the
same inputs: runs alternate between tools (A B C A B C ..., order rotated each round), and each
figure is the median of ``--runs``. For every run: wall time, CPU time (user + sys of the child
and its reaped descendants, from ``wait4``) and peak RSS.

Also timed, each as its own process: ``python -c pass``, importing macrolint, importing it and
loading the packs, a single-file run of every tool (the pre-commit case), and an I/O floor (a
plain Python loop that opens, reads and decodes the same files).

    python bench/peers.py                       # 1k and 10k, all default peers, 5 runs
    python bench/peers.py --sizes 1k,10k,100k --slow-runs 3 --runs-100k 3 --record

``macrolint`` is the plain command line (``macrolint check DIR``: as many processes as cores);
``macrolint-j1`` is the same on one process, for reference. Fewer runs can be asked for the
slow peers on 10k and more files (``--slow-runs``) and for the 100k size (``--runs-100k``); the
counts used are printed with the table.

Results: a table on stdout and ``bench/.work/results.json``. ``--record`` also writes
``bench/baseline.json`` (what ``bench/check.py`` compares against) and the results block of
``BENCHMARKS.md``, both from this run.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Optional

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import gen_corpus  # noqa: E402

WORK = HERE / ".work"
VENV = WORK / "venv"
#: macrolint runs from its own venv, installed from this checkout, as proselint runs from its
#: own: a user's command, and the same footing (the interpreter that runs this script may load
#: site hooks, e.g. .pth files, that a fresh venv does not; they cost every process they start).
ML_VENV = WORK / "macrolint-venv"
ML_PY = ML_VENV / "bin" / "python"
NODE = WORK / "node"
NODE_BIN = NODE / "node_modules" / ".bin"
OUT = WORK / "out"
RESULTS = WORK / "results.json"
BASELINE = HERE / "baseline.json"
BENCHMARKS = REPO / "BENCHMARKS.md"
BEGIN, END = "<!-- results:begin (written by bench/peers.py --record) -->", "<!-- results:end -->"
PRH_DICT = WORK / "textlint" / "prh.yml"
TEXTLINTRC = WORK / "textlint" / "textlintrc.json"

PROSELINT = "proselint==0.16.0"
NPM_PACKAGES = ["textlint@15", "textlint-rule-prh@6", "textlint-plugin-html@1", "write-good@1"]
ALEX = "alex@11"
DEFAULT_PEERS = ("proselint", "textlint", "write-good")
#: Peers that take tens of seconds on 10k files (``--slow-runs``).
SLOW_PEERS = ("proselint", "textlint", "alex")
ALL_PEERS = DEFAULT_PEERS + ("alex",)
EXTS = (".txt", ".md", ".html")

#: A plain loop over the same files: walk, open, read, decode. Nothing else.
FLOOR_SRC = r"""
import os, sys, time
t = time.perf_counter()
n = b = 0
for root, dirs, files in os.walk(sys.argv[1]):
    dirs.sort()
    for name in sorted(files):
        if name.endswith((".txt", ".md", ".html")):
            with open(os.path.join(root, name), "rb") as fh:
                data = fh.read()
            text = data.decode("utf-8")
            n += 1
            b += len(data)
print(n, b, time.perf_counter() - t)
"""
STARTUP_IMPORT = "import macrolint.cli"
STARTUP_LOAD = "from macrolint.linting.linter import Linter; Linter()"
#: Start-up plus the first (one-line) lint: everything built lazily is built by then.
STARTUP_FIRST = "from macrolint.linting.linter import Linter; Linter().lint_text('Thanks for writing in.')"

TARGETS = {
    "textlint_10k": "10k files: at least 40x faster than textlint + prh",
    "proselint_10k": "10k files: at least 25x faster than proselint",
    "floor_100k": "100k files: within 6x of the I/O floor",
    "rss_100k": "100k files: peak RSS under 200 MB",
    "single_file": "single-file run at most 0.8x proselint's",
    "startup": "start-up (import + pack load) under 6x `python -c pass`",
}


# --- running one command -------------------------------------------------------------------------

@dataclass
class Run:
    """One timed process."""

    wall: float
    cpu: float
    rss_mb: float
    rc: int
    timed_out: bool = False
    #: The output did not parse (the tool crashed or printed an error): left out of the medians.
    failed: bool = False
    findings: Optional[int] = None


GNU_TIME = Path("/usr/bin/time")
#: Tools run as installed: Python keeps its bytecode cache (pip compiles it at install time), so
#: an environment that turns it off must not make every run recompile macrolint from source.
TOOL_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measure(cmd: list[str], cwd: Optional[Path] = None, timeout: float = 300.0,
            stdout: Optional[Path] = None, big_args: bool = False) -> Run:
    """Run ``cmd`` to completion (or until ``timeout``) and return its wall, CPU and peak RSS.

    Wall and CPU come from our own clock and ``wait4``. Peak RSS comes from GNU time when it is
    installed: ``wait4``'s ``ru_maxrss`` also counts the memory of the forked copy of this
    process before ``exec``, which would put a floor of our own size under every figure.
    """
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL
    rss_file = None
    if GNU_TIME.exists():
        rss_file = OUT / f".rss.{os.getpid()}"
        OUT.mkdir(parents=True, exist_ok=True)
        cmd = [str(GNU_TIME), "-f", "%M", "-o", str(rss_file), *cmd]
    preexec: Optional[Callable[[], None]] = None
    if big_args:
        # ARG_MAX is a quarter of the stack limit at exec time: room for 100k file names.
        def preexec() -> None:
            resource.setrlimit(resource.RLIMIT_STACK, (256 * 2**20, resource.RLIM_INFINITY))
    timed_out = threading.Event()
    try:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                                start_new_session=True, preexec_fn=preexec, env=TOOL_ENV)

        def kill() -> None:
            timed_out.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if stdout:
            out.close()
    rss_mb = usage.ru_maxrss / 1024
    if rss_file is not None:
        try:
            lines = rss_file.read_text().split()
            rss_mb = int(lines[-1]) / 1024
        except (OSError, ValueError, IndexError):
            pass  # killed before GNU time could write
        rss_file.unlink(missing_ok=True)
    rc = proc.returncode
    return Run(wall=wall, cpu=usage.ru_utime + usage.ru_stime, rss_mb=rss_mb, rc=rc, timed_out=timed_out.is_set())


# --- installing the peers ------------------------------------------------------------------------

def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def install_macrolint() -> Path:
    """(Re)install this checkout into ``ML_VENV`` (dependencies the first time) and warm its pack
    cache; returns the venv's python."""
    WORK.mkdir(parents=True, exist_ok=True)
    if not ML_PY.exists():
        _log(f"creating {ML_VENV}")
        subprocess.run([sys.executable, "-m", "venv", str(ML_VENV)], check=True)
        subprocess.run([str(ML_PY), "-m", "pip", "install", "-q", str(REPO)], check=True)
    else:
        subprocess.run([str(ML_PY), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(REPO)],
                       check=True)
    subprocess.run([str(ML_PY), "-m", "macrolint", "check", str(REPO / "fixtures")], cwd=WORK,
                   stdout=subprocess.DEVNULL, env=TOOL_ENV)
    return ML_PY


def install(peers: list[str]) -> None:
    """Install the peers that are missing under ``bench/.work``."""
    WORK.mkdir(parents=True, exist_ok=True)
    if not GNU_TIME.exists() and shutil.which("apt-get") and os.geteuid() == 0:
        _log("installing GNU time (apt-get install time) for peak RSS")
        subprocess.run(["apt-get", "install", "-y", "-q", "time"], stdout=subprocess.DEVNULL, check=False)
    if "proselint" in peers and not (VENV / "bin" / "proselint").exists():
        _log(f"installing {PROSELINT} into {VENV}")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", PROSELINT], check=True)
    wanted = []
    if "textlint" in peers and not ((NODE_BIN / "textlint").exists()
                                    and (NODE / "node_modules" / "textlint-rule-prh").exists()
                                    and (NODE / "node_modules" / "textlint-plugin-html").exists()):
        wanted += NPM_PACKAGES[:3]
    if "write-good" in peers and not (NODE_BIN / "write-good").exists():
        wanted.append(NPM_PACKAGES[3])
    if "alex" in peers and not (NODE_BIN / "alex").exists():
        wanted.append(ALEX)
    if wanted:
        if not shutil.which("npm"):
            raise SystemExit("npm is needed for textlint/write-good/alex (apt-get install npm)")
        _log(f"installing {' '.join(wanted)} into {NODE}")
        NODE.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(NODE), "--no-audit", "--no-fund", "--loglevel=error",
                        *wanted], check=True)


def build_prh_dictionary(forms: str = "one") -> dict:
    """A prh dictionary from macrolint's literal phrases; returns counts.

    ``forms="all"``: every expanded form of every phrase (alternatives, optional parts,
    contractions, spelling variants), as macrolint matches them. textlint-rule-prh compiles the
    whole dictionary again for every file it lints, so with thousands of forms it spends seconds
    per file. ``forms="one"``: one form per phrase (its shortest expansion), which gives textlint
    far less to do than macrolint does: a conservative comparison for macrolint.
    """
    from macrolint.packs.phrases import compile_phrase

    out = subprocess.run([sys.executable, "-m", "macrolint", "rules", "--all", "--format", "json"],
                         cwd=REPO, capture_output=True, text=True, check=True).stdout
    lines = ["version: 1", "rules:"]
    sources = patterns = skipped = expanded = 0
    for rule in sorted(json.loads(out), key=lambda r: r["code"]):
        skipped += len(rule["patterns"])
        for src in rule["phrases"]:
            phrase = compile_phrase(src)
            if not phrase.is_literal:
                skipped += 1
                continue
            keys = sorted(phrase.keys())
            expanded += len(keys)
            if forms == "one":
                keys = [min(keys, key=lambda k: (len(k), k))]
            sources += 1
            lines.append(f"  - expected: {json.dumps(rule['code'] + ' ' + rule['name'])}")
            lines.append("    options:")
            lines.append("      wordBoundary: true")
            lines.append("    patterns:")
            for key in keys:
                lines.append(f"      - {json.dumps(key)}")
                patterns += 1
    PRH_DICT.parent.mkdir(parents=True, exist_ok=True)
    PRH_DICT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    TEXTLINTRC.write_text(json.dumps({"plugins": {"html": True},
                                      "rules": {"prh": {"rulePaths": [str(PRH_DICT)]}}}, indent=2))
    return {"forms": forms, "literal_phrases": sources, "patterns": patterns, "expanded_forms": expanded,
            "skipped_regex_or_gap": skipped}


# --- the tools -----------------------------------------------------------------------------------

def _files(folder: Path) -> list[str]:
    out = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(EXTS):
                out.append(os.path.relpath(os.path.join(root, name), folder))
    return out


@dataclass(frozen=True)
class Tool:
    name: str
    build: Callable[[Path], tuple[list[str], Optional[Path], bool]]  # target -> (cmd, cwd, big_args)
    count: Callable[[bytes], Optional[int]] = lambda data: None


def _count_macrolint(data: bytes) -> Optional[int]:
    try:
        return len(json.loads(data)["diagnostics"])
    except (ValueError, KeyError, TypeError):
        return None


def _count_proselint(data: bytes) -> Optional[int]:
    try:
        return sum(len(v.get("diagnostics", [])) for v in json.loads(data)["result"].values())
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def _count_textlint(data: bytes) -> Optional[int]:
    try:
        return sum(len(f["messages"]) for f in json.loads(data))
    except (ValueError, KeyError, TypeError):
        return None


def _count_lines(data: bytes) -> Optional[int]:
    return sum(1 for line in data.splitlines() if line.strip())


def macrolint_tool(name: str = "macrolint", jobs: Optional[int] = None) -> Tool:
    # every run lints afresh (--no-cache): otherwise the first run fills the results cache and
    # every later one, the one-process run included, times a warm re-run
    extra = ["--no-cache", *(["--jobs", str(jobs)] if jobs else [])]
    return Tool(name, lambda t: ([str(ML_PY), "-m", "macrolint", "check", str(t), "--format", "json", *extra],
                                 None, False), _count_macrolint)


def _write_good(target: Path):
    if target.is_dir():
        return [str(NODE_BIN / "write-good"), "--parse", *_files(target)], target, True
    return [str(NODE_BIN / "write-good"), "--parse", target.name], target.parent, False


PEER_TOOLS = {
    "proselint": Tool("proselint", lambda t: ([str(VENV / "bin" / "proselint"), "check", "-o", "json", str(t)],
                                              None, False), _count_proselint),
    "textlint": Tool("textlint", lambda t: ([str(NODE_BIN / "textlint"), "--config", str(TEXTLINTRC), "--format",
                                             "json", str(t)], None, False), _count_textlint),
    "write-good": Tool("write-good", _write_good, _count_lines),
    "alex": Tool("alex", lambda t: ([str(NODE_BIN / "alex"), str(t)], None, False)),
}


PEER_BINARIES = {"proselint": VENV / "bin" / "proselint", "textlint": NODE_BIN / "textlint",
                 "write-good": NODE_BIN / "write-good", "alex": NODE_BIN / "alex"}


def has_jobs_option() -> bool:
    out = subprocess.run([str(ML_PY), "-m", "macrolint", "check", "--help"], capture_output=True, text=True)
    return "--jobs" in out.stdout


# --- measuring -----------------------------------------------------------------------------------

@dataclass
class Row:
    """All runs of one tool on one workload, and their medians."""

    workload: str
    tool: str
    runs: list[Run] = field(default_factory=list)
    findings: Optional[int] = None
    status: str = "ok"  # ok | timeout | error

    def median(self, attr: str) -> Optional[float]:
        vals = [getattr(r, attr) for r in self.runs if not r.timed_out and not r.failed]
        return statistics.median(vals) if vals else None

    def summary(self) -> dict:
        return {"workload": self.workload, "tool": self.tool, "status": self.status, "findings": self.findings,
                "wall_s": self.median("wall"), "cpu_s": self.median("cpu"), "rss_mb": self.median("rss_mb"),
                "rss_mb_max": max((r.rss_mb for r in self.runs), default=None),
                "runs": [asdict(r) for r in self.runs]}


def alternate(workload: str, entries: list[tuple[str, Callable[[Optional[Path]], Run], Optional[Tool]]],
              runs, timeout: float) -> list[Row]:
    """Run every entry ``runs`` times (an int, or a count per entry name), interleaved; an entry
    that times out is not run again."""
    counts = runs if isinstance(runs, dict) else {name: runs for name, _, _ in entries}
    rows = {name: Row(workload, name) for name, _, _ in entries}
    OUT.mkdir(parents=True, exist_ok=True)
    for i in range(max(counts.values())):
        order = entries[i % len(entries):] + entries[:i % len(entries)]
        for name, fn, tool in order:
            row = rows[name]
            if row.status == "timeout" or len(row.runs) >= counts[name]:
                continue
            out_path = OUT / f"{workload.replace('/', '-')}.{name}.out" if tool else None
            run = fn(out_path)
            if tool is not None and out_path is not None and not run.timed_out:
                run.findings = tool.count(out_path.read_bytes()) if out_path.exists() else None
                run.failed = run.findings is None
            row.runs.append(run)
            if run.timed_out:
                row.status = "timeout"
                _log(f"  {workload:<14} {name:<14} TIMEOUT after {run.wall:.0f} s")
            else:
                _log(f"  {workload:<14} {name:<14} run {i + 1}: {run.wall:8.3f} s wall {run.cpu:8.3f} s cpu "
                     f"{run.rss_mb:7.1f} MB  rc={run.rc}{'  FAILED (output did not parse)' if run.failed else ''}")
    for name, _, tool in entries:
        row = rows[name]
        if tool and row.status == "ok":
            good = [r for r in row.runs if not r.failed and not r.timed_out]
            row.findings = good[-1].findings if good else None
            if not good or (name.startswith("macrolint") and all(r.rc not in (0, 1) for r in good)):
                row.status = "error"
    return list(rows.values())


def _tool_entry(tool: Tool, target: Path, timeout: float):
    def fn(out_path: Optional[Path]) -> Run:
        cmd, cwd, big = tool.build(target)
        return measure(cmd, cwd=cwd, timeout=timeout, stdout=out_path, big_args=big)
    return (tool.name, fn, tool)


def _cmd_entry(name: str, cmd: list[str], timeout: float):
    return (name, lambda out_path: measure(cmd, timeout=timeout), None)


def git_commit() -> dict:
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout.strip()
        except OSError:
            return ""
    status = git("status", "--porcelain", "--", "macrolint", "rules")
    return {"commit": git("rev-parse", "HEAD"), "engine_dirty": bool(status)}


def versions(peers: list[str]) -> dict:
    def run(cmd: list[str]) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return "?"
    v = {"python": platform.python_version(), "macrolint": run([str(ML_PY), "-m", "macrolint", "--version"])}
    if "proselint" in peers:
        v["proselint"] = run([str(VENV / "bin" / "proselint"), "version"])
    if any(p in peers for p in ("textlint", "write-good", "alex")):
        v["node"] = run(["node", "--version"])
    for name, pkg in (("textlint", "textlint"), ("textlint-rule-prh", "textlint-rule-prh"),
                      ("write-good", "write-good"), ("alex", "alex")):
        pj = NODE / "node_modules" / pkg / "package.json"
        if pj.exists() and (name in peers or (name.startswith("textlint") and "textlint" in peers)):
            v[name] = json.loads(pj.read_text())["version"]
    return v


def evaluate(summaries: dict, timeout: float) -> dict:
    """Targets, pass/fail, from the medians of this run (absent when not measured)."""
    def wall(workload: str, tool: str) -> Optional[float]:
        s = summaries.get((workload, tool))
        return s["wall_s"] if s and s["status"] == "ok" else None

    out: dict[str, dict] = {}
    m10 = wall("10k/files", "macrolint")
    for peer, need in (("textlint", 40.0), ("proselint", 25.0)):
        key = f"{peer}_10k"
        p = wall("10k/files", peer)
        if m10 and p:
            r = p / m10
            out[key] = {"target": TARGETS[key], "need": f">= {need:g}x", "measured": r, "pass": r >= need}
        elif m10 and summaries.get(("10k/files", peer), {}).get("status") == "timeout":
            # the peer ran out of time: the ratio is at least timeout / macrolint
            out[key] = {"target": TARGETS[key], "need": f">= {need:g}x", "measured": None,
                        "at_least": timeout / m10, "pass": timeout / m10 >= need}
    m100, f100 = wall("100k/files", "macrolint"), wall("100k/files", "io-floor")
    if m100 and f100:
        r = m100 / f100
        out["floor_100k"] = {"target": TARGETS["floor_100k"], "need": "<= 6x", "measured": r, "pass": r <= 6}
        rss = summaries[("100k/files", "macrolint")]["rss_mb_max"]
        out["rss_100k"] = {"target": TARGETS["rss_100k"], "need": "< 200 MB", "measured": rss, "pass": rss < 200}
    ms, ps = wall("single-file", "macrolint"), wall("single-file", "proselint")
    if ms and ps:
        r = ms / ps
        out["single_file"] = {"target": TARGETS["single_file"], "need": "<= 0.8x", "measured": r, "pass": r <= 0.8}
    st, py = wall("startup", "macrolint-load"), wall("startup", "python-pass")
    if st and py:
        r = st / py
        out["startup"] = {"target": TARGETS["startup"], "need": "< 6x", "measured": r, "pass": r < 6}
    return out


def render(results: dict) -> str:
    """The results of one run as Markdown: one table per workload, then the targets."""
    lines: list[str] = []
    by_wl: dict[str, list[dict]] = {}
    for r in results["results"]:
        by_wl.setdefault(r["workload"], []).append(r)
    for wl, rows in by_wl.items():
        meta = results["workloads"].get(wl)
        extra = f" ({meta['files']:,} files, {meta['bytes'] / 1e6:.1f} MB)" if meta else ""
        startup = wl == "startup"
        ref_name = "python-pass" if startup else "macrolint"
        ref = next((r for r in rows if r["tool"] == ref_name and r["status"] == "ok"), None)
        lines.append(f"**{wl}**{extra}")
        lines.append("")
        ratio_head = "x `python -c pass`" if startup else "time / macrolint's"
        lines.append(f"| tool | runs | wall s (median) | CPU s | peak RSS MB | {ratio_head} | findings | status |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---|")
        for r in rows:
            wall = f"{r['wall_s']:.3f}" if r["wall_s"] is not None else "-"
            cpu = f"{r['cpu_s']:.3f}" if r["cpu_s"] is not None else "-"
            rss = f"{r['rss_mb_max']:.0f}" if r["rss_mb_max"] is not None else "-"
            ratio = "-"
            if ref and r["wall_s"] and (r is not ref):
                ratio = f"{r['wall_s'] / ref['wall_s']:.2f}"
            found = "-" if r["findings"] is None else str(r["findings"])
            n = len([x for x in r["runs"] if not x["timed_out"] and not x.get("failed")])
            lines.append(f"| {r['tool']} | {n} | {wall} | {cpu} | {rss} | {ratio} | {found} | {r['status']} |")
        lines.append("")
    if results.get("targets"):
        lines.append("**Targets** (ratios of medians from the tables above)")
        lines.append("")
        lines.append("| target | need | measured | holds |")
        lines.append("|---|---|---|---|")
        for t in results["targets"].values():
            m = t["measured"]
            shown = (f"peer timed out, >= {t['at_least']:.1f}x" if m is None
                     else (f"{m:.0f} MB" if "MB" in t["need"] else f"{m:.2f}x"))
            lines.append(f"| {t['target']} | {t['need']} | {shown} | {'yes' if t['pass'] else '**no**'} |")
        lines.append("")
    return "\n".join(lines)


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1k,10k", help="corpus sizes (1k,10k,100k; default 1k,10k)")
    ap.add_argument("--runs", type=int, default=5, help="runs per tool and workload (median; default 5)")
    ap.add_argument("--peers", default=",".join(DEFAULT_PEERS),
                    help=f"comma-separated from {','.join(ALL_PEERS)}, or 'none' (default: {','.join(DEFAULT_PEERS)})")
    ap.add_argument("--layouts", default="files,single", help="files (one file per reply), single (one Markdown file)")
    ap.add_argument("--slow-runs", type=int, default=None,
                    help="runs of the slow peers (proselint, textlint, alex) on 10k files and more (default: --runs)")
    ap.add_argument("--runs-100k", type=int, default=None, help="runs on the 100k size (default: --runs)")
    ap.add_argument("--single-100k", action="store_true",
                    help="also time the 100k replies as one large file (67 MB; skipped by default)")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds before a run is killed (default 300)")
    ap.add_argument("--peer-sizes", default=None,
                    help="sizes on which peers run too (default: every size except 100k)")
    ap.add_argument("--prh-forms", choices=("one", "all"), default="one",
                    help="prh dictionary: one form per phrase (default) or every expanded form")
    ap.add_argument("--skip-install", action="store_true", help="do not install missing peers")
    ap.add_argument("--no-startup", action="store_true", help="skip the start-up and single-file timings")
    ap.add_argument("--record", action="store_true",
                    help="write bench/baseline.json and the results block of BENCHMARKS.md from this run")
    ap.add_argument("--out", default=str(RESULTS), help=f"results file (default {RESULTS.relative_to(REPO)})")
    args = ap.parse_args(argv)

    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    for s in sizes:
        if s not in gen_corpus.SIZES:
            ap.error(f"unknown size {s!r}")
    peers = [] if args.peers.strip() == "none" else [p.strip() for p in args.peers.split(",") if p.strip()]
    for p in peers:
        if p not in PEER_TOOLS:
            ap.error(f"unknown peer {p!r}; one of {', '.join(ALL_PEERS)}")
    peer_sizes = ([s.strip() for s in args.peer_sizes.split(",")] if args.peer_sizes
                  else [s for s in sizes if s != "100k"])
    layouts = [x.strip() for x in args.layouts.split(",") if x.strip()]

    # the checkout as it is installed for the runs (edits made while they run do not count)
    installed_git = git_commit()
    if not args.skip_install:
        install(peers)
        installed_git = git_commit()
        install_macrolint()
    if not ML_PY.exists():
        raise SystemExit(f"not installed: macrolint into {ML_VENV} (run without --skip-install)")
    missing = [p for p in peers if not PEER_BINARIES[p].exists()]
    if missing:
        raise SystemExit(f"not installed: {', '.join(missing)} (run without --skip-install)")
    prh = build_prh_dictionary(args.prh_forms) if "textlint" in peers else None

    phrases = gen_corpus.load_phrases()
    manifests = {}
    for s in sorted(set(sizes) | {"1k"}, key=lambda s: gen_corpus.SIZES[s]):
        manifests[s] = gen_corpus.write_size(s, gen_corpus.SIZES[s], 7, phrases)
        _log(f"corpus {s}: {manifests[s]['count']} replies, {manifests[s]['bytes_files'] / 1e6:.1f} MB, "
             f"sha256 {manifests[s]['sha256'][:16]}")

    jobs = has_jobs_option()
    ml_tools = [macrolint_tool("macrolint")]
    ml_serial = [macrolint_tool("macrolint-j1", 1)] if jobs else []
    peer_tools = [PEER_TOOLS[p] for p in peers]
    slow_runs = args.slow_runs or args.runs
    runs_100k = args.runs_100k or args.runs

    started = time.time()
    runs_used: dict[str, dict[str, int]] = {}
    rows: list[Row] = []
    workloads: dict[str, dict] = {}
    py = str(ML_PY)
    if not args.no_startup:
        _log("start-up")
        rows += alternate("startup", [
            _cmd_entry("python-pass", [py, "-c", "pass"], args.timeout),
            _cmd_entry("python-pass-host", [sys.executable, "-c", "pass"], args.timeout),
            _cmd_entry("macrolint-import", [py, "-c", STARTUP_IMPORT], args.timeout),
            _cmd_entry("macrolint-load", [py, "-c", STARTUP_LOAD], args.timeout),
            _cmd_entry("macrolint-first-lint", [py, "-c", STARTUP_FIRST], args.timeout),
        ], args.runs, args.timeout)
        one = gen_corpus.corpus_paths("1k")[0] / "000" / "r000000.txt"
        workloads["single-file"] = {"files": 1, "bytes": one.stat().st_size, "path": str(one.relative_to(REPO))}
        _log("single file")
        rows += alternate("single-file", [_tool_entry(t, one, args.timeout) for t in ml_tools + peer_tools],
                          args.runs, args.timeout)
    for s in sizes:
        files_dir, big = gen_corpus.corpus_paths(s)
        m = manifests[s]
        with_peers = peer_tools if s in peer_sizes else []
        for layout in layouts:
            if layout == "single" and s == "100k" and not args.single_100k:
                continue
            wl = f"{s}/{layout}"
            target = files_dir if layout == "files" else big
            workloads[wl] = {"files": m["count"] if layout == "files" else 1,
                             "bytes": m["bytes_files"] if layout == "files" else m["bytes_all_md"],
                             "path": str(target.relative_to(REPO))}
            runs = runs_100k if s == "100k" else args.runs
            big_size = gen_corpus.SIZES[s] >= 10_000
            serial = ml_serial if s != "100k" else []
            entries = [_tool_entry(t, target, args.timeout) for t in ml_tools + serial]
            counts = {e[0]: runs for e in entries}
            for t in with_peers:
                entries.append(_tool_entry(t, target, args.timeout))
                counts[t.name] = min(runs, slow_runs) if big_size and t.name in SLOW_PEERS else runs
            if layout == "files":
                # warm the page cache once, untimed, so the first tool does not pay for it
                measure([py, "-c", FLOOR_SRC, str(target)], timeout=args.timeout)
                entries.append(_cmd_entry("io-floor", [py, "-c", FLOOR_SRC, str(target)], args.timeout))
                counts["io-floor"] = runs
            _log(wl)
            runs_used[wl] = counts
            rows += alternate(wl, entries, counts, args.timeout)

    summaries = {(r.workload, r.tool): r.summary() for r in rows}
    targets = evaluate(summaries, args.timeout)
    results = {
        "date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "command": " ".join(["peers.py"] + (sys.argv[1:] if argv is None else list(argv))),
        "git": installed_git,
        "machine": {"nproc": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "versions": versions(peers),
        "runs": args.runs, "runs_used": runs_used, "timeout_s": args.timeout, "macrolint_has_jobs": jobs,
        "prh_dictionary": prh,
        "corpus": {s: manifests[s] for s in sizes},
        "workloads": workloads,
        "results": [s for s in summaries.values()],
        "targets": targets,
        "elapsed_s": round(time.time() - started, 1),
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")

    print(header(results))
    print()
    print(render(results))
    print(f"results: {args.out}")
    if args.record:
        record(results)
    return 0


def header(results: dict) -> str:
    g = results["git"]
    return (f"{results['versions'].get('macrolint', '')} at {g['commit'][:12]}"
            f"{' (with uncommitted changes to macrolint/ or rules/)' if g['engine_dirty'] else ''}; "
            f"{results['machine']['nproc']} cores; Python {results['machine']['python']}; {results['date']}; "
            f"median of {results['runs']} runs unless the runs column says otherwise")


def baseline_from(results: dict) -> dict:
    """What ``bench/check.py`` compares against: macrolint's figures in ``results``."""
    by = {(r["workload"], r["tool"]): r for r in results["results"]}
    m = by.get(("10k/files", "macrolint"))
    if not m or m["wall_s"] is None:
        raise SystemExit("--record needs a 10k/files run of macrolint (--sizes including 10k, --layouts files)")
    wl = results["workloads"]["10k/files"]
    base = {
        "date": results["date"], "git": results["git"], "machine": results["machine"],
        "runs": len(m["runs"]), "command": "macrolint check <10k corpus>/files --format json",
        "corpus_sha256": results["corpus"]["10k"]["sha256"],
        "macrolint_10k_files_wall_s": m["wall_s"],
        "macrolint_10k_files_per_s": wl["files"] / m["wall_s"],
        "macrolint_10k_mb_per_s": wl["bytes"] / 1e6 / m["wall_s"],
        "macrolint_10k_rss_mb": m["rss_mb_max"],
    }
    floor = by.get(("10k/files", "io-floor"))
    if floor and floor["wall_s"]:
        base["io_floor_10k_wall_s"] = floor["wall_s"]
    load, pypass = by.get(("startup", "macrolint-load")), by.get(("startup", "python-pass"))
    if load and pypass and load["wall_s"] and pypass["wall_s"]:
        base["startup_load_s"] = load["wall_s"]
        base["python_pass_s"] = pypass["wall_s"]
    return base


def baseline_table(base: dict) -> str:
    rows = [("macrolint on 10k files, wall s (median)", f"{base['macrolint_10k_files_wall_s']:.3f}"),
            ("throughput, files/s", f"{base['macrolint_10k_files_per_s']:.0f}"),
            ("throughput, MB/s", f"{base['macrolint_10k_mb_per_s']:.2f}"),
            ("peak RSS, MB", f"{base['macrolint_10k_rss_mb']:.0f}")]
    if "io_floor_10k_wall_s" in base:
        rows.append(("I/O floor on the same files, wall s", f"{base['io_floor_10k_wall_s']:.3f}"))
    if "startup_load_s" in base:
        rows.append(("start-up (import + pack load), s", f"{base['startup_load_s']:.3f}"))
        rows.append(("`python -c pass`, s", f"{base['python_pass_s']:.3f}"))
    lines = ["| figure | baseline |", "|---|---:|"] + [f"| {a} | {b} |" for a, b in rows]
    return "\n".join(lines)


def record(results: dict) -> None:
    """Write ``bench/baseline.json`` and the results block of ``BENCHMARKS.md`` from one run."""
    base = baseline_from(results)
    block = "\n".join([
        BEGIN, "",
        f"Run: `python bench/{results['command']}`",
        "",
        header(results) + ".",
        "",
        render(results),
        "**Baseline** for `bench/check.py` (also in `bench/baseline.json`, written by the same run; "
        "the check fails when files/s drop by more than 30%):",
        "",
        baseline_table(base),
        "", END])
    text = BENCHMARKS.read_text(encoding="utf-8") if BENCHMARKS.exists() else f"# Benchmarks\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text or END not in text:
        text = text.rstrip("\n") + f"\n\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    BENCHMARKS.write_text(head + block + tail, encoding="utf-8")
    BASELINE.write_text(json.dumps(base, indent=2) + "\n")
    print(f"recorded: {BASELINE.relative_to(REPO)} and the results block of {BENCHMARKS.name}")


if __name__ == "__main__":
    sys.exit(main())
