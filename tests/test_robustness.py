"""One bad file never ends the run: every crash a hostile or broken input used to cause is a
diagnostic for that file, the other files are still reported, and an error of macrolint's own
is ``IO900`` with exit code 2."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from macrolint import readers
from macrolint.cli import main
from tests.conftest import shared_linter

CANARY = "Please be advised that we apologize for any inconvenience.\n"
LINTER = shared_linter()


def run_cli(args: list[str], cwd: Path, stdin=None, timeout: float = 60) -> subprocess.CompletedProcess:
    """The installed command in a child process (special files, signals and stdin need one)."""
    return subprocess.run([sys.executable, "-m", "macrolint", *args], cwd=cwd, capture_output=True, text=True,
                          stdin=stdin, timeout=timeout)


def rules_by_file(stdout: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for d in json.loads(stdout)["diagnostics"]:
        out.setdefault(Path(d["path"]).name, set()).add(d["rule"])
    return out


@pytest.fixture
def canary(tmp_path) -> Path:
    (tmp_path / "canary.txt").write_text(CANARY, encoding="utf-8")
    return tmp_path


def test_an_error_of_ours_is_io900_for_that_file_and_the_run_goes_on(canary, monkeypatch):
    """A reader that raises (a bug) gives one IO900 naming the exception for that file; every
    other file is reported, with one process or several, and the exit code is 2 even with
    --exit-zero, so CI cannot take it for findings."""
    real = readers.READERS["text"]

    def fragile(raw):
        if "BOOM" in raw:
            raise ZeroDivisionError("a reader bug")
        return real(raw)

    monkeypatch.setattr(readers, "READERS", {**readers.READERS, "text": fragile})
    (canary / "boom.txt").write_text("BOOM\n", encoding="utf-8")
    for n in range(70):  # enough files for a parallel run
        (canary / f"other-{n:02}.txt").write_text(CANARY, encoding="utf-8")
    monkeypatch.chdir(canary)
    for args in (["-j", "1"], ["-j", "2"], ["-j", "2", "--exit-zero"]):
        result = CliRunner().invoke(main, ["check", ".", "--format", "json", *args])
        assert result.exit_code == 2, (args, result.output)
        found = rules_by_file(result.stdout)
        assert found["boom.txt"] == {"IO900"} and len(found) == 72
        assert found["canary.txt"] == found["other-00.txt"] == {"RB001", "RB002"}
        (io900,) = [d for d in json.loads(result.stdout)["diagnostics"] if d["rule"] == "IO900"]
        assert "ZeroDivisionError" in io900["message"] and "please report" in io900["message"].lower()


def test_io900_when_fixing_one_file_leaves_the_others_fixed(canary, monkeypatch):
    from macrolint.fixing import apply as fixer

    real = fixer.fix_text

    def fragile(linter, path, raw, *args, **kwargs):
        if "BOOM" in raw:
            raise KeyError("a fixer bug")
        return real(linter, path, raw, *args, **kwargs)

    monkeypatch.setattr(fixer, "fix_text", fragile)
    (canary / "boom.txt").write_text("BOOM. Please be advised that it shipped.\n", encoding="utf-8")
    monkeypatch.chdir(canary)
    result = CliRunner().invoke(main, ["check", ".", "--fix"])
    assert result.exit_code == 2 and "IO900" in result.stdout
    assert "Please be advised" not in (canary / "canary.txt").read_text(encoding="utf-8")
    assert (canary / "boom.txt").read_text(encoding="utf-8").startswith("BOOM. Please be advised")


HOSTILE = [
    # YAML nested past what the reader follows: one IO002 with a position, not a RecursionError
    ("deep.yaml", "replies:\n  - name: a\n    body: " + "[" * 400 + "]" * 400 + "\n", {"IO002"}),
    ("deep-block.yaml", "a:\n" + "".join("  " * i + "- \n" for i in range(1, 420)), {"IO002"}),
    # a JSON id too long for Python's int conversion: the macro is still linted
    ("bigint.json", '{"macros": [{"id": ' + "9" * 5000 + ', "title": "x", "actions": [{"field": '
     '"comment_value", "value": "We apologize for any inconvenience."}]}]}', {"RB001"}),
    ("float.json", '{"macros": [{"id": 1e400, "title": "x", "actions": [{"field": "comment_value", '
     '"value": "We apologize for any inconvenience."}]}]}', {"RB001"}),
    # a label-actions file whose actions hold themselves through an alias
    ("label-actions.yml", "bug: &a\n  comment: We apologize for any inconvenience.\n  actions: *a\n", {"RB001"}),
    # JSON nested deeper than any parser follows, in a file named for no format
    ("deep.txt", "[" * 100_000 + "]" * 100_000, None),
    ("deep.json", "[" * 100_000 + "]" * 100_000, {"IO002"}),
    # UTF-32 with its byte-order mark (it begins with UTF-16's)
    ("utf32.txt", "We apologize for any inconvenience.".encode("utf-32"), {"RB001"}),
    ("utf32be.txt", b"\x00\x00\xfe\xff" + "We apologize for any inconvenience.".encode("utf-32-be"), {"RB001"}),
    # one long word: the near-variant search skips it instead of building its deletions
    ("long-word.txt", "".join(chr(97 + (i * 7) % 26) for i in range(80_000)), None),
]


# ids by file name: a case's content would make a test id (and PYTEST_CURRENT_TEST) of 100 KB
@pytest.mark.parametrize("name, content, expect", HOSTILE, ids=[name for name, _, _ in HOSTILE])
def test_hostile_inputs_are_reported_beside_the_canary(canary, name, content, expect):
    path = canary / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    started = time.monotonic()
    result = run_cli(["check", ".", "--format", "json"], canary)
    assert "Traceback" not in result.stderr and result.returncode == 1, result.stderr
    found = rules_by_file(result.stdout)
    assert found["canary.txt"] == {"RB001", "RB002"}
    assert found.get(name, set()) == (expect or set())
    assert time.monotonic() - started < 30


def test_the_long_word_is_skipped_without_its_deletions():
    import tracemalloc

    from macrolint.matching.nearvariant import NearMatcher

    index = NearMatcher(LINTER.rules)
    token = "".join(chr(97 + (i * 7) % 26) for i in range(80_000)).encode()
    tracemalloc.start()
    assert index.anchors_for(token) == ()
    assert tracemalloc.get_traced_memory()[1] < 1_000_000
    tracemalloc.stop()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX special files")
def test_special_files_a_repository_can_plant_are_refused_not_read(canary):
    """A FIFO blocked the run forever and a link to /dev/zero read until memory ran out; both
    are found by the folder walk, so a repository can plant them."""
    os.mkfifo(canary / "fifo.txt")
    (canary / "zero.txt").symlink_to("/dev/zero")
    (canary / "loop.txt").symlink_to(canary / "loop.txt")
    result = run_cli(["check", ".", "--format", "json"], canary, timeout=60)
    assert "Traceback" not in result.stderr and result.returncode == 1
    found = json.loads(result.stdout)["diagnostics"]
    messages = {Path(d["path"]).name: d["message"] for d in found if d["rule"] == "IO001"}
    assert "not a regular file (a FIFO)" in messages["fifo.txt"]
    assert "not a regular file (a device)" in messages["zero.txt"]
    assert "cannot read" in messages["loop.txt"]
    assert rules_by_file(result.stdout)["canary.txt"] == {"RB001", "RB002"}


def test_stdin_closed_is_a_clear_problem(tmp_path):
    done = subprocess.run([sys.executable, "-c", "import os, sys; os.close(0); "
                           "from macrolint.cli import run; sys.argv = ['macrolint', 'check', '-', '--format', 'json']; run()"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert "Traceback" not in done.stderr and done.returncode == 1, done.stderr
    (d,) = json.loads(done.stdout)["diagnostics"]
    assert d["rule"] == "IO001" and "standard input" in d["message"]


def test_deep_json_on_stdin_is_linted_as_text(tmp_path):
    deep = ("[" * 50_000 + "]" * 50_000 + "\nWe apologize for any inconvenience.\n").encode()
    done = subprocess.run([sys.executable, "-m", "macrolint", "check", "-", "--format", "json"], input=deep,
                          capture_output=True, cwd=tmp_path, timeout=60)
    assert b"Traceback" not in done.stderr and done.returncode == 1
    assert {d["rule"] for d in json.loads(done.stdout)["diagnostics"]} == {"RB001"}


@pytest.mark.parametrize("count", ["1e400", "-3", "0", "true", '"2"', "1.5"])
def test_a_baseline_with_a_bad_count_is_a_clear_error(canary, count):
    baseline = canary / "baseline.json"
    baseline.write_text('{"version": 1, "findings": [{"path": "canary.txt", "item": null, "rule": "RB001", '
                        f'"match": "x", "count": {count}}}]}}', encoding="utf-8")
    result = run_cli(["check", "canary.txt", "--baseline", "baseline.json"], canary)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "baseline.json: finding #1 is malformed" in result.stderr


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse names that are not UTF-8")
@pytest.mark.parametrize("fmt", ["json", "json-lines", "sarif", "gitlab", "junit", "github", "text", "concise"])
def test_a_file_name_that_is_not_utf8_prints_in_every_format(canary, fmt):
    (canary / os.fsdecode(b"caf\xe9.txt")).write_text(CANARY, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "macrolint", "check", ".", "--format", fmt],
                          capture_output=True, cwd=canary, timeout=60)
    assert done.returncode == 1 and b"Traceback" not in done.stderr, done.stderr
    if fmt in ("json", "json-lines", "sarif", "gitlab", "junit", "github"):  # machine formats: valid UTF-8
        text = done.stdout.decode("utf-8")
        if fmt == "json":
            assert "caf\ufffd.txt" in {Path(d["path"]).name for d in json.loads(text)["diagnostics"]}
        if fmt == "sarif":
            uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    for r in json.loads(text)["runs"][0]["results"]}
            assert "caf%E9.txt" in uris


def test_jobs_are_capped_at_the_processors(canary, monkeypatch):
    from macrolint.linting import parallel

    asked = []
    real = parallel.lint_files
    monkeypatch.setattr(parallel, "lint_files", lambda linter, files, fmt, jobs: asked.append(jobs) or real(linter, files, fmt, 1))
    monkeypatch.chdir(canary)
    result = CliRunner().invoke(main, ["check", ".", "-j", "1000"])
    assert result.exit_code == 1 and asked == [parallel.default_jobs()]


@pytest.mark.slow
def test_a_worker_that_dies_on_a_file_does_not_end_the_run(canary, monkeypatch):
    """A worker process killed on one file (its memory, a crash in compiled code) breaks the
    pool: the file is found by linting the unreported files one process each, reported as
    IO900, and every other file is still reported."""
    real = readers.READERS["text"]

    def lethal(raw):
        if "DIE" in raw:
            os._exit(3)  # only ever runs in a worker process here
        return real(raw)

    from macrolint.linting import parallel

    monkeypatch.setattr(readers, "READERS", {**readers.READERS, "text": lethal})
    monkeypatch.setattr(parallel, "CHUNK", 16)  # the files of a chunk are linted alone: keep it quick
    for n in range(100):
        (canary / f"reply-{n:03}.txt").write_text("DIE\n" if n == 50 else CANARY, encoding="utf-8")
    monkeypatch.chdir(canary)
    result = CliRunner().invoke(main, ["check", ".", "--format", "json", "-j", "2"])
    assert result.exit_code == 2, result.output
    found = rules_by_file(result.stdout)
    assert len(found) == 101 and found["reply-050.txt"] == {"IO900"}
    assert all(found[f"reply-{n:03}.txt"] == {"RB001", "RB002"} for n in range(100) if n != 50)
    paths = [d["path"] for d in json.loads(result.stdout)["diagnostics"]]
    assert paths == sorted(paths, key=lambda p: (p != "./canary.txt", p))  # still in walk order


def test_a_byte_order_mark_before_utf8_text_is_a_clear_problem():
    """UTF-8 text behind a UTF-16 mark read as UTF-16 is gibberish with no findings: a lost file."""
    data = b"\xff\xfe" + "We apologize for any inconvenience.\n".encode("utf-8")
    (d,) = LINTER.lint_bytes("reply.txt", data)
    assert d.rule == "IO001" and "UTF-16" in d.message and "UTF-8" in d.message
    real = "We apologize for any inconvenience.\n".encode("utf-16")  # with its own mark
    assert [d.rule for d in LINTER.lint_bytes("reply.txt", real)] == ["RB001"]


def test_a_folder_that_cannot_be_listed_is_reported(canary, monkeypatch):
    locked = canary / "locked"
    locked.mkdir()
    (locked / "reply.txt").write_text(CANARY, encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path="."):
        if os.path.abspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.chdir(canary)
    result = CliRunner().invoke(main, ["check", ".", "--format", "json", "-j", "1"])
    found = rules_by_file(result.stdout)
    assert found["locked"] == {"IO001"} and found["canary.txt"] == {"RB001", "RB002"}


def test_a_file_of_noise_reports_a_bounded_number_of_findings(monkeypatch):
    from macrolint.linting import linter as api

    monkeypatch.setattr(api, "MAX_FINDINGS", 50)
    diagnostics = LINTER.lint_text("Hi {{ " * 2000, "text")
    assert len(diagnostics) == 51 and [d.rule for d in diagnostics].count("IO004") == 1
    assert "over 50 findings" in next(d.message for d in diagnostics if d.rule == "IO004")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX special files")
def test_a_report_file_that_is_a_fifo_nobody_reads_is_an_error_not_a_hang(canary):
    os.mkfifo(canary / "out.json")
    result = run_cli(["check", "canary.txt", "-o", "out.json"], canary, timeout=30)
    assert result.returncode == 2 and "out.json: cannot write" in result.stderr


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse names that are not UTF-8")
def test_a_name_that_is_not_utf8_goes_into_a_report_file_and_a_baseline(canary):
    (canary / os.fsdecode(b"caf\xe9.txt")).write_text(CANARY, encoding="utf-8")
    result = run_cli(["check", ".", "-o", "report.out"], canary)
    assert result.returncode == 1 and "caf\ufffd.txt" in (canary / "report.out").read_text(encoding="utf-8")
    result = run_cli(["check", ".", "--write-baseline", "base.json"], canary)
    assert result.returncode == 0 and "Recorded 4 findings" in result.stderr
    json.loads((canary / "base.json").read_text(encoding="utf-8"))
    result = run_cli(["check", ".", "--baseline", "base.json"], canary)
    assert result.returncode == 0 and "No findings" in result.stdout  # every finding, its name included, is known


def test_min_confidence_nan_is_refused(canary):
    result = run_cli(["check", "canary.txt", "--min-confidence", "nan"], canary)
    assert result.returncode == 2 and "nan" in result.stderr


def test_yaml_is_read_without_the_recursive_composer(monkeypatch):
    """PyYAML's composer recurses once per level of nesting, in C with libyaml, and libyaml
    before 0.2.6 sets no limit: 100,000 levels overflowed the stack and killed the process. The
    tree is built from the parser's events instead; past 200 levels the file is malformed."""
    import yaml

    from macrolint.readers import yamlscan

    def no_compose(*args, **kwargs):
        raise AssertionError("the recursive composer was used")

    monkeypatch.setattr(yaml, "compose_all", no_compose)
    monkeypatch.setattr(yaml, "compose", no_compose)
    tree = yamlscan.parse("a: &x [1, {b: c}]\nd: *x\n")
    assert tree["d"] is tree["a"] and tree["a"][1]["b"].value == "c"
    deep = "replies:\n  - name: a\n    body: " + "[" * 500 + "]" * 500 + "\n"
    (d,) = LINTER.lint_text(deep, "yaml", "deep.yaml")
    assert d.rule == "IO002" and "nested deeper than 200 levels" in d.message


