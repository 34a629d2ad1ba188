"""Runs the examples every rule carries: each ``bad`` text must be flagged by its rule, and each
``good`` rewrite and ``ok`` text must not be. Used by the test suite and ``macrolint rules test``.
A draft rule's texts that still hold a ``TODO`` are left out."""
from __future__ import annotations

from typing import NamedTuple, Optional, Sequence

from macrolint.linting.linter import Linter
from macrolint.packs.config import Config
from macrolint.packs.model import Example, Rule
from macrolint.packs.scaffold import TODO


class ExampleResult(NamedTuple):
    rule: Rule
    example: Example
    text: str
    expect_finding: bool
    found: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return bool(self.found) == self.expect_finding

    def describe(self) -> str:
        where = f"{self.rule.path}:{self.example.line}"
        if self.expect_finding:
            return f"{where}: {self.rule.code} did not flag its bad example: {self.text!r}"
        return f"{where}: {self.rule.code} flagged {', '.join(map(repr, self.found))} in a text that must stay clean: {self.text!r}"


def examples_linter(rules: Sequence[Rule], config: Optional[Config] = None) -> Linter:
    """A linter for checking the examples of ``rules``, all of them loaded together: every rule
    answers for its own examples, so findings on the same words are not reduced to one."""
    linter = Linter(config or Config(), rules=rules)
    linter.judge.one_per_span = False
    return linter


def run_examples(rules: Sequence[Rule], config: Optional[Config] = None,
                 linter: Optional[Linter] = None) -> list[ExampleResult]:
    """Check every example of ``rules`` with all of ``rules`` loaded together (``linter``: an
    ``examples_linter`` of them, to share)."""
    linter = linter or examples_linter(rules, config)
    results = []
    for rule in rules:
        for ex in rule.examples:
            cases = [(ex.text, ex.kind == "bad")]
            if ex.good is not None:
                cases.append((ex.good, False))
            for text, expect in cases:
                if rule.status == "draft" and TODO in text:
                    continue  # not written yet: ``rules test`` lists it as such
                found = tuple(d.match for d in linter.lint_text(text, ex.format) if d.rule == rule.code)
                results.append(ExampleResult(rule, ex, text, expect, found))
    return results
