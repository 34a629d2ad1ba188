"""The CI output formats: each is checked against its consumer's documented syntax."""
from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from macrolint.linting.linter import Linter
from macrolint.model import Diagnostic, Severity
from macrolint.packs.config import Config
from macrolint.reporters import FORMATS
from macrolint.reporters.concise import render_concise
from macrolint.reporters.fingerprint import fingerprints
from macrolint.reporters.github import render_github
from macrolint.reporters.gitlab import render_gitlab
from macrolint.reporters.json import diagnostic_dict
from macrolint.reporters.jsonlines import render_json_lines
from macrolint.reporters.junit import render_junit
from macrolint.reporters.sarif import render_sarif
from macrolint.reporters.text import statistics, summary

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json"
FIXTURE_DIRS = ["fixtures/text", "fixtures/markdown", "fixtures/html"]


@pytest.fixture(scope="module")
def core() -> Linter:
    return Linter(Config(packs=("core",)))


@pytest.fixture(scope="module")
def run(core):
    """Diagnostics of the shipped fixtures (relative paths, as a CI checkout gives them), plus
    an unreadable file so input problems go through every format too."""
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        report = core.lint_paths(FIXTURE_DIRS)
    finally:
        os.chdir(cwd)
    diagnostics = report.diagnostics + core.lint_bytes("exports/broken.txt", b"caf\xe9 is closed")
    assert len(report.diagnostics) >= 10 and any(d.fix for d in diagnostics)
    assert any(d.rule == "IO001" for d in diagnostics)
    return diagnostics, report.files + 1


def _diagnostic(**kw) -> Diagnostic:
    base = dict(path="replies/a.txt", start=0, end=5, line=1, column=1, end_line=1, end_column=6, rule="RB002",
                name="please-be-advised", category="robotic", severity=Severity.WARNING, message="msg", match="match")
    base.update(kw)
    return Diagnostic(**base)


def test_every_format_shares_the_signature(run, core):
    diagnostics, files = run
    assert {"text", "concise", "json", "json-lines", "github", "gitlab", "junit", "sarif"} <= set(FORMATS)
    for name, render in FORMATS.items():
        for diags in (diagnostics, []):
            out = render(diags, files, False, rules=core.rules)
            assert isinstance(out, str) and (out == "" or out.endswith("\n")), name
            assert out == render(diags, files, False, core.rules), name


# -- SARIF -------------------------------------------------------------------------------------

def _validator():
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def _errors(doc) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _validator().iter_errors(doc)]


@pytest.mark.parametrize("with_rules", [True, False])
def test_sarif_is_valid_against_the_official_schema(run, core, with_rules):
    diagnostics, files = run
    doc = json.loads(render_sarif(diagnostics, files, rules=core.rules if with_rules else ()))
    assert _errors(doc) == []
    assert doc["version"] == "2.1.0" and len(doc["runs"]) == 1
    assert not _errors(json.loads(render_sarif([], 0, rules=core.rules)))


def test_sarif_results_point_at_the_findings(run, core):
    diagnostics, files = run
    run_ = json.loads(render_sarif(diagnostics, files, rules=core.rules))["runs"][0]
    driver = run_["tool"]["driver"]
    assert run_["columnKind"] == "unicodeCodePoints"
    assert driver["name"] == "macrolint" and driver["version"]
    ids = [r["id"] for r in driver["rules"]]
    assert len(ids) == len(set(ids)) and {r.code for r in core.rules} <= set(ids)
    results = run_["results"]
    assert len(results) == len(diagnostics)
    for d, res in zip(diagnostics, results):
        rule = driver["rules"][res["ruleIndex"]]
        assert rule["id"] == res["ruleId"] == d.rule
        assert res["message"]["text"] == d.message
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"] == {"uri": d.path, "uriBaseId": "%SRCROOT%"}
        region = loc["region"]
        assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == \
            (d.line, d.column, d.end_line, d.end_column)
        assert region.get("snippet", {}).get("text", "") == d.match
        assert res["properties"]["category"] == d.category
        assert ("fixes" in res) == (d.fix is not None)
        if d.fix is not None:
            replacements = res["fixes"][0]["artifactChanges"][0]["replacements"]
            assert [r["insertedContent"]["text"] for r in replacements] == [e.content for e in d.fix.edits]
            assert [tuple(r["deletedRegion"][k] for k in ("startLine", "startColumn", "endLine", "endColumn"))
                    for r in replacements] == list(d.edit_positions)
    prints = [r["partialFingerprints"]["macrolint/v1"] for r in results]
    assert len(set(prints)) == len(prints)
    by_id = {r["id"]: r for r in driver["rules"]}
    rb002 = by_id["RB002"]
    assert rb002["help"]["markdown"].startswith("# RB002 please-be-advised")
    assert rb002["properties"]["tags"] == ["robotic"] and rb002["fullDescription"]["text"]
    level = {"error": "error", "warning": "warning", "info": "note"}
    assert all(by_id[r.code]["defaultConfiguration"]["level"] == level[str(r.severity)] for r in core.rules)
    assert by_id["IO001"]["name"] == "unreadable-file"


