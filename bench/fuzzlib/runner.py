"""Running fuzz cases through the installed command line, and the campaign's report.

Each run is ``python -m macrolint check ... -v --format json`` in a fresh folder (see ``cases``),
in a new session (so a timeout kills its worker processes too), with an address-space limit,
standard output and error going to files, and its peak RSS read from ``os.wait4``. Batchable
cases share a run, each in its own subfolder; a run that fails as a whole is split (in halves,
or one by one after a timeout) until each failure shows in a run of one case. A run's cache is
the worker's copy of a cache filled once at the start, or, for the cache family, a private copy
that is corrupted first.
"""
from __future__ import annotations

import os
import pickle
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from . import generators
from .cases import (
    CANARY_NAME,
    CANARY_TEXT,
    RunDirs,
    remove_tree,
    substitute_arg,
    write_entries,
)
from .checks import (
    KINDS,
    RSS_LIMIT_MB,
    SMALL_INPUT,
    Failure,
    Member,
    Run,
    evaluate,
    output_format,
    root_cause,
)

MAX_REPORT = 64 * 2**20  # bytes of a run's output read back


@dataclass
class Settings:
    python: str = sys.executable
    timeout: float = 60.0
    mem_limit_mb: int = 2048  # address space of each process of a run
    workers: int = 2
    tmp: Optional[str] = None  # folder for run folders (default: the system's)
    template_cache: Optional[str] = None  # a cache filled by one run (set by ``prepare``)
    template_state: Optional[str] = None  # where that run kept the key its entries carry
    #: How a case that needs file permissions to hold is run (set by ``prepare``): "user" (we are
    #: not root: they hold), "caps" (root without the capabilities that bypass them), or "" (cannot).
    unprivileged: str = ""


@dataclass
class RunSummary:
    """A run without its output: for statistics, and the failing ones for the report."""

    cases: tuple
    argv: list
    exit: Optional[int]
    timed_out: bool
    rss_mb: float
    wall: float
    inputs: int
    stderr_tail: str = ""
    stdout_head: str = ""


@dataclass
class Outcome:
    id: str
    family: str
    name: str
    size: int
    failures: list
    run: Optional[RunSummary] = None
    skipped: str = ""
    group: tuple = ()  # for a batch-only failure: the cases that fail together

    @property
    def failed(self) -> bool:
        return bool(self.failures)


# --- running one command line ---------------------------------------------------------------

