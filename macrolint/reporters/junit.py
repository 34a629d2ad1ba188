"""JUnit XML: most CI systems (Jenkins, GitLab, Azure Pipelines, CircleCI) show it as test results.

Each finding is a failed test case named by its rule and position, grouped by file; a run
without findings reports one passing case, so the CI still shows that the check ran."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Sequence

from macrolint.model import Diagnostic
from macrolint.packs.model import Rule

#: Characters XML 1.0 cannot carry at all, even escaped; ElementTree would write them as is.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _body(d: Diagnostic) -> str:
    lines = [f"{d.path}:{d.line}:{d.column}: {d.rule} [{d.category}] {d.message}"]
    if d.item and (d.item.get("title") or d.item.get("id")):
        lines.append(f"in: {d.item.get('title') or '#' + str(d.item.get('id'))} ({d.item.get('field')})")
    if d.match:
        lines.append(f"match: {d.match}")
    for i, s in enumerate(d.suggestions):
        lines.append(f"{'rewrite' if i == 0 else '     or'}: {s}")
    if d.fix is not None:
        lines.append(f"fix ({d.fix.applicability}): {d.fix.title}")
    return "\n".join(lines)


def render_junit(diagnostics: Sequence[Diagnostic], files: int = 0, color: bool = False,
                 rules: Sequence[Rule] = ()) -> str:
    """A ``<testsuites>`` document with one ``<testsuite name="macrolint">``."""
    tests = max(1, len(diagnostics))
    counts = {"tests": str(tests), "failures": str(len(diagnostics)), "errors": "0", "skipped": "0"}
    root = ET.Element("testsuites", {"name": "macrolint", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "macrolint", **counts})
    for d in diagnostics:
        case = ET.SubElement(suite, "testcase", {"classname": _clean(d.path), "name": f"{d.rule} {d.line}:{d.column}"})
        failure = ET.SubElement(case, "failure", {"message": _clean(d.message), "type": d.rule})
        failure.text = _clean(_body(d))
    if not diagnostics:
        noun = "file" if files == 1 else "files"
        ET.SubElement(suite, "testcase", {"classname": "macrolint", "name": f"no findings in {files} {noun}"})
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