def test_a_pack_is_checked_for_depth_before_it_is_composed(monkeypatch):
    import yaml

    from macrolint.packs.yamlload import YamlError, load

    def no_load(*args, **kwargs):
        raise AssertionError("composed before its depth was checked")

    monkeypatch.setattr(yaml, "load", no_load)
    with pytest.raises(YamlError) as exc:
        load("id: TM001\nx: " + "[" * 500 + "]" * 500 + "\n")
    assert "nested too deeply" in str(exc.value) and exc.value.line == 2


def test_a_file_over_its_time_budget_gets_io003_and_the_run_goes_on(tmp_path):
    import signal

    from click.testing import CliRunner

    from macrolint.cli import main

    if not hasattr(signal, "setitimer"):
        pytest.skip("no interval timer on this platform")
    (tmp_path / "big.txt").write_text("The system says your refund is late. Obviously it works.\n" * 80_000)
    (tmp_path / "small.txt").write_text("Obviously it works.\n")
    # 0.5 s: the 4.6 MB file needs about two seconds, the small one (cold: tables decoded on first
    # use) a few hundredths, more on a busy machine; at 0.01 s its first lookups could run over
    out = CliRunner().invoke(main, ["check", "--isolated", "--format", "concise", "--timeout-per-file", "0.5",
                                    str(tmp_path / "big.txt"), str(tmp_path / "small.txt")]).output
    assert "big.txt:1:1: IO003" in out and "than 0.5 s (--timeout-per-file) and was stopped while" in out
    assert "small.txt:1:1: CD001" in out