def base_env(cache: Path, state: Path) -> dict:
    """The environment of a run: its own cache folder, and the key (under ``state``) that the
    template cache's entries were written with, never the user's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MACROLINT_")}
    env.update(MACROLINT_CACHE_DIR=str(cache), XDG_STATE_HOME=str(state), NO_COLOR="1", PYTHONFAULTHANDLER="1",
               PYTHONDONTWRITEBYTECODE="1")
    return env


#: Linux capabilities that let root ignore file permissions: CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH.
_DAC_CAPS = (1, 2)
_PR_CAPBSET_DROP = 24


def _prctl():
    import ctypes

    return ctypes.CDLL(None, use_errno=True).prctl


def spawn(argv, cwd: Path, env: dict, out: Path, stdin, timeout: float, mem_mb: int,
          drop_caps: bool = False) -> tuple[Optional[int], bool, float, float]:
    """Run ``argv`` to its end or ``timeout``; ``(exit code, timed out, peak RSS in MB, seconds)``.

    The exit code is negative for a signal. RSS is ``ru_maxrss`` from ``wait4``: the run and the
    worker processes it waited for (it includes the few MB the fork copied before ``exec``).
    ``drop_caps``: root runs it without the capabilities that bypass file permissions (dropped
    from the bounding set, so ``exec`` does not give them back)."""
    import resource

    limit = mem_mb * 2**20
    close_stdin = stdin == "closed"
    prctl = _prctl() if drop_caps else None

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_FSIZE, (2**30, 2**30))
        if prctl is not None:
            for cap in _DAC_CAPS:
                if prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
                    os._exit(125)
        if close_stdin:
            os.close(0)

    if isinstance(stdin, bytes):
        (out / "stdin").write_bytes(stdin)
        stdin_fh = open(out / "stdin", "rb")
    else:
        stdin_fh = subprocess.DEVNULL
    with open(out / "stdout", "wb") as so, open(out / "stderr", "wb") as se:
        t0 = time.monotonic()
        try:
            proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=stdin_fh, stdout=so, stderr=se,
                                    start_new_session=True, preexec_fn=limits)
        finally:
            if stdin_fh is not subprocess.DEVNULL:
                stdin_fh.close()
        timed_out = False
        delay = 0.002
        deadline = t0 + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            now = time.monotonic()
            if now > deadline and not timed_out:
                # SIGABRT first: faulthandler (PYTHONFAULTHANDLER) prints where it hangs (to the
                # run itself only: dumps of its workers would interleave with its own)
                timed_out = True
                try:
                    os.kill(proc.pid, signal.SIGABRT)
                except ProcessLookupError:
                    pass
                deadline = now + 2
            elif now > deadline:
                _kill_group(proc.pid)
                _, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(delay)
            delay = min(delay * 2, 0.025)
        wall = time.monotonic() - t0
        _kill_group(proc.pid)  # worker processes left behind
        proc.returncode = os.waitstatus_to_exitcode(status)
    rss = usage.ru_maxrss / (2**20 if sys.platform == "darwin" else 1024)
    return proc.returncode, timed_out, rss, wall


def _kill_group(pgid: int, sig: int = signal.SIGKILL) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


# --- caches ---------------------------------------------------------------------------------

class _Payload:
    """Unpickled, it creates the marker folder: what a poisoned cache entry would do instead."""

    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return os.mkdir, (self.marker,)


def malicious_pickle(marker: Path) -> bytes:
    return pickle.dumps(("macrolint", _Payload(str(marker))), protocol=4)


def corrupt_cache(cache: Path, kind: str, seed: int, marker: Path, state: Path) -> None:
    """Damage a filled cache folder (or the key its entries carry, under ``state``) in the way
    ``kind`` (``generators.CACHE_KINDS``) names."""
    from macrolint.matching import store as packcache

    r = random.Random(f"cache:{kind}:{seed}")
    packs = sorted(cache.glob("pack-*.cache"))
    rxs = sorted(cache.glob("rx-*.rx"))
    everything = packs + rxs

    def regions(data: bytes) -> dict[str, tuple[int, int]]:
        """A pack entry's parts: header (and its MAC), the pack part, the form groups, and the
        last groups (the tables of heads and deletions)."""
        parts = packcache.regions(data)
        groups = parts["groups"][0]
        return {**parts, "tables": (max(groups, len(data) - 4096), len(data))}

    def flip(path: Path, lo: int, hi: int) -> None:
        data = bytearray(path.read_bytes())
        if hi > lo:
            for _ in range(r.randint(1, 16)):
                i = r.randrange(lo, hi)
                data[i] ^= 1 << r.randrange(8)
        path.write_bytes(bytes(data))

    def replace_all(paths, make: Callable[[Path], None]) -> None:
        for p in paths:
            p.unlink()
            make(p)

    if kind.startswith("bitflip-pack-"):
        for p in packs:
            flip(p, *regions(p.read_bytes())[kind[len("bitflip-pack-"):]])
    elif kind == "bitflip-rx":
        for p in rxs:
            flip(p, 0, p.stat().st_size)
    elif kind == "bitflip-all":
        for p in everything:
            flip(p, 0, p.stat().st_size)
    elif kind in ("truncate-pack", "truncate-rx"):
        for p in packs if kind == "truncate-pack" else rxs:
            data = p.read_bytes()
            p.write_bytes(data[:r.randrange(len(data))] if data else data)
    elif kind == "empty-all":
        for p in everything:
            p.write_bytes(b"")
    elif kind == "junk-all":
        for p in everything:
            p.write_bytes(r.randbytes(p.stat().st_size))
    elif kind == "pickle-rx":
        for p in rxs:
            p.write_bytes(malicious_pickle(marker))
        for n in range(4):  # and under the names earlier versions read
            (cache / f"rx-{n:08x}-{n:x}.pickle").write_bytes(malicious_pickle(marker))
    elif kind == "pickle-pack":
        payload = malicious_pickle(marker)
        for p in packs:
            p.write_bytes(len(payload).to_bytes(8, "little") + (0).to_bytes(8, "little") + payload)
            p.with_suffix(".pickle").write_bytes(payload)
    elif kind == "forms-out-of-range":
        for p in packs:
            data = bytearray(p.read_bytes())
            far = (len(data) * 4).to_bytes(8, "little")
            data[-16:] = far + far
            p.write_bytes(bytes(data))
    elif kind == "foreign-key":  # sound entries, written by another user or machine
        (state / "macrolint" / "cache-key").write_bytes(r.randbytes(32))
    elif kind == "key-readable":  # a key others may read vouches for nothing
        (state / "macrolint" / "cache-key").chmod(0o644)
    elif kind == "entry-is-folder":
        replace_all(everything, lambda p: p.mkdir())
    elif kind == "entry-is-fifo":
        replace_all(everything, lambda p: os.mkfifo(p))
    elif kind == "entry-is-dev-zero":
        replace_all(everything, lambda p: p.symlink_to("/dev/zero"))
    elif kind == "entry-is-loop":
        replace_all(everything, lambda p: p.symlink_to(p.name))
    elif kind == "cache-is-file":
        shutil.rmtree(cache)
        cache.write_bytes(b"not a folder\n")
    elif kind == "cache-unwritable":
        for p in everything:
            p.chmod(0o444)
        cache.chmod(0o555)
    elif kind == "swap-entries":
        for group in (packs, rxs):
            contents = [p.read_bytes() for p in group]
            r.shuffle(contents)
            for p, data in zip(group, contents):
                p.write_bytes(data)
    else:
        raise ValueError(f"unknown cache damage {kind!r}")


# --- one run of one or more cases -----------------------------------------------------------

def layout(cases: list) -> list:
    """Members of a run: a case that needs a run of its own sits at the top, batched ones each in
    a subfolder."""
    if len(cases) == 1 and cases[0].solo():
        return [Member(cases[0], "")]
    return [Member(c, f"c{i:02d}") for i, c in enumerate(cases)]


#: Runs the command line like ``python -m macrolint``, but lets an exception that click would
#: turn into "Aborted!" (EOFError, KeyboardInterrupt) show its traceback.
DIAGNOSE = "import sys; from macrolint.cli import main; sys.argv[0] = 'macrolint'; main(standalone_mode=False)"


def command(members: list, settings: Settings, run: RunDirs, diagnose: bool = False) -> list:
    if members[0].prefix == "":
        case = members[0].case
        paths = [substitute_arg(p, run) for p in case.paths]
        if "." not in paths:
            paths.append(CANARY_NAME)
        args = [substitute_arg(a, run) for a in case.args]
    else:
        paths, args = ["."], []
    start = [settings.python, "-c", DIAGNOSE] if diagnose else [settings.python, "-m", "macrolint"]
    return [*start, "check", *paths, "-v", "--format", "json", *args]


def materialize(members: list, run: RunDirs, settings: Settings, worker_cache: Optional[Path]) -> Path:
    """Lay the run out on disk; returns the cache folder it uses."""
    run.make()
    for m in members:
        write_entries(run.files / m.prefix if m.prefix else run.files, m.case, run)
    case = members[0].case
    if case.git:
        _git_commit(run.files, CANARY_NAME)
    if settings.template_state and Path(settings.template_state).is_dir():
        shutil.copytree(settings.template_state, run.state)
    cache = worker_cache or run.cache
    if case.cache is not None or worker_cache is None:
        cache = run.cache
        if settings.template_cache and Path(settings.template_cache).is_dir():
            shutil.copytree(settings.template_cache, cache, dirs_exist_ok=True)
        else:
            cache.mkdir(exist_ok=True)
        if case.cache is not None:
            corrupt_cache(cache, case.cache[0], case.cache[1], run.marker, run.state)
    return cache


def _git_commit(folder: Path, leave_out: str) -> None:
    """Make ``folder`` a repository with everything but ``leave_out`` committed (left untracked:
    new, so ``--changed-since`` lints it)."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "fuzz", "GIT_AUTHOR_EMAIL": "fuzz@example.invalid",
           "GIT_COMMITTER_NAME": "fuzz", "GIT_COMMITTER_EMAIL": "fuzz@example.invalid"}
    try:
        for args in (["init", "-q"], ["add", "-A", "--", ".", f":!{leave_out}"], ["commit", "-q", "--allow-empty", "-m", "x"]):
            subprocess.run(["git", *args], cwd=folder, env=env, capture_output=True, check=False, timeout=60)
    except (OSError, subprocess.SubprocessError):
        pass  # no git: the case then checks the error for a folder that is not a repository


