"""``fix --unsafe-fixes`` over a copy of the reference corpus: every changed data file still parses,
no placeholder changes, and only lines holding fixed text change (bench/fix_corpus.py prints the
counts)."""
from __future__ import annotations

import importlib.util
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def _bench():
    spec = importlib.util.spec_from_file_location("fix_corpus", ROOT / "bench" / "fix_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


def test_fixing_the_corpus_keeps_every_file_sound(corpus, tmp_path):
    report = _bench().fix_corpus(corpus, tmp_path)
    assert report.changed > 0 and sum(report.fixes.values()) > 0
    assert report.failures == []
    assert report.errors == [] and report.not_converged == []
    assert report.parse_ok == report.data_changed
    assert report.placeholders_ok == report.changed
    if report.numstat is not None:  # git counts the same lines: one deletion and one insertion each
        assert report.numstat == (report.lines_changed, report.lines_changed)