def test_a_rule_s_regexes_share_one_time_budget_per_file(tmp_path, monkeypatch):
    """A pattern tried where its anchor starts used to get a fresh timeout at every start: slow
    at each (under the timeout), it ran on and on with no IO003. Its time is now counted per
    file: once spent, the rule is stopped with IO003 and the other rules' findings stay."""
    from macrolint.linting.linter import Linter
    from macrolint.matching import automata
    from macrolint.packs.config import Config
    from tests.conftest import write_pack

    pack = write_pack(tmp_path / "team", {"slow.yaml": """
        id: TM001
        name: slow
        category: robotic
        summary: A pattern slow at each start.
        why: To test the budget.
        message: "No."
        match:
          - pattern: '\\bzz(?:a|a)*z'
            anchors: [zz]
        examples:
          - bad: zzaz
          - ok: zz
        """})
    monkeypatch.setattr(automata, "REGEX_TIMEOUT", 0.3)
    text = " ".join(["zz" + "a" * 18] * 40) + "\nObviously it works.\n"
    found = Linter(Config(packs=("core", str(pack)))).lint_text(text)
    rules = [d.rule for d in found]
    assert "IO003" in rules and "CD001" in rules
    assert "TM001" in next(d.message for d in found if d.rule == "IO003")


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # the swallowing is the point
def test_a_timeout_python_swallows_is_raised_again():
    """A file's timeout can land where Python ignores exceptions (a garbage-collector callback,
    a __del__); it is raised again a moment later, so the file is still stopped."""
    import gc
    import signal
    import time

    from macrolint.linting.budget import Budget, FileTimeout

    if not hasattr(signal, "setitimer"):
        pytest.skip("no interval timer on this platform")
    slept: list[int] = []

    def callback(phase, info):
        if phase == "start" and not slept:
            slept.append(1)
            time.sleep(0.08)  # the first timeout fires in here and is swallowed

    gc.callbacks.append(callback)
    started = time.perf_counter()
    try:
        with pytest.raises(FileTimeout):
            with Budget(0.05).file():
                gc.collect()
                while time.perf_counter() - started < 3:
                    sum(range(1000))
    finally:
        gc.callbacks.remove(callback)
    assert slept and time.perf_counter() - started < 1