def execute(cases: list, settings: Settings, worker_cache: Optional[Path], diagnose: bool = False) -> Run:
    """One command line over ``cases`` (``diagnose``: see ``DIAGNOSE``); the run folder is removed afterwards."""
    members = layout(cases)
    run = RunDirs(Path(tempfile.mkdtemp(prefix="run-", dir=settings.tmp)))
    try:
        cache = materialize(members, run, settings, worker_cache)
        argv = command(members, settings, run, diagnose)
        env = base_env(cache, run.state)
        timeout = min(settings.timeout, max(c.timeout or settings.timeout for c in cases))
        mem = min(settings.mem_limit_mb, max(c.mem_limit_mb or settings.mem_limit_mb for c in cases))
        if sum(c.size() for c in cases) < SMALL_INPUT:  # over RSS_LIMIT_MB fails anyway: fail sooner
            mem = min(mem, 2 * RSS_LIMIT_MB)
        case = members[0].case
        exit_code, timed_out, rss, wall = spawn(argv, run.files, env, run.out, case.stdin if len(cases) == 1 else None,
                                                timeout, mem, case.unprivileged and settings.unprivileged == "caps")
        output = None
        if case.output and len(cases) == 1:
            target = run.files / case.output
            output = _read(target) if target.is_file() else b""
        shown = [a.decode("utf-8", "replace") if isinstance(a, bytes) else a for a in argv]
        return Run(argv=shown, exit=exit_code, timed_out=timed_out, stdout=_read(run.out / "stdout"),
                   stderr=_read(run.out / "stderr"), rss_mb=rss, wall=wall, inputs=sum(c.size() for c in cases),
                   fmt=output_format(shown), output=output, marker=os.path.lexists(run.marker),
                   cases=tuple(c.id for c in cases))
    finally:
        remove_tree(run.base)


