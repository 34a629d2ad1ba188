"""Checks the ``fixed:`` texts of rule examples, and that they show every fix a rule can make.

An example's ``fixed`` is the exact text its ``bad`` text becomes when the rule's own fixes are
applied the way ``macrolint check --fix --unsafe-fixes`` applies them: safe and unsafe fixes
(never suggestions), in passes until nothing more applies, each fix checked like any other.
Only the example's rule is fixed, with every rule of the pack loaded as ``rules test`` loads
them, so the text shows what that rule's rewrite does and nothing else.
"""
from __future__ import annotations

from typing import NamedTuple, Optional, Sequence

from macrolint.fixing.apply import fix_text
from macrolint.linting.examples import examples_linter
from macrolint.linting.linter import Linter
from macrolint.model import Applicability
from macrolint.packs.config import Config
from macrolint.packs.model import Example, MatchEntry, Rule
from macrolint.packs.scaffold import TODO

#: The fixes a ``fixed:`` text shows: those ``--fix --unsafe-fixes`` applies.
APPLIED = Applicability.UNSAFE


class FixedExampleResult(NamedTuple):
    rule: Rule
    example: Example
    actual: str
    #: Why fixing stopped short (the fixes did not settle, or broke the text), if it did.
    problem: Optional[str] = None

    @property
    def passed(self) -> bool:
        return self.problem is None and self.actual == self.example.fixed

    def describe(self) -> str:
        where = f"{self.rule.path}:{self.example.line}"
        if self.problem is not None:
            return f"{where}: {self.rule.code} could not fix its bad example: {self.problem}"
        column = next((i for i, (a, b) in enumerate(zip(self.actual, self.example.fixed or "")) if a != b),
                      min(len(self.actual), len(self.example.fixed or "")))
        return (f"{where}: {self.rule.code} fixed its bad example to another text (they differ from column {column + 1})\n"
                f"     bad:      {self.example.text!r}\n"
                f"     expected: {self.example.fixed!r}\n"
                f"     actual:   {self.actual!r}")


class _OneRule:
    """A linter that reports only one rule's findings: fixing through it applies only that rule's
    fixes, with the others loaded as usual."""

    def __init__(self, linter: Linter, code: str) -> None:
        self.config = linter.config
        self._linter = linter
        self._code = code

    def analyze(self, source):
        return [t for t in self._linter.analyze(source) if t[0].rule == self._code]

    def lint_source(self, source):
        return [d for d, _, _ in self.analyze(source)]


def fixed_text(linter: Linter, rule: Rule, text: str, fmt: str = "text") -> tuple[str, Optional[str]]:
    """``text`` with ``rule``'s fixes applied (see the module docs), and why fixing stopped
    short, if it did."""
    result = fix_text(_OneRule(linter, rule.code), "<text>", text, fmt, APPLIED)  # type: ignore[arg-type]
    if result.error:
        return text, result.error
    if not result.converged:
        return result.text, "the fixes did not settle (each pass left something to fix)"
    return result.text, None


def run_fixed_examples(rules: Sequence[Rule], config: Optional[Config] = None,
                       linter: Optional[Linter] = None) -> list[FixedExampleResult]:
    """Check every ``fixed:`` example of ``rules`` with all of ``rules`` loaded together
    (``linter``: an ``examples_linter`` of them, to share)."""
    linter = linter or examples_linter(rules, config)
    results = []
    for rule in rules:
        for ex in rule.examples:
            if ex.fixed is not None and not (rule.status == "draft" and TODO in ex.text + ex.fixed):
                actual, problem = fixed_text(linter, rule, ex.text, ex.format)
                results.append(FixedExampleResult(rule, ex, actual, problem))
    return results


def fixable_entries(rule: Rule) -> list[MatchEntry]:
    """The match entries whose rewrite ``--fix`` or ``--unsafe-fixes`` applies."""
    return [m for m in rule.matches if m.replace is not None and m.fix >= APPLIED]


def unshown_fixes(rule: Rule, config: Optional[Config] = None) -> list[MatchEntry]:
    """The fixable entries of ``rule`` that no example with a ``fixed:`` text shows: none of
    those examples' bad texts gets a fix from the entry alone."""
    shown = [ex for ex in rule.examples if ex.fixed is not None]
    missing = []
    for entry in fixable_entries(rule):
        alone = Linter(config or Config(), rules=[rule._replace(matches=(entry,))])
        if not any(d.fix is not None and d.fix.applicability >= APPLIED
                   for ex in shown for d in alone.lint_text(ex.text, ex.format)):
            missing.append(entry)
    return missing


def describe_unshown(rule: Rule, entry: MatchEntry) -> str:
    kind = "phrase" if entry.phrase is not None else "pattern"
    return (f'{rule.path}: {rule.code}: no example with "fixed:" shows the {entry.fix} fix of {kind} '
            f'"{entry.source}" (→ "{entry.replace}")')
