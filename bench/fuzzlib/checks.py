"""What counts as a failure of a run, and the root cause of a traceback.

``evaluate(run, members)`` looks at one finished command line (``Run``) that linted the cases in
``members`` (each in its own subfolder, or one case at the top) and returns the failures it
shows: those of the run as a whole (a traceback, a missing canary: which case caused them is
found by running fewer cases), and those it can pin on one case (an IO900 diagnostic under its
folder, one of its files that went silent).
"""
from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Optional

from .cases import CANARY_NAME, CANARY_RULES, LINT, REFUSE, Case

RSS_LIMIT_MB = 500
SMALL_INPUT = 1_000_000  # bytes: over this, memory is not judged
INTERNAL_ERROR = "IO900"
INPUT_RULES = ("IO001", "IO002", "IO003")
TRACEBACK = "Traceback (most recent call last)"

KINDS = {
    "traceback": "a Python traceback on standard output or error",
    "aborted": "click's \"Aborted!\": an EOFError or KeyboardInterrupt escaped, a crash without a traceback",
    "exit-code": "an exit code other than 0, 1 or 2, or killed by a signal",
    "timeout": "still running when its time ran out",
    "canary-missing": "the canary's findings are not in the report",
    "rss": f"peak RSS over {RSS_LIMIT_MB} MB for under 1 MB of input",
    "internal-error": f"an {INTERNAL_ERROR} diagnostic: a crash the run caught",
    "code-executed": "a payload (cache pickle, YAML tag, argument) created the marker file",
    "bad-output": "the report does not parse in its format",
    "lost-file": "a file with script-speak got no finding or input diagnostic, and -v did not list it as skipped",
    "not-refused": "an invalid pack, config or argument was accepted without exit 2",
    "unclear-error": "exit 2 without an error message naming the culprit",
    "batch-only": "a batch failed though none of its cases fails alone",
}


@dataclass
class Run:
    """What one command line did."""

    argv: list
    exit: Optional[int]  # negative: killed by that signal
    timed_out: bool
    stdout: bytes
    stderr: bytes
    rss_mb: float
    wall: float
    inputs: int  # bytes of input the cases brought
    fmt: str = "json"
    output: Optional[bytes] = None  # the report, when it went to a file
    marker: bool = False  # the marker file exists
    cases: tuple = ()  # ids of the cases it ran

    def report(self) -> bytes:
        return self.output if self.output is not None else self.stdout


@dataclass
class Failure:
    kind: str
    detail: str = ""
    cause: Optional["Cause"] = None

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}" if self.detail else self.kind


@dataclass
class Member:
    """A case in a run, and the folder (relative to the run's files folder) its files are in."""

    case: Case
    prefix: str = ""

    def path(self, rel) -> str:
        rel = rel.decode("utf-8", "surrogateescape") if isinstance(rel, bytes) else rel
        return os.path.normpath(os.path.join(self.prefix, rel))


@dataclass
class Verdict:
    """The failures of a run: of the whole run, and pinned on single cases (by case id)."""

    whole: list = field(default_factory=list)
    pinned: dict = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.whole or any(self.pinned.values()))


# --- tracebacks -----------------------------------------------------------------------------

_FRAME = re.compile(r'^\s*File "(?P<file>.+?)", line (?P<line>\d+), in (?P<func>.+?)\s*$', re.M)
_EXC = re.compile(r"^(?P<type>[A-Za-z_][\w.]*)(?::\s?(?P<message>.*))?$")
_POOL = ("concurrent/futures/", "multiprocessing/")


@dataclass(frozen=True)
class Cause:
    """Where a traceback ends: the last frame, the exception, and the last frame in macrolint."""

    frame: str  # file:function
    exception: str
    message: str = ""
    via: str = ""  # the last frame inside macrolint, when the last frame is not

    @property
    def key(self) -> str:
        return f"{self.frame} {self.exception}"

    def __str__(self) -> str:
        via = f" (via {self.via})" if self.via and self.via != self.frame else ""
        return f"{self.key}{via}"


def short_path(path: str) -> str:
    """A frame's file, from the package down: ``macrolint/readers/jsonscan.py``, ``json/decoder.py``."""
    path = path.replace("\\", "/")
    for marker in ("/macrolint/", "/site-packages/", "/dist-packages/"):
        i = path.rfind(marker)
        if i >= 0:
            return ("macrolint/" if marker == "/macrolint/" else "") + path[i + len(marker):]
    m = re.search(r"/lib/python3\.\d+/(.+)$", path)
    return m.group(1) if m else path