def _read(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(MAX_REPORT)


def summarize(run: Run, failed: bool) -> RunSummary:
    s = RunSummary(run.cases, run.argv, run.exit, run.timed_out, run.rss_mb, run.wall, run.inputs)
    if failed:
        s.stderr_tail = run.stderr[-4000:].decode("utf-8", "replace")
        s.stdout_head = run.stdout[:1000].decode("utf-8", "replace")
    return s


def check_group(cases: list, settings: Settings, worker_cache: Optional[Path]) -> tuple[list, list]:
    """Run ``cases`` together, and on a failure of the whole run split them until every failure
    is seen in a run of one case. Returns the outcomes (in the order of ``cases``) and every run made."""
    if len(cases) == 1 and cases[0].unprivileged and not settings.unprivileged:
        return [Outcome(cases[0].id, cases[0].family, cases[0].name, cases[0].size(), [],
                        skipped="root, and its capabilities to bypass file permissions cannot be dropped")], []
    run = execute(cases, settings, worker_cache)
    verdict = evaluate(run, layout(cases))
    summary = summarize(run, bool(verdict))
    runs = [summary]
    if len(cases) == 1:
        for f in verdict.whole:
            if f.kind == "aborted":  # which exception click swallowed: run it again with tracebacks shown
                f.cause = root_cause(execute(cases, settings, worker_cache, diagnose=True).stderr.decode("utf-8", "replace"))
                if f.cause is not None:
                    f.detail += f": {f.cause}"
    if not verdict.whole or len(cases) == 1:
        outcomes = []
        for c in cases:
            failures = (verdict.whole if len(cases) == 1 else []) + verdict.pinned.get(c.id, [])
            outcomes.append(Outcome(c.id, c.family, c.name, c.size(), failures, summary if failures else None))
        return outcomes, runs
    if any(f.kind == "timeout" for f in verdict.whole):
        parts = [[c] for c in cases]  # each half would cost a timeout again
    else:
        half = len(cases) // 2
        parts = [cases[:half], cases[half:]]
    outcomes = []
    for part in parts:
        o, r = check_group(part, settings, worker_cache)
        outcomes += o
        runs += r
    if not any(o.failed for o in outcomes):
        first = outcomes[0]
        first.failures = [Failure("batch-only", "; ".join(map(str, verdict.whole)), verdict.whole[0].cause)]
        first.run, first.group = summary, tuple(c.id for c in cases)
    return outcomes, runs


# --- workers --------------------------------------------------------------------------------

_STATE: dict = {}


def _init_worker(settings: Settings) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process handles Ctrl-C
    cache = Path(tempfile.mkdtemp(prefix="worker-cache-", dir=settings.tmp))
    if settings.template_cache:
        shutil.copytree(settings.template_cache, cache, dirs_exist_ok=True)
    _STATE.update(settings=settings, cache=cache)


def _work(cases: list) -> tuple[list, list]:
    return check_group(cases, _STATE["settings"], _STATE["cache"])


# --- the campaign ---------------------------------------------------------------------------

def plan(cases: list, batch: bool = True) -> list:
    """Units of work: lists of cases run together (batchable cases of a family, up to
    ``BATCH_SIZES`` of them and 1 MB of input, so memory is judged), or one case."""
    units: list[list] = []
    open_units: dict[str, list] = {}
    for case in cases:
        size = generators.BATCH_SIZES.get(case.family, 1) if batch else 1
        if case.solo() or size == 1:
            units.append([case])
            continue
        unit = open_units.get(case.family)
        if unit is None or len(unit) >= size or sum(c.size() for c in unit) + case.size() >= 1_000_000:
            unit = open_units[case.family] = []
            units.append(unit)
        unit.append(case)
    return units


def prepare(settings: Settings) -> None:
    """Fill the template cache with one run over the fixtures, check the command line works at
    all, and find out whether file permissions can be made to hold for cases that need them."""
    work = Path(tempfile.mkdtemp(prefix="prepare-", dir=settings.tmp))
    cache = Path(settings.tmp) / "template-cache"
    (work / CANARY_NAME).write_bytes(CANARY_TEXT)
    argv = [settings.python, "-m", "macrolint", "check", CANARY_NAME, str(generators.FIXTURES), "--format", "json"]
    state = Path(settings.tmp) / "template-state"
    code, timed_out, _, _ = spawn(argv, work, base_env(cache, state), work, None, 600, settings.mem_limit_mb)
    if code != 1:
        err = (work / "stderr").read_bytes().decode("utf-8", "replace")[-2000:]
        raise RuntimeError(f"macrolint does not run on its own fixtures (exit {code}):\n{' '.join(argv)}\n{err}")
    settings.template_cache = str(cache)
    settings.template_state = str(state)
    settings.unprivileged = _unprivileged(settings, work)
    remove_tree(work)


def _unprivileged(settings: Settings, work: Path) -> str:
    """How cases that need file permissions to hold can run: see ``Settings.unprivileged``."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "user"
    locked = work / "locked"
    locked.write_bytes(b"")
    locked.chmod(0)
    probe = f"try:\n open({str(locked)!r}).close()\nexcept PermissionError:\n raise SystemExit(3)"
    try:
        code, _, _, _ = spawn([settings.python, "-c", probe], work, base_env(work / "cache", work / "state"), work, None, 60,
                              settings.mem_limit_mb, drop_caps=True)
    except (OSError, AttributeError):  # no prctl: not Linux
        return ""
    return "caps" if code == 3 else ""


@dataclass
class Report:
    seed: int
    budget: str
    families: list
    outcomes: list = field(default_factory=list)
    runs: list = field(default_factory=list)
    seconds: float = 0.0
    reproduce: str = ""  # the command line that runs a case, without --case

    @property
    def failures(self) -> list:
        return [o for o in self.outcomes if o.failed]

    def by_kind(self) -> Counter:
        return Counter(f.kind for o in self.failures for f in o.failures)

    def root_causes(self) -> list[dict]:
        """Failures grouped by where the traceback ends (file:function and exception), or by kind
        and family when there is no traceback; the smallest case of each group first."""
        groups: dict[tuple, list] = {}
        for o in self.failures:
            first = next((f for f in o.failures if f.cause is not None), o.failures[0])
            key = (first.cause.key, "") if first.cause is not None else (first.kind, o.family)
            groups.setdefault(key, []).append((o, first))
        out = []
        for key, items in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            items.sort(key=lambda t: (t[0].size, t[0].id))
            o, f = items[0]
            out.append({"cause": key[0], "via": f.cause.via if f.cause else "", "message": f.cause.message if f.cause else f.detail,
                        "count": len(items), "kinds": sorted({k.kind for i, _ in items for k in i.failures}),
                        "families": sorted({i.family for i, _ in items}), "example": o.id,
                        "repro": self.repro(o), "cases": [i.id for i, _ in items]})
        return out

    def repro(self, o: Outcome) -> str:
        import shlex

        return f"{self.reproduce} --family {o.family} --case {shlex.quote(o.name)}"

    def to_json(self) -> dict:
        fam = Counter(o.family for o in self.outcomes)
        failed = Counter(o.family for o in self.failures)
        return {
            "seed": self.seed, "budget": self.budget, "seconds": round(self.seconds, 1),
            "cases": len(self.outcomes), "runs": len(self.runs),
            "batches": sum(1 for r in self.runs if len(r.cases) > 1),
            "families": {f: {"cases": fam[f], "failed": failed[f]} for f in self.families},
            "failures_by_kind": dict(self.by_kind()),
            "skipped": [{"case": o.id, "why": o.skipped} for o in self.outcomes if o.skipped],
            "root_causes": self.root_causes(),
            "failures": [{"case": o.id, "kinds": [f.kind for f in o.failures], "failures": [str(f) for f in o.failures],
                          "group": list(o.group), "repro": self.repro(o),
                          "run": o.run and {"argv": o.run.argv, "exit": o.run.exit, "timed_out": o.run.timed_out,
                                            "rss_mb": round(o.run.rss_mb, 1), "wall": round(o.run.wall, 2),
                                            "stderr_tail": o.run.stderr_tail, "stdout_head": o.run.stdout_head}}
                          for o in self.failures],
            "worst_rss": [_run_json(r) for r in sorted(self.runs, key=lambda r: -r.rss_mb)[:10]],
            "slowest": [_run_json(r) for r in sorted(self.runs, key=lambda r: -r.wall)[:10]],
            "every_run": [_run_json(r) for r in self.runs],
        }

    def summary(self) -> str:
        fam = Counter(o.family for o in self.outcomes)
        failed = Counter(o.family for o in self.failures)
        runs_of = Counter(self._family_of(r) for r in self.runs)
        seconds_of: Counter = Counter()
        for r in self.runs:
            seconds_of[self._family_of(r)] += r.wall
        lines = [f"macrolint fuzz: budget {self.budget}, seed {self.seed}, {len(self.outcomes)} cases in "
                 f"{len(self.runs)} runs ({sum(1 for r in self.runs if len(r.cases) > 1)} batches), {self.seconds:.1f} s", "",
                 f"{'family':<12}{'cases':>7}{'runs':>7}{'failed':>8}{'run time':>10}"]
        for f in self.families:
            lines.append(f"{f:<12}{fam[f]:>7}{runs_of[f]:>7}{failed[f]:>8}{seconds_of[f]:>9.1f}s")
        lines.append(f"{'total':<12}{len(self.outcomes):>7}{len(self.runs):>7}{len(self.failures):>8}"
                     f"{sum(seconds_of.values()):>9.1f}s")
        kinds = self.by_kind()
        if kinds:
            lines += ["", "failures by kind:"]
            lines += [f"  {k:<16}{n:>5}  {KINDS.get(k, '')}" for k, n in kinds.most_common()]
        skipped = [o for o in self.outcomes if o.skipped]
        if skipped:
            lines += ["", f"skipped {len(skipped)}: " + ", ".join(f"{o.id} ({o.skipped})" for o in skipped)]
        causes = self.root_causes()
        if causes:
            lines += ["", "root causes (where the traceback ends, or the kind of failure):"]
            for c in causes:
                via = f"  via {c['via']}" if c["via"] and not c["cause"].startswith(c["via"]) else ""
                lines.append(f"  {c['count']:>4} x {c['cause']}{via}  [{', '.join(c['families'])}]")
                if c["message"]:
                    lines.append(f"         {c['message'][:150]}")
                lines.append(f"         e.g. {c['repro']}")
        if self.runs:
            r = max(self.runs, key=lambda r: r.rss_mb)
            lines += ["", f"worst RSS: {r.rss_mb:.0f} MB ({_names(r)})"]
            lines.append("slowest runs: " + "; ".join(f"{s.wall:.1f} s ({_names(s)})"
                                                      for s in sorted(self.runs, key=lambda r: -r.wall)[:3]))
        lines += ["", "FAILED" if self.failures else "ok: no failures"]
        return "\n".join(lines)

    def _family_of(self, run: RunSummary) -> str:
        return run.cases[0].split("/", 1)[0] if run.cases else "?"


def _names(run: RunSummary) -> str:
    return run.cases[0] if len(run.cases) == 1 else f"a batch of {len(run.cases)}: {run.cases[0]}, ..."


def _run_json(r: RunSummary) -> dict:
    return {"cases": list(r.cases), "rss_mb": round(r.rss_mb, 1), "wall": round(r.wall, 2), "exit": r.exit,
            "timed_out": r.timed_out, "inputs": r.inputs}


def campaign(cases: list, settings: Settings, *, seed: int, budget: str, families: list, batch: bool = True,
             progress: Optional[Callable[[str], None]] = None, reproduce: str = "") -> Report:
    """Run ``cases`` on ``settings.workers`` processes and report."""
    import concurrent.futures as cf
    import multiprocessing

    started = time.monotonic()
    own_tmp = settings.tmp is None
    if own_tmp:
        settings.tmp = tempfile.mkdtemp(prefix="macrolint-fuzz-")
    report = Report(seed, budget, families, reproduce=reproduce)
    order = {c.id: i for i, c in enumerate(cases)}
    try:
        prepare(settings)
        units = plan(cases, batch)
        done = 0
        last = time.monotonic()

        def collect(outcomes: list, runs: list) -> None:
            nonlocal done, last
            report.outcomes += outcomes
            report.runs += runs
            done += len(outcomes)
            for o in outcomes:
                if o.failed and progress:
                    progress(f"FAIL {o.id}: " + "; ".join(map(str, o.failures))[:300])
            if progress and time.monotonic() - last > 5:
                last = time.monotonic()
                progress(f"... {done}/{len(cases)} cases, {len(report.failures)} failed, {last - started:.0f} s")

        if settings.workers <= 1:
            _init_worker(settings)
            for unit in units:
                collect(*_work(unit))
        else:
            ctx = multiprocessing.get_context("spawn")
            with cf.ProcessPoolExecutor(settings.workers, mp_context=ctx, initializer=_init_worker,
                                        initargs=(settings,)) as pool:
                # the biggest units first, so a long one does not start last
                futures = [pool.submit(_work, u) for u in sorted(units, key=lambda u: -max(c.timeout or 0 for c in u))]
                for fut in cf.as_completed(futures):
                    collect(*fut.result())
    finally:
        if own_tmp:
            remove_tree(Path(settings.tmp))
            settings.tmp = None
    report.outcomes.sort(key=lambda o: order.get(o.id, 0))
    report.seconds = time.monotonic() - started
    return report


# --- keeping failing inputs -----------------------------------------------------------------

def keep(report: Report, cases: dict, folder: Path, settings: Settings) -> list[Path]:
    """Lay out every failing case under ``folder/<family>/<name>/`` as its run saw it (the files,
    the canary, and a corrupted cache when the case has one), with ``REPRODUCE.txt``."""
    kept = []
    for o in report.failures:
        group = [cases[i] for i in o.group] if o.group else [cases[o.id]]
        dest = folder / o.family / o.name.replace("/", "__")
        if dest.exists():
            remove_tree(dest)
        run = RunDirs(dest)
        members = layout(group)
        run.make()
        for m in members:
            write_entries(run.files / m.prefix if m.prefix else run.files, m.case, run)
        if group[0].cache is not None:
            if settings.template_cache and Path(settings.template_cache).is_dir():
                shutil.copytree(settings.template_cache, run.cache, dirs_exist_ok=True)
            corrupt_cache(run.cache, group[0].cache[0], group[0].cache[1], run.marker)
        if group[0].git:
            _git_commit(run.files, CANARY_NAME)
        argv = command(members, Settings(python="python"), run)
        cache = run.cache if group[0].cache is not None else "<any cache folder>"
        text = [f"case: {o.id}", "failures: " + "; ".join(map(str, o.failures)),
                f"reproduce: {report.repro(o)}", "",
                "or by hand:", f"  cd {run.files}",
                f"  MACROLINT_CACHE_DIR={cache} " + " ".join(_quote(a) for a in argv)]
        if isinstance(group[0].stdin, bytes):
            (run.out / "stdin").write_bytes(group[0].stdin)
            text[-1] += f" < {run.out / 'stdin'}"
        elif group[0].stdin == "closed":
            text[-1] += " <&-"
        if group[0].unprivileged:
            text.append("  (not as root, whom file permissions do not stop; or as root without the capabilities that\n"
                        "   bypass them: setpriv --inh-caps=-dac_override,-dac_read_search "
                        "--bounding-set=-dac_override,-dac_read_search -- ...)")
        if o.run is not None:
            text += ["", f"exit {o.run.exit}, {o.run.wall:.1f} s, {o.run.rss_mb:.0f} MB", "stderr (tail):", o.run.stderr_tail]
        (dest / "REPRODUCE.txt").write_text("\n".join(text) + "\n", encoding="utf-8", errors="replace")
        kept.append(dest)
    return kept


def _quote(arg) -> str:
    import shlex

    if isinstance(arg, bytes):
        return "$'" + "".join(f"\\x{b:02x}" if b > 126 or b < 32 or b in b"'\\" else chr(b) for b in arg) + "'"
    return shlex.quote(arg)