def test_sarif_paths_are_relative_posix_uris():
    d = _diagnostic(path=".\\help center\\réponse.md")
    doc = json.loads(render_sarif([d]))
    assert not _errors(doc)
    uri = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "help%20center/r%C3%A9ponse.md"


def test_sarif_absolute_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    inside, outside = _diagnostic(path=str(tmp_path / "a.txt")), _diagnostic(path=str(tmp_path.parent / "b.txt"))
    doc = json.loads(render_sarif([inside, outside]))
    assert not _errors(doc)
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in doc["runs"][0]["results"]]
    assert locations[0] == {"uri": "a.txt", "uriBaseId": "%SRCROOT%"}
    assert locations[1] == {"uri": (tmp_path.parent / "b.txt").as_uri()}


# -- JUnit -------------------------------------------------------------------------------------

def test_junit_parses_with_the_right_counts(run):
    diagnostics, files = run
    root = ET.fromstring(render_junit(diagnostics, files))
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "macrolint"
    assert int(suite.get("tests")) == int(suite.get("failures")) == len(diagnostics) == int(root.get("failures"))
    cases = suite.findall("testcase")
    assert len(cases) == len(diagnostics)
    for d, case in zip(diagnostics, cases):
        assert case.get("classname") == d.path and case.get("name") == f"{d.rule} {d.line}:{d.column}"
        failure = case.find("failure")
        assert failure.get("type") == d.rule and failure.get("message") == d.message
        assert f"{d.path}:{d.line}:{d.column}" in failure.text
        if d.match:
            assert f"match: {d.match}" in failure.text


def test_junit_without_findings_reports_one_passing_case():
    root = ET.fromstring(render_junit([], 3))
    suite = root.find("testsuite")
    assert suite.get("tests") == "1" and suite.get("failures") == "0"
    (case,) = suite.findall("testcase")
    assert case.find("failure") is None and "3 files" in case.get("name")


def test_junit_survives_markup_and_control_characters():
    d = _diagnostic(message='Use <b>“this”</b> & not "that"\x0b', match="a\x00b")
    failure = ET.fromstring(render_junit([d], 1)).find("testsuite/testcase/failure")
    assert failure.get("message") == 'Use <b>“this”</b> & not "that"\ufffd'
    assert "match: a\ufffdb" in failure.text


# -- GitHub Actions ----------------------------------------------------------------------------

_COMMAND = re.compile(r"^::(error|warning|notice) file=([^,:\n]+),line=(\d+),col=(\d+),endLine=(\d+),"
                      r"endColumn=(\d+),title=([^,:\n]+)::([^\r\n]*)$")


def _unescape(value: str) -> str:
    for escaped, char in (("%3A", ":"), ("%2C", ","), ("%0D", "\r"), ("%0A", "\n"), ("%25", "%")):
        value = value.replace(escaped, char)
    return value


