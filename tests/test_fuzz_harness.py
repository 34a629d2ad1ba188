"""The fuzz harness itself (bench/fuzzlib): its cases are well formed and the same for a seed, and
its checker catches every kind of failure it claims to, shown on planted results rather than
on macrolint (tests/test_fuzz.py runs the campaign)."""
from __future__ import annotations

import os
import pickle
import sys

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from fuzzlib import checks, generators, runner  # noqa: E402
from fuzzlib.cases import (  # noqa: E402
    CANARY_NAME,
    EITHER,
    LINT,
    REFUSE,
    Case,
    Fifo,
    Link,
    RunDirs,
    write_entries,
)
from fuzzlib.checks import Member, Run, evaluate, root_cause  # noqa: E402

CANARY_DIAGS = [{"path": "./canary.txt", "rule": "RB002"}, {"path": "./canary.txt", "rule": "RB001"}]


def report(diags) -> bytes:
    import json

    return json.dumps({"version": 1, "diagnostics": diags}).encode()


def run(**kw) -> Run:
    base = dict(argv=["python", "-m", "macrolint", "check", ".", "--format", "json"], exit=1, timed_out=False,
                stdout=report(CANARY_DIAGS), stderr=b"", rss_mb=40.0, wall=0.2, inputs=100)
    base.update(kw)
    return Run(**base)


def kinds(verdict) -> set[str]:
    return {f.kind for f in verdict.whole} | {f.kind for fs in verdict.pinned.values() for f in fs}


CASE = Case("t", "reply", {"reply.txt": b"The system says so."})
LOUD = Case("t", "loud", {"reply.txt": b"The system says so."}, loud=("reply.txt",))

TRACEBACK = b"""Traceback (most recent call last):
  File "/venv/lib/python3.11/site-packages/macrolint/cli.py", line 206, in _run
    for path, skipped, diagnostics in lint_files(linter, files, input_format, jobs):
  File "/venv/lib/python3.11/site-packages/macrolint/readers/__init__.py", line 63, in sniff
    json.loads(raw)
  File "/usr/lib/python3.11/json/decoder.py", line 353, in raw_decode
    obj, end = self.scan_once(s, idx)
RecursionError: maximum recursion depth exceeded while decoding a JSON array from a unicode string
"""

POOL_TRACEBACK = b'''concurrent.futures.process._RemoteTraceback: 
"""
Traceback (most recent call last):
  File "/usr/lib/python3.11/concurrent/futures/process.py", line 256, in _process_worker
    r = call_item.fn(*call_item.args, **call_item.kwargs)
  File "/w/macrolint/parallel.py", line 42, in _lint_chunk
    out.append((path, None, _WORKER.lint_source(source)))
  File "/w/macrolint/suppressions.py", line 106, in _block_end
    key = lines[key_line - 1]
IndexError: list index out of range
"""

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/w/macrolint/cli.py", line 206, in _run
    for path, skipped, diagnostics in lint_files(linter, files, input_format, jobs):
  File "/usr/lib/python3.11/concurrent/futures/_base.py", line 401, in __get_result
    raise self._exception
IndexError: list index out of range
'''


# --- the checker catches each kind of failure -------------------------------------------------

def test_a_clean_run_passes():
    diags = CANARY_DIAGS + [{"path": "./c00/reply.txt", "rule": "BL001"}]
    assert not evaluate(run(stdout=report(diags)), [Member(CASE, "c00")])


def test_a_traceback_is_caught_and_traced_to_its_last_frame():
    v = evaluate(run(stderr=TRACEBACK, stdout=b""), [Member(CASE)])
    assert kinds(v) == {"traceback"}
    cause = v.whole[0].cause
    assert cause.key == "json/decoder.py:raw_decode RecursionError"
    assert cause.via == "macrolint/readers/__init__.py:sniff"


def test_a_crash_in_a_pool_worker_is_traced_to_the_worker():
    cause = root_cause(POOL_TRACEBACK.decode())
    assert cause.key == "macrolint/suppressions.py:_block_end IndexError"


def test_an_exception_click_swallowed_is_traced_to_its_cause():
    text = ('Traceback (most recent call last):\n  File "/w/macrolint/cache.py", line 217, in load\n    x\n'
            "EOFError: EOF read where object expected\n\nThe above exception was the direct cause of the following "
            'exception:\n\nTraceback (most recent call last):\n  File "/v/site-packages/click/core.py", line 1594, in main\n'
            "    raise Abort() from e\nclick.exceptions.Abort\n")
    assert root_cause(text).key == "macrolint/cache.py:load EOFError"


