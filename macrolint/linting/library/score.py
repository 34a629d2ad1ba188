"""The script score of an item, and how the scores of a library spread.

    score = 100 × Σ (severity weight × confidence) / max(words, MIN_WORDS)

summed over the item's findings (problems with the file itself and suppression notices are not
findings about its wording), where the weights are info 1, warning 2, error 4, the confidence is
the finding's (1 for an exact phrase, below 1 for a near-variant), and the words are counted in
the linted text, placeholders, URLs and code left out. It reads as weighted findings per 100
words: a 100-word macro with one warning scores 2, with a warning and an error 6. Short items
count as ``MIN_WORDS`` words, so a one-line reply with one finding does not outrank a long one with
several.

An item's priority in "fix first" is its score × (1 + how often it was used), where the export
gives a usage count (Zendesk ``usage_30d`` or ``usage_7d``...; see ``readers.shapes``), and its
score alone elsewhere.
"""
from __future__ import annotations

from typing import Iterable, Optional, Sequence

from macrolint.model import Diagnostic, Severity

WEIGHTS = {Severity.INFO: 1.0, Severity.WARNING: 2.0, Severity.ERROR: 4.0}
MIN_WORDS = 25
#: Diagnostic categories that say nothing about an item's wording.
UNSCORED = frozenset({"input", "suppression"})
#: The score ranges of the distribution: ``(label, low, high)``, low excluded (but 0 is its own range).
RANGES = (("0", None, 0.0), ("0–2", 0.0, 2.0), ("2–5", 2.0, 5.0), ("5–10", 5.0, 10.0), ("10–20", 10.0, 20.0),
          ("20+", 20.0, None))
#: The usage counts "fix first" ranks by, most telling first.
USAGE_KEYS = ("usage_30d", "usage_7d", "usage_24h", "usage_1h", "usage", "usageCount", "count")


def scored(d: Diagnostic) -> bool:
    """Whether a diagnostic counts towards the score: a finding about the wording."""
    return d.category not in UNSCORED


def script_score(diagnostics: Iterable[Diagnostic], words: int) -> float:
    """The script score of an item with these findings and this many words."""
    total = sum(WEIGHTS.get(d.severity, 1.0) * d.confidence for d in diagnostics if scored(d))
    return round(100 * total / max(words, MIN_WORDS), 2) if total else 0.0


def usage_of(meta: Sequence[tuple[str, float]]) -> tuple[Optional[float], Optional[str]]:
    """``(count, key)`` of the most telling usage count an item's export gives, or ``(None, None)``."""
    found = dict(meta)
    for key in USAGE_KEYS:
        if key in found:
            return found[key], key
    return None, None


def priority(score: float, usage: Optional[float]) -> float:
    return round(score * (1 + (usage or 0)), 2)


def distribution(scores: Sequence[float]) -> list[tuple[str, int]]:
    """How many items fall in each of ``RANGES``."""
    counts = [0] * len(RANGES)
    for s in scores:
        for k, (_, low, high) in enumerate(RANGES):
            if (low is None and s <= high) or (low is not None and s > low and (high is None or s <= high)):
                counts[k] += 1
                break
    return [(label, n) for (label, _, _), n in zip(RANGES, counts)]


def summary(scores: Sequence[float]) -> dict:
    """Mean, median, 90th percentile and maximum of the scores (all items, clean ones too)."""
    if not scores:
        return {"mean": 0.0, "median": 0.0, "p90": 0.0, "max": 0.0}
    ordered = sorted(scores)
    n = len(ordered)
    return {"mean": round(sum(ordered) / n, 2), "median": _quantile(ordered, 0.5), "p90": _quantile(ordered, 0.9),
            "max": ordered[-1]}


def _quantile(ordered: Sequence[float], q: float) -> float:
    """The ``q`` quantile by linear interpolation between the closest ranks."""
    pos = (len(ordered) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return round(ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo), 2)
