"""Which rules run: ``select``/``ignore`` by code, prefix, category, rule name or pack (the most
specific entry wins), ``preview`` status (``draft`` rules never run), and per-rule severity
overrides."""
from __future__ import annotations

import re
from typing import Iterable, Mapping, Sequence

from macrolint.model import Severity
from macrolint.packs.config import ConfigError
from macrolint.packs.model import Rule
from macrolint.packs.schema import did_you_mean

_PREFIX = re.compile(r"^[A-Z]{1,4}[0-9]{0,2}$")

#: Diagnostics macrolint raises itself rather than a pack's rule: code -> (name, category).
#: ``ignore`` can turn them off like any rule; ``select`` does not need to name them.
INTERNAL = {
    "IO001": ("unreadable-file", "input"),
    "IO002": ("malformed-file", "input"),
    "IO003": ("pattern-timeout", "input"),
    "IO004": ("too-many-findings", "input"),
    "IO005": ("unknown-shape", "input"),
    "IO006": ("unusable-config", "input"),
    "ML001": ("unused-suppression", "suppression"),
    "ML002": ("suppression-in-text", "suppression"),
}


class UnknownSelector(ConfigError):
    """A selector that names nothing; ``option`` (select, ignore, severity) says where it was."""

    def __init__(self, option: str, selector: str, problem: str):
        super().__init__(f"{option}: {problem}")
        self.option = option
        self.selector = selector
        self.problem = problem


def _names_internal(selector: str, code: str) -> bool:
    name, category = INTERNAL[code]
    return (selector in (code, name, category)
            or (_PREFIX.match(selector) is not None and code.startswith(selector)))


def internal_ignored(code: str, ignore: Sequence[str]) -> bool:
    """Whether ``ignore`` names one of macrolint's own diagnostics (``INTERNAL``)."""
    return any(_names_internal(s, code) for s in ignore)


def _specificity(selector: str, rule: Rule) -> int:
    """How precisely ``selector`` names ``rule`` (0 = not at all)."""
    if selector in ("ALL", "all"):
        return 1
    if selector == rule.code or selector in rule.aliases or selector == rule.name:
        return 100
    if selector == rule.category or selector == rule.pack:
        return 2
    if _PREFIX.match(selector) and rule.code.startswith(selector):
        return 2 + len(selector)
    return 0


def validate_selectors(selectors: Iterable[str], rules: Sequence[Rule], option: str) -> None:
    vocabulary = {"ALL", *INTERNAL, *(n for n, _ in INTERNAL.values())}
    for r in rules:
        vocabulary.update((r.code, r.name, r.category, r.pack, *r.aliases))
    for sel in selectors:
        if sel in ("ALL", "all") or any(_specificity(sel, r) for r in rules):
            continue
        if any(_names_internal(sel, code) for code in INTERNAL):
            continue
        raise UnknownSelector(option, sel, f'"{sel}" names no rule, prefix, category or pack{did_you_mean(sel, vocabulary)}')


def select_rules(rules: Sequence[Rule], select: Sequence[str], ignore: Sequence[str],
                 severity: Mapping[str, str], preview: bool = False) -> list[Rule]:
    """The enabled rules, with severity overrides applied."""
    validate_selectors(select, rules, "select")
    validate_selectors(ignore, rules, "ignore")
    validate_selectors(severity, rules, "severity")
    out = []
    for rule in rules:
        if rule.status == "draft":  # unfinished: not even when selected by name
            continue
        if rule.status == "deprecated" or (rule.status == "preview" and not preview):
            explicitly = any(_specificity(s, rule) == 100 for s in select)
            if not explicitly:
                continue
        sel = max((_specificity(s, rule) for s in select), default=1)
        ign = max((_specificity(s, rule) for s in ignore), default=0)
        if sel == 0 or ign >= sel:
            continue
        best, level = 0, None
        for sel_name, value in severity.items():
            spec = _specificity(sel_name, rule)
            if spec > best:
                best, level = spec, value
        if level is not None:
            rule = rule._replace(severity=Severity.parse(level))
        out.append(rule)
    return out
