"""The fuzz campaign's core budget (bench/fuzz.py --budget core): a few cases of every family of
hostile input, through the installed command line. No case may crash the run, lose the canary
or another file's findings, hang, balloon in memory, or run a payload; each family is its own
test so a failure names the family, and its message gives a reproducer per failing case."""
from __future__ import annotations

import sys

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from fuzzlib import generators  # noqa: E402
from fuzzlib.runner import Settings, campaign  # noqa: E402

pytestmark = pytest.mark.slow

SEED = 1


@pytest.fixture(scope="module")
def core_report(tmp_path_factory):
    cases = generators.generate(list(generators.FAMILIES), SEED, "core")
    settings = Settings(python=sys.executable, workers=2, tmp=str(tmp_path_factory.mktemp("fuzz")))
    return campaign(cases, settings, seed=SEED, budget="core", families=list(generators.FAMILIES),
                    reproduce=f"python bench/fuzz.py --budget core --seed {SEED}")


@pytest.mark.parametrize("family", list(generators.FAMILIES))
def test_hostile_input_never_crashes_or_loses_data(core_report, family):
    outcomes = [o for o in core_report.outcomes if o.family == family]
    assert outcomes, f"no {family} cases ran"
    failed = [o for o in outcomes if o.failed]
    if failed:
        pytest.fail(f"{len(failed)} of {len(outcomes)} {family} cases failed:\n" + "\n".join(
            f"{o.id}: {'; '.join(map(str, o.failures))}\n    {core_report.repro(o)}" for o in failed), pytrace=False)
