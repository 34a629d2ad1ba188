"""Every rule's own examples: bad texts are flagged by the rule, good and ok texts are not."""
from __future__ import annotations

import pytest

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