def test_github_commands_follow_the_workflow_syntax(run):
    diagnostics, _ = run
    lines = render_github(diagnostics).splitlines()
    assert len(lines) == len(diagnostics)
    expected_level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    for d, line in zip(diagnostics, lines):
        m = _COMMAND.match(line)
        assert m, line
        level, path, l, c, el, ec, title, message = m.groups()
        assert level == expected_level[d.severity]
        assert _unescape(path) == d.path and (int(l), int(c), int(el), int(ec)) == (d.line, d.column, d.end_line, d.end_column)
        item = (d.item or {}).get("title") or ((d.item or {}).get("id") and f"#{d.item['id']}")
        where = f" in “{item}”" if item else ""
        assert _unescape(title) == f"{d.rule} {d.name}{where}" and _unescape(message) == d.message
    assert {m.group(1) for m in map(_COMMAND.match, lines)} >= {"error", "warning"}


def test_github_escaping_round_trips():
    message = "100% sure: a, b\r\nnext line: 50%0A"
    d = _diagnostic(path="replies/a,b:c%.txt", message=message, name="odd:name,1")
    (line,) = render_github([d]).splitlines()
    m = _COMMAND.match(line)
    assert m, line
    assert _unescape(m.group(2)) == "replies/a,b:c%.txt"
    assert _unescape(m.group(7)) == "RB002 odd:name,1"
    assert _unescape(m.group(8)) == message
    assert render_github([]) == ""


# -- GitLab Code Quality -----------------------------------------------------------------------

def test_gitlab_code_quality_report(run, core):
    diagnostics, files = run
    issues = json.loads(render_gitlab(diagnostics, files, rules=core.rules))
    assert isinstance(issues, list) and len(issues) == len(diagnostics)
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    why = {r.code: r.why for r in core.rules}
    for d, issue in zip(diagnostics, issues):
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= set(issue)
        assert issue["check_name"] == d.rule and d.message in issue["description"]
        assert issue["severity"] == {"info": "info", "warning": "minor", "error": "major"}[str(d.severity)]
        assert issue["categories"] == ["Style"]
        assert issue["location"] == {"path": d.path, "positions": {
            "begin": {"line": d.line, "column": d.column}, "end": {"line": d.end_line, "column": d.end_column}}}
        assert issue.get("content", {}).get("body") == why.get(d.rule)
    assert all("content" not in i for i in json.loads(render_gitlab(diagnostics, files)))
    assert json.loads(render_gitlab([], 1)) == []


# -- JSON Lines and concise --------------------------------------------------------------------

def test_json_lines_one_contract_object_per_line(run):
    diagnostics, files = run
    out = render_json_lines(diagnostics, files)
    lines = out.split("\n")
    assert lines[-1] == "" and len(lines) - 1 == len(diagnostics)
    assert [json.loads(line) for line in lines[:-1]] == [diagnostic_dict(d) for d in diagnostics]
    # Unicode line separators stay escaped, so any line splitter sees one object per line.
    odd = render_json_lines([_diagnostic(message="a\u2028b\nc")])
    assert len(odd.splitlines()) == 1 and json.loads(odd)["message"] == "a\u2028b\nc"
    assert render_json_lines([]) == ""


def test_concise_one_line_per_finding(run):
    diagnostics, files = run
    lines = render_concise(diagnostics, files).splitlines()
    assert len(lines) == len(diagnostics) + 1
    assert lines[-1] == summary(diagnostics, files)
    for d, line in zip(diagnostics, lines):
        assert line == (f"{d.path}:{d.line}:{d.column}: {d.rule} [{d.category}, {d.severity}] "
                        f"{' '.join(d.message.split())}")
    assert render_concise([], 2) == "No findings in 2 files checked.\n"


def test_statistics_counts_per_rule(run):
    diagnostics, _ = run
    rows = statistics(diagnostics).splitlines()
    parsed = [re.match(r"^\s*(\d+)  (\S+)\s+(?:(\d+) fixable)?\s+(\S+)$", row) for row in rows]
    assert all(parsed), rows
    counts = [int(m.group(1)) for m in parsed]
    assert sum(counts) == len(diagnostics) and counts == sorted(counts, reverse=True)
    for m in parsed:
        mine = [d for d in diagnostics if d.rule == m.group(2)]
        assert int(m.group(1)) == len(mine) and mine[0].name == m.group(4)
        assert int(m.group(3) or 0) == sum(1 for d in mine if d.fix is not None)