def test_a_timeout_is_traced_to_where_it_hung():
    dump = ("Fatal Python error: Aborted\n\nCurrent thread 0x00007f (most recent call first):\n"
            '  File "/usr/lib/python3.11/re/__init__.py", line 20 in match\n'
            '  File "/v/site-packages/macrolint/fuzzy.py", line 120 in _near\n'
            '  File "/v/site-packages/macrolint/engine.py", line 300 in scan\n')
    v = evaluate(run(timed_out=True, exit=-6, stdout=b"", stderr=dump.encode()), [Member(CASE)])
    (f,) = v.whole
    assert f.kind == "timeout" and f.cause.key == "macrolint/fuzzy.py:_near Timeout" and f.cause.via == "re/__init__.py:match"


def test_clicks_aborted_is_a_crash():
    assert kinds(evaluate(run(stderr=b"\nAborted!\n", stdout=b""), [Member(CASE)])) == {"aborted"}


@pytest.mark.parametrize("code", [-11, 3, 120, None])
def test_an_exit_code_other_than_0_1_2_is_caught(code):
    assert "exit-code" in kinds(evaluate(run(exit=code), [Member(CASE)]))


def test_a_missing_canary_is_caught():
    diags = [{"path": "./c00/reply.txt", "rule": "BL001"}]
    assert kinds(evaluate(run(stdout=report(diags)), [Member(CASE, "c00")])) == {"canary-missing"}


def test_a_canary_linted_but_under_another_rule_is_missing():
    diags = [{"path": "./canary.txt", "rule": "BL001"}, {"path": "./reply.txt", "rule": "BL001"}]
    assert kinds(evaluate(run(stdout=report(diags)), [Member(CASE)])) == {"canary-missing"}


def test_a_timeout_is_caught():
    assert kinds(evaluate(run(timed_out=True, exit=-9, stdout=b""), [Member(CASE)])) == {"timeout"}


def test_memory_is_judged_only_for_small_inputs():
    assert kinds(evaluate(run(rss_mb=700.0), [Member(CASE)])) == {"rss"}
    assert not evaluate(run(rss_mb=700.0, inputs=2_000_000), [Member(CASE)])


def test_an_internal_error_diagnostic_is_pinned_on_its_case():
    other = Case("t", "other", {"r.txt": b"x"})
    diags = CANARY_DIAGS + [{"path": "./c00/reply.txt", "rule": "BL001"},
                            {"path": "./c01/r.txt", "rule": "IO900", "message": "internal error: boom"}]
    v = evaluate(run(stdout=report(diags)), [Member(CASE, "c00"), Member(other, "c01")])
    assert not v.whole and [f.kind for f in v.pinned[other.id]] == ["internal-error"] and not v.pinned[CASE.id]


def test_an_internal_error_in_another_format_is_caught():
    out = b"canary.txt:1:1: RB002 [robotic] x\nr.txt:1:1: IO900 [input] internal error\n"
    v = evaluate(run(argv=["check", ".", "--format", "concise"], fmt="concise", stdout=out), [Member(CASE)])
    assert kinds(v) == {"internal-error"}


def test_the_marker_file_is_caught():
    assert "code-executed" in kinds(evaluate(run(marker=True), [Member(CASE)]))


def test_a_report_that_does_not_parse_is_caught():
    assert kinds(evaluate(run(stdout=b'{"version": 1, "diagn'), [Member(CASE)])) == {"bad-output"}
    assert kinds(evaluate(run(stdout=report(CANARY_DIAGS)[:-1] + b"\xff}"), [Member(CASE)])) == {"bad-output"}
    sarif = run(argv=["check", "--format", "sarif"], fmt="sarif", stdout=b"[canary.txt RB002")
    assert kinds(evaluate(sarif, [Member(CASE)])) == {"bad-output"}
    junit = run(argv=["check", "--format", "junit"], fmt="junit", stdout=b"<testsuite>canary.txt RB002")
    assert kinds(evaluate(junit, [Member(CASE)])) == {"bad-output"}


def test_a_silent_file_is_lost():
    v = evaluate(run(), [Member(LOUD, "c00"), Member(CASE, "c01")])
    assert [f.kind for f in v.pinned[LOUD.id]] == ["lost-file"] and not v.whole and not v.pinned[CASE.id]
    diags = CANARY_DIAGS + [{"path": "./c00/reply.txt", "rule": "IO001"}]
    assert not evaluate(run(stdout=report(diags)), [Member(LOUD, "c00")])  # an input diagnostic is enough
    diags = CANARY_DIAGS + [{"path": "reply.txt", "rule": "BL001"}]
    assert not evaluate(run(stdout=report(diags)), [Member(LOUD)])
    skipped = b"./c00/reply.txt: skipped: no known shape of macros or articles\n"
    assert not evaluate(run(stderr=skipped), [Member(LOUD, "c00")])  # -v lists it as not linted