def _blocks(text: str) -> list[tuple[list[tuple[str, str]], str, str]]:
    """``(frames, exception type, message)`` of each traceback in ``text``, in order."""
    out = []
    parts = text.split(TRACEBACK)
    for part in parts[1:]:
        frames = [(short_path(m["file"]), m["func"]) for m in _FRAME.finditer(part)]
        exc_type, message = "?", ""
        for line in part.splitlines()[1:]:
            if not line or line[0].isspace() or line.startswith(("During handling", "The above exception")):
                continue
            m = _EXC.match(line)
            if m:
                exc_type, message = m["type"], (m["message"] or "").strip()
                break
        out.append((frames, exc_type, message))
    return out


def root_cause(text: str) -> Optional[Cause]:
    """The cause of the last traceback in ``text``; a failure in a worker of a process pool is
    traced to the worker's own traceback, printed before the pool's."""
    blocks = [b for b in _blocks(text) if b[0]]
    if not blocks:
        return None
    chosen = blocks[-1]
    # a pool re-raises a worker's exception, click turns EOFError into Abort: the cause is the block before
    if len(blocks) > 1 and (chosen[0][-1][0].startswith(_POOL) or chosen[1].endswith(".Abort")):
        chosen = blocks[-2]
    frames, exc_type, message = chosen
    file, func = frames[-1]
    via = next((f"{f}:{fn}" for f, fn in reversed(frames) if f.startswith("macrolint/")), "")
    return Cause(f"{file}:{func}", exc_type.rsplit(".", 1)[-1], message[:200], via)


_DUMP_FRAME = re.compile(r'^\s*File "(?P<file>.+?)", line (?P<line>\d+) in (?P<func>.+?)\s*$', re.M)


def hang_site(text: str) -> Optional[Cause]:
    """Where a process stopped for running out of time was, from faulthandler's dump (innermost
    frame first): its innermost frame in macrolint, or its innermost frame."""
    i = text.find("(most recent call first)")
    if i < 0:
        return None
    frames = [(short_path(m["file"]), m["func"]) for m in _DUMP_FRAME.finditer(text, i)]
    if not frames:
        return None
    inner = f"{frames[0][0]}:{frames[0][1]}"
    mine = next((f"{f}:{fn}" for f, fn in frames if f.startswith("macrolint/")), inner)
    return Cause(mine, "Timeout", "", inner)


# --- reports --------------------------------------------------------------------------------

