"""Every rule's own examples: bad texts are flagged by the rule, good and ok texts are not, fixed
texts are what the rule's fixes make of the bad ones, and every fix a rule can make is shown."""
from __future__ import annotations

import pytest

from macrolint.fixing.examples import (
    describe_unshown,
    run_fixed_examples,
    unshown_fixes,
)
from macrolint.linting.examples import run_examples
from macrolint.linting.rules import load_packs
from macrolint.packs.load import builtin_names

_PACKS = load_packs(builtin_names())
_RESULTS = [r for pack in _PACKS for r in run_examples(pack.rules)]


@pytest.mark.parametrize(
    "result", _RESULTS,
    ids=[f"{r.rule.pack}/{r.rule.code}/{'bad' if r.expect_finding else 'clean'}-{r.example.line}" for r in _RESULTS],
)
def test_rule_example(result):
    assert result.passed, result.describe()


_FIXED = [r for pack in _PACKS for r in run_fixed_examples(pack.rules)]


@pytest.mark.parametrize("result", _FIXED, ids=[f"{r.rule.pack}/{r.rule.code}/fixed-{r.example.line}" for r in _FIXED])
def test_rule_fixed_example(result):
    assert result.passed, result.describe()


_FIXABLE = [r for pack in _PACKS for r in pack.rules if any(m.replace is not None for m in r.matches)]


@pytest.mark.parametrize("rule", _FIXABLE, ids=[f"{r.pack}/{r.code}" for r in _FIXABLE])
def test_every_fix_is_shown_by_a_fixed_example(rule):
    missing = [describe_unshown(rule, m) for m in unshown_fixes(rule)]
    assert not missing, "\n".join(missing)
