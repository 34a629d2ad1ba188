"""SARIF 2.1.0, the format code-scanning services (GitHub, Azure DevOps, IDE viewers) read.

One run; ``tool.driver.rules`` documents every rule of the run, results point into it by
index. Columns count characters (``columnKind: unicodeCodePoints``), as ours do. Paths are
relative POSIX URIs against ``%SRCROOT%``, the checkout the scan ran in."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Optional, Sequence
from urllib.parse import quote

from macrolint._version import __version__
from macrolint.model import Diagnostic, Severity
from macrolint.packs.model import Rule
from macrolint.reporters.fingerprint import fingerprints, posix_path
from macrolint.reporters.reference import explain_rule

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
#: Where the tool is documented; SARIF consumers link the driver name to it.
INFORMATION_URI = "https://pypi.org/project/macrolint/"
#: The rule reference of the built-in packs; each rule's section is its ``helpUri``.
RULES_URI = "https://github.com/macrolint/macrolint/blob/main/docs/rules.md"
BUILTIN_PACKS = ("core", "placeholders")
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "macrolint/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
#: Codes that report on the input itself rather than on its wording; they have no rule file.
INPUT_RULES = {
    "IO001": "The file could not be read or decoded, so it was not linted.",
    "IO002": "The file is malformed or too large, so it was not linted (or only in part).",
    "IO003": "A rule's pattern ran out of time on this text and was stopped.",
    "IO004": "The file had more findings than are reported for one file; the rest were left out.",
    "IO005": "The data file was named to be linted but is no known macro, reply or article export.",
    "IO006": "The file was not linted: the nearest config above it cannot be used.",
    "IO900": "macrolint itself failed on this file (an internal error); the other files were linted.",
}


def _uri(path: str) -> tuple[str, Optional[str]]:
    """``(uri, uriBaseId)``: relative to the source root when the path is inside it."""
    p = posix_path(path)
    if os.path.isabs(path):
        try:
            rel = os.path.relpath(path)
        except ValueError:  # another drive on Windows
            rel = ""
        if not rel or rel.startswith(".."):
            return Path(path).as_uri(), None
        p = posix_path(rel)
    return quote(os.fsencode(p), safe="/"), SRCROOT  # a name that is not UTF-8: its own bytes


def _artifact(path: str) -> dict:
    uri, base = _uri(path)
    out = {"uri": uri}
    if base:
        out["uriBaseId"] = base
    return out


def rule_anchor(rule: Rule) -> str:
    """The anchor of a rule's section in ``docs/rules.md`` (``### BL001 system-says``), as
    GitHub makes it from the heading."""
    return f"{rule.code} {rule.name}".lower().replace(" ", "-")


def _rule_descriptor(rule: Rule) -> dict:
    text = f"{rule.summary}\n\n{rule.why}"
    if rule.suggest:
        text += "\n\nUse instead:\n" + "\n".join(f"- {s}" for s in rule.suggest)
    out = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.why},
        "help": {"text": text, "markdown": explain_rule(rule)},
        "defaultConfiguration": {"level": LEVELS.get(rule.severity, "warning")},
        "properties": {"tags": [rule.category]},
    }
    if rule.link:
        out["helpUri"] = rule.link
    elif rule.pack in BUILTIN_PACKS:
        out["helpUri"] = f"{RULES_URI}#{rule_anchor(rule)}"
    if rule.aliases:
        out["deprecatedIds"] = list(rule.aliases)
    return out


def _ad_hoc_descriptor(d: Diagnostic) -> dict:
    """A descriptor for a code no rule object covers (input problems, or a run without rules)."""
    text = INPUT_RULES.get(d.rule, d.name)
    return {
        "id": d.rule,
        "name": d.name,
        "shortDescription": {"text": text},
        "defaultConfiguration": {"level": LEVELS.get(d.severity, "warning")},
        "properties": {"tags": [d.category]},
    }


def _region(line: int, column: int, end_line: int, end_column: int) -> dict:
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}


def _fix(d: Diagnostic) -> Optional[dict]:
    if d.fix is None or not d.fix.edits:
        return None
    replacements = []
    positioned = len(d.edit_positions) == len(d.fix.edits)
    for i, e in enumerate(d.fix.edits):
        if positioned:
            region = _region(*d.edit_positions[i])
        else:
            region = {"charOffset": e.start, "charLength": e.end - e.start}
        replacements.append({"deletedRegion": region, "insertedContent": {"text": e.content}})
    return {
        "description": {"text": d.fix.title},
        "artifactChanges": [{"artifactLocation": _artifact(d.path), "replacements": replacements}],
        "properties": {"applicability": str(d.fix.applicability)},
    }


def _result(d: Diagnostic, index: int, fingerprint: str) -> dict:
    region = _region(d.line, d.column, d.end_line, d.end_column)
    if d.match:
        region["snippet"] = {"text": d.match}
    properties: dict = {"category": d.category, "confidence": d.confidence}
    if d.item:
        properties["item"] = d.item
    if d.suggestions:
        properties["suggestions"] = list(d.suggestions)
    if d.related:
        properties["related"] = list(d.related)
    out = {
        "ruleId": d.rule,
        "ruleIndex": index,
        "level": LEVELS.get(d.severity, "warning"),
        # SARIF 2.1.0 §3.11.5: literal braces in message strings are doubled ({{ticket.id}} -> {{{{ticket.id}}}})
        "message": {"text": d.message.replace("{", "{{").replace("}", "}}")},
        "locations": [{"physicalLocation": {"artifactLocation": _artifact(d.path), "region": region}}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        "properties": properties,
    }
    fix = _fix(d)
    if fix is not None:
        out["fixes"] = [fix]
    return out


def sarif_log(diagnostics: Sequence[Diagnostic], rules: Sequence[Rule] = ()) -> dict:
    """The SARIF log as a dict (``render_sarif`` serialises it)."""
    descriptors: list[dict] = []
    index: dict[str, int] = {}
    for rule in rules:
        if rule.code not in index:
            index[rule.code] = len(descriptors)
            descriptors.append(_rule_descriptor(rule))
    for d in diagnostics:
        if d.rule not in index:
            index[d.rule] = len(descriptors)
            descriptors.append(_ad_hoc_descriptor(d))
    results = [_result(d, index[d.rule], fp) for d, fp in zip(diagnostics, fingerprints(diagnostics))]
    driver = {"name": "macrolint", "version": __version__, "semanticVersion": __version__,
              "informationUri": INFORMATION_URI, "rules": descriptors}
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}],
    }


def render_sarif(diagnostics: Sequence[Diagnostic], files: int = 0, color: bool = False,
                 rules: Sequence[Rule] = ()) -> str:
    """The SARIF log as JSON text."""
    return json.dumps(sarif_log(diagnostics, rules), ensure_ascii=False, indent=2) + "\n"