# -- fingerprints ------------------------------------------------------------------------------

BASE = ("Please be advised that your refund was sent.\n"
        "The system says it left on Monday. Please be advised that banks take 5 days.\n")


def _prints(linter, text: str, path: str = "replies/refund.txt") -> dict[tuple[str, str, int], str]:
    diags = linter.lint_text(text, "text", path=path)
    seen: dict[tuple[str, str], int] = {}
    out = {}
    for d, fp in zip(diags, fingerprints(diags)):
        key = (d.rule, " ".join(d.match.lower().split()))
        out[(*key, seen.get(key, 0))] = fp
        seen[key] = seen.get(key, 0) + 1
    return out


def test_fingerprints_survive_edits_elsewhere(core):
    before = _prints(core, BASE)
    assert len(before) == 3 and len(set(before.values())) == 3  # the repeated phrase gets two keys
    edited = ("Hi Sam,\n\nThanks for your patience, we will reply as soon as possible.\n\n"
              + BASE.replace("Monday.", "Monday, and I checked it myself.\n\n")
              + "\nRest assured we are on it.\n")
    after = _prints(core, edited)
    added = {k for k in after if k not in before}
    assert {k[0] for k in added} >= {"VG001", "RB006"}  # the new sentences add findings of their own
    assert {k: after[k] for k in before} == before
    # Line numbers moved; the keys did not.
    lines = [{d.line for d in core.lint_text(t, "text", path="r.txt") if d.rule == "RB002"} for t in (BASE, edited)]
    assert lines[0].isdisjoint(lines[1])


def test_fingerprints_depend_on_file_rule_and_words(core):
    base = _prints(core, BASE)
    assert _prints(core, BASE, path="./replies/refund.txt") == base
    assert _prints(core, BASE, path="replies\\refund.txt") == base
    assert set(_prints(core, BASE, path="replies/other.txt").values()).isdisjoint(base.values())
    respaced = _prints(core, BASE.replace("The system says", "the  system\n says"))
    assert respaced[("BL001", "the system says", 0)] == base[("BL001", "the system says", 0)]


def test_fingerprints_do_not_depend_on_input_order(run):
    diagnostics, _ = run
    prints = fingerprints(diagnostics)
    assert all(re.fullmatch(r"[0-9a-f]{32}", p) for p in prints)
    assert fingerprints(diagnostics[::-1]) == prints[::-1]


def test_text_output_on_a_minified_export_shows_only_the_part_around_the_match(core):
    import json as _json

    from macrolint.reporters.text import render_text

    filler = "Thanks for writing in. " * 400
    raw = _json.dumps({"macros": [{"id": 1, "title": "T", "actions": [
        {"field": "comment_value", "value": filler + "The system says it left. " + filler}]}]})
    (d,) = core.lint_text(raw, "json", "export.json")
    assert d.line == 1 and len(d.source_line) < 600 and d.source_column > 1
    assert raw[d.start:d.end] == "The system says"
    shown = render_text([d], 1).splitlines()
    text_row, caret_row = shown[3], shown[4]
    at = caret_row.index("^")
    assert text_row[at:at + len("The system says")] == "The system says"


def test_sarif_rules_link_to_their_section_of_the_rule_reference(core):
    from macrolint.reporters.sarif import RULES_URI, sarif_log

    log = sarif_log([], core.rules)
    by_id = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert by_id["BL001"]["helpUri"] == f"{RULES_URI}#bl001-system-says"
    reference = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for rule in core.rules:  # every anchor is a heading of docs/rules.md
        anchor = by_id[rule.code]["helpUri"].split("#", 1)[1]
        assert f"### {rule.code} {rule.name}\n" in reference and anchor == f"{rule.code} {rule.name}".lower().replace(" ", "-")