def parse_report(fmt: str, data: bytes) -> tuple[Optional[list], Optional[str]]:
    """``(diagnostics as dicts or None, problem or None)``: JSON reports give diagnostics; every
    other machine format is only checked to parse."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, f"not UTF-8 ({exc.reason} at byte {exc.start})"
    try:
        if fmt == "json":
            doc = json.loads(text)
            if not isinstance(doc, dict) or not isinstance(doc.get("diagnostics"), list):
                return None, "no diagnostics list"
            return doc["diagnostics"], None
        if fmt == "json-lines":
            return [json.loads(line) for line in text.splitlines() if line.strip()], None
        if fmt == "sarif":
            doc = json.loads(text)
            if doc.get("version") != "2.1.0" or not isinstance(doc.get("runs"), list):
                return None, "not SARIF 2.1.0"
        elif fmt == "gitlab":
            if not isinstance(json.loads(text), list):
                return None, "not a list of issues"
        elif fmt == "junit":
            ET.fromstring(text)
        elif fmt == "github":
            bad = [line for line in text.splitlines() if line and not line.startswith("::")]
            if bad:
                return None, f"a line that is not a workflow command: {bad[0][:80]!r}"
    except (ValueError, ET.ParseError) as exc:
        return None, f"does not parse: {exc}"[:200]
    return None, None


def output_format(argv) -> str:
    """What the run's report is: a ``--format``, or what ``--write-baseline`` (the baseline file),
    ``--diff`` and ``--statistics`` print instead."""
    for special in ("--write-baseline", "--diff", "--statistics"):
        if special in argv:
            return special[2:]
    fmt = "text"
    for i, arg in enumerate(argv):
        if arg == "--format" and i + 1 < len(argv):
            fmt = argv[i + 1]
        elif isinstance(arg, str) and arg.startswith("--format="):
            fmt = arg.split("=", 1)[1]
    return fmt


def _names_canary(fmt: str, diags: Optional[list], report: bytes) -> bool:
    if diags is not None:
        return any(os.path.basename(str(d.get("path", ""))) == CANARY_NAME and d.get("rule") in CANARY_RULES
                   for d in diags if isinstance(d, dict))
    named = CANARY_NAME.encode() in report
    ruled = any(r.encode() in report for r in CANARY_RULES)
    return {"diff": named, "statistics": ruled}.get(fmt, named and ruled)


# --- the verdict ----------------------------------------------------------------------------

def evaluate(run: Run, members: list) -> Verdict:
    v = Verdict(pinned={m.case.id: [] for m in members})
    out, err = run.stdout.decode("utf-8", "replace"), run.stderr.decode("utf-8", "replace")
    if run.marker:
        v.whole.append(Failure("code-executed", "the marker file was created"))
    if run.timed_out:
        cause = hang_site(err)
        v.whole.append(Failure("timeout", f"after {run.wall:.0f} s" + (f", in {cause.frame}" if cause else ""), cause))
        return v
    if run.exit is None or run.exit not in (0, 1, 2):
        detail = f"signal {-run.exit}" if run.exit is not None and run.exit < 0 else f"exit {run.exit}"
        if "Fatal Python error" in err:  # faulthandler's report of a crash in C
            detail += " (" + err[err.index("Fatal Python error"):].splitlines()[0] + ")"
        v.whole.append(Failure("exit-code", detail))
    for where, text in (("stderr", err), ("stdout", out)):
        if TRACEBACK in text:
            cause = root_cause(text)
            v.whole.append(Failure("traceback", f"on {where}: {cause}" if cause else f"on {where}", cause))
            break
    else:
        if err.rstrip().endswith("Aborted!"):
            v.whole.append(Failure("aborted", f"exit {run.exit}"))
    if run.rss_mb > RSS_LIMIT_MB and run.inputs < SMALL_INPUT:
        v.whole.append(Failure("rss", f"{run.rss_mb:.0f} MB for {run.inputs / 1e3:.0f} KB of input"))
    if any(f.kind in ("traceback", "aborted", "exit-code") for f in v.whole):
        return v  # the rest follows from the crash

    expects = {m.case.expect for m in members}
    refused = run.exit == 2
    if refused:
        message = err.strip()
        mentions = [m.case.mention for m in members if m.case.mention]
        if LINT in expects:
            v.whole.append(Failure("canary-missing", f"exit 2: {_error_line(message)}"))
        elif "error" not in message.lower():
            v.whole.append(Failure("unclear-error", "exit 2 without an error message"))
        elif mentions and not any(m in message for m in mentions):
            v.whole.append(Failure("unclear-error", f"the message does not name {mentions[0]!r}: {message[:160]!r}"))
        return v
    if REFUSE in expects:
        v.whole.append(Failure("not-refused", f"exit {run.exit} where exit 2 and an error were expected"))
        return v

    report = run.report()
    diags, problem = parse_report(run.fmt, report)
    if problem:
        v.whole.append(Failure("bad-output", f"--format {run.fmt}: {problem}"))
        return v
    if not _names_canary(run.fmt, diags, report):
        v.whole.append(Failure("canary-missing", f"exit {run.exit}"))
    if diags is None:
        if INTERNAL_ERROR.encode() in report:
            v.whole.append(Failure("internal-error", f"{INTERNAL_ERROR} in the report"))
        return v
    by_path: dict[str, list] = {}
    for d in diags:
        if isinstance(d, dict):
            by_path.setdefault(os.path.normpath(str(d.get("path", ""))), []).append(d)
    # data files of no known shape are not linted, and -v lists them: they are not lost; nor are
    # the files of a folder that could not be listed, when that folder has its input diagnostic
    skipped = {os.path.normpath(m[1]) for m in _SKIPPED.finditer(err)}
    unlisted = [p for p, ds in by_path.items() if any(str(d.get("rule", "")).startswith("IO") for d in ds)]
    for m in members:
        mine = [d for p, ds in by_path.items() if _under(p, m.prefix) for d in ds]
        for d in mine:
            if d.get("rule") == INTERNAL_ERROR:
                v.pinned[m.case.id].append(Failure("internal-error", f"{d.get('path')}: {d.get('message', '')[:160]}"))
        for rel in m.case.loud:
            if not by_path.get(m.path(rel)) and m.path(rel) not in skipped \
                    and not any(_under(m.path(rel), folder) for folder in unlisted):
                v.pinned[m.case.id].append(Failure("lost-file", f"{rel}: no finding, no input diagnostic, not listed as skipped"))
    unpinned = [d for p, ds in by_path.items() for d in ds if d.get("rule") == INTERNAL_ERROR
                and not any(_under(p, m.prefix) for m in members if m.prefix)]
    if unpinned:
        v.whole.append(Failure("internal-error", f"{unpinned[0].get('path')}: {unpinned[0].get('message', '')[:160]}"))
    return v


_SKIPPED = re.compile(r"^(.*): skipped: ", re.M)


def _error_line(message: str) -> str:
    """The line of an error message that says what went wrong (click puts a usage line first)."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    if not lines:
        return "no message"
    return next((line for line in lines if "error" in line.lower()), lines[-1])[:160]


def _under(path: str, prefix: str) -> bool:
    return not prefix or path == prefix or path.startswith(prefix + os.sep)