def test_refusals_must_exit_2_and_name_the_culprit():
    bad = Case("packs", "bad", expect=REFUSE, mention="evilpack")
    named = b"macrolint: error: invalid rule packs or config:\n/tmp/x/evilpack/pack.yaml:1: invalid YAML\n"
    assert not evaluate(run(exit=2, stdout=b"", stderr=named), [Member(bad)])
    assert kinds(evaluate(run(exit=2, stdout=b"", stderr=b"macrolint: error: invalid\n"), [Member(bad)])) == {"unclear-error"}
    assert kinds(evaluate(run(exit=2, stdout=b"", stderr=b""), [Member(bad)])) == {"unclear-error"}
    assert kinds(evaluate(run(), [Member(bad)])) == {"not-refused"}
    either = Case("packs", "either", expect=EITHER, mention="evilpack")
    assert not evaluate(run(), [Member(either)]) and not evaluate(run(exit=2, stderr=named, stdout=b""), [Member(either)])


def test_exit_2_where_files_should_be_linted_loses_the_canary():
    v = evaluate(run(exit=2, stdout=b"", stderr=b"Usage: x\n\nError: Path 'a' is not readable.\n"), [Member(CASE)])
    assert kinds(v) == {"canary-missing"} and "not readable" in v.whole[0].detail


# --- splitting a failed batch -----------------------------------------------------------------

def test_a_failed_batch_is_split_until_the_culprit_runs_alone(monkeypatch):
    cases = [Case("t", f"c{i}", {"r.txt": b"x"}) for i in range(8)]
    calls = []

    def fake_execute(group, settings, cache):
        calls.append([c.name for c in group])
        crash = any(c.name == "c5" for c in group)
        return run(stderr=TRACEBACK if crash else b"", stdout=b"" if crash else report(CANARY_DIAGS),
                   cases=tuple(c.id for c in group))

    monkeypatch.setattr(runner, "execute", fake_execute)
    outcomes, runs = runner.check_group(cases, runner.Settings(), None)
    assert [o.name for o in outcomes if o.failed] == ["c5"]
    assert ["c5"] in calls and len(runs) == len(calls) <= 7


def test_a_failure_of_cases_only_together_is_reported_as_such(monkeypatch):
    cases = [Case("t", f"c{i}", {"r.txt": b"x"}) for i in range(4)]

    def fake_execute(group, settings, cache):
        crash = len(group) == 4
        return run(stderr=TRACEBACK if crash else b"", stdout=b"" if crash else report(CANARY_DIAGS))

    monkeypatch.setattr(runner, "execute", fake_execute)
    outcomes, _ = runner.check_group(cases, runner.Settings(), None)
    (failed,) = [o for o in outcomes if o.failed]
    assert failed.failures[0].kind == "batch-only" and len(failed.group) == 4


def test_a_timed_out_batch_is_rerun_case_by_case(monkeypatch):
    cases = [Case("t", f"c{i}", {"r.txt": b"x"}) for i in range(4)]
    sizes = []

    def fake_execute(group, settings, cache):
        sizes.append(len(group))
        hang = any(c.name == "c2" for c in group)
        return run(timed_out=hang, exit=-9 if hang else 1)

    monkeypatch.setattr(runner, "execute", fake_execute)
    outcomes, _ = runner.check_group(cases, runner.Settings(), None)
    assert [o.name for o in outcomes if o.failed] == ["c2"] and sizes == [4, 1, 1, 1, 1]


def test_batches_keep_under_a_megabyte_so_memory_is_judged():
    cases = [Case("structure", f"c{i}", {"r.txt": b"x" * 400_000}) for i in range(5)]
    assert [len(u) for u in runner.plan(cases)] == [2, 2, 1]


# --- running a real process -------------------------------------------------------------------

@pytest.mark.slow
def test_spawn_measures_peak_rss_and_kills_on_timeout(tmp_path):
    code, timed_out, rss, _ = runner.spawn([sys.executable, "-c", "b = bytearray(300 * 2**20); b[::4096] = b'x' * len(b[::4096])"],
                                           tmp_path, dict(os.environ), tmp_path, None, 60, 2048)
    assert (code, timed_out) == (0, False) and rss >= 300
    code, timed_out, _, wall = runner.spawn([sys.executable, "-c", "import time; time.sleep(60)"], tmp_path,
                                            {**os.environ, "PYTHONFAULTHANDLER": "1"}, tmp_path, None, 0.5, 2048)
    assert timed_out and code < 0 and wall < 10
    # it was asked where it hung before it was killed
    assert checks.hang_site((tmp_path / "stderr").read_text()).frame == "<string>:<module>"


def test_spawn_caps_memory(tmp_path):
    code, _, _, _ = runner.spawn([sys.executable, "-c", "b = bytearray(900 * 2**20)"], tmp_path, dict(os.environ),
                                 tmp_path, None, 60, 512)
    assert code == 1 and b"MemoryError" in (tmp_path / "stderr").read_bytes()


def test_spawn_can_close_standard_input(tmp_path):
    code, _, _, _ = runner.spawn([sys.executable, "-c", "import sys; sys.exit(7 if sys.stdin is None else 0)"],
                                 tmp_path, dict(os.environ), tmp_path, "closed", 60, 2048)
    assert code == 7


def test_the_malicious_pickle_really_runs_code(tmp_path):
    """What the cache family plants is live: unpickled, it creates the marker."""
    marker = tmp_path / "marker"
    pickle.loads(runner.malicious_pickle(marker))
    assert marker.exists()


def test_special_files_are_laid_out(tmp_path):
    case = Case("special", "x", {"f.txt": Fifo(), "z.txt": Link("/dev/zero"), b"r\xe9.txt": b"hi", "d/r.txt": b"@ROOT@"})
    run_dirs = RunDirs(tmp_path)
    run_dirs.make()
    write_entries(run_dirs.files, case, run_dirs)
    import stat

    assert stat.S_ISFIFO(os.lstat(run_dirs.files / "f.txt").st_mode)
    assert os.readlink(run_dirs.files / "z.txt") == "/dev/zero"
    assert os.path.exists(os.path.join(bytes(run_dirs.files), b"r\xe9.txt"))
    assert (run_dirs.files / "d" / "r.txt").read_text() == str(run_dirs.files)
    assert (run_dirs.files / CANARY_NAME).is_file()


# --- generators -------------------------------------------------------------------------------

def test_every_family_has_core_cases_and_names_are_unique():
    cases = generators.generate(list(generators.FAMILIES), 1, "core")
    assert {c.family for c in cases} == set(generators.FAMILIES)
    assert all(c.core for c in cases)
    ids = [c.id for c in cases]
    assert len(ids) == len(set(ids))


def test_cases_are_the_same_for_a_seed_and_a_short_case_is_a_long_case():
    first = generators.generate(["mutations", "encodings"], 7, "short")
    again = generators.generate(["mutations", "encodings"], 7, "short")
    assert [(c.id, c.files) for c in first] == [(c.id, c.files) for c in again]
    long = {c.id: c.files for c in generators.generate(["mutations"], 7, "long")}
    assert all(long[c.id] == c.files for c in first if c.family == "mutations")
    other = generators.generate(["mutations"], 8, "short")
    assert [c.files for c in other] != [c.files for c in first if c.family == "mutations"]


def test_every_fixture_is_mutated_and_no_companion_is():
    names = {rel for rel, _ in generators.fixture_files()}
    assert not any(n.endswith(generators.COMPANIONS) for n in names)
    ops = sorted((op for op, _ in generators.MUTATORS), key=len, reverse=True)  # "huge-run" before "huge"

    def fixture_of(name: str) -> str:
        rest = name.split("-", 1)[1]
        op = next(op for op in ops if rest.startswith(op + "-"))
        return rest[len(op) + 1:]

    mutated = {fixture_of(c.name) for c in generators.generate(["mutations"], 1, "short")}
    assert {n[len("generic/"):] if n.startswith("generic/") else n for n in names} <= {
        m[len("generic/"):] if m.startswith("generic/") else m for m in mutated}


def test_every_mutator_and_transform_is_used_in_the_short_budget():
    names = [c.name for c in generators.generate(["mutations", "encodings"], 1, "short")]
    for op, _ in generators.MUTATORS:
        assert any(f"-{op}-" in n for n in names), op
    for t in (*generators.TRANSFORMS, *generators.SURROGATES):
        assert any(n.startswith(t + ":") for n in names), t


def test_the_long_budget_is_thousands_of_cases():
    assert len(generators.generate(list(generators.FAMILIES), 1, "long")) >= 3000


def test_encoded_files_still_hold_their_phrase():
    """The lost-file check relies on it: the phrase is in every encoded file, in some encoding."""
    for case in generators.generate(["encodings"], 1, "short"):
        (data,) = case.files.values()
        forms = [" system says ".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")]
        assert any(f in data for f in forms), case.id


def test_expectations_are_known_values():
    for case in generators.generate(list(generators.FAMILIES), 1, "short"):
        assert case.expect in (LINT, REFUSE, EITHER), case.id
        assert case.expect == LINT or case.solo(), case.id  # a refusal stops the whole run
