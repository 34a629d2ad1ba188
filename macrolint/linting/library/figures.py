"""The figures of a library report, as the Python API returns them (``macrolint.report``) and
the reporters render them. ``LibraryReport.to_dict`` is the JSON of ``--format json``."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from macrolint.text.paths import shown_path

#: The version of the JSON document (``LibraryReport.to_dict``).
SCHEMA_VERSION = 1


@dataclass
class FindingReport:
    """A finding in an item, with the words around it."""

    rule: str
    name: str
    category: str
    severity: str
    confidence: float
    message: str
    match: str
    line: int
    column: int
    #: The item's text just before and just after the match.
    before: str = ""
    after: str = ""
    suggestions: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {"rule": self.rule, "name": self.name, "category": self.category, "severity": self.severity,
                "confidence": self.confidence, "message": self.message, "match": self.match, "line": self.line,
                "column": self.column, "before": self.before, "after": self.after,
                "suggestions": list(self.suggestions)}


@dataclass
class ItemReport:
    """One macro, reply or article: its words, findings, score and how much it is used."""

    index: int
    path: str
    #: The help desk the export is from, or the file's format for a file that is no export.
    source: str
    id: Optional[str]
    title: Optional[str]
    fields: tuple[str, ...]
    words: int
    usage: Optional[float] = None
    #: Which usage count ``usage`` is (``usage_30d``, ``usage_7d``...).
    usage_key: Optional[str] = None
    score: float = 0.0
    priority: float = 0.0
    #: Findings about the wording (placeholder findings included), in file order.
    findings: list[FindingReport] = field(default_factory=list)
    #: Index of the near-duplicate cluster the item is in (``LibraryReport.clusters``), or None.
    cluster: Optional[int] = None
    #: The customer-facing text (``facts.ItemFacts.text``), kept for showing near-duplicates.
    text: str = ""

    @property
    def label(self) -> str:
        """How the report names the item: its title, else its id, else its file's name."""
        if self.title:
            return self.title
        if self.id:
            return f"#{self.id}"
        return shown_path(self.path).rsplit("/", 1)[-1]

    def to_dict(self, text: bool = False) -> dict:
        out = {"index": self.index, "path": shown_path(self.path), "source": self.source, "id": self.id,
               "title": self.title, "label": self.label, "fields": list(self.fields), "words": self.words,
               "usage": self.usage, "usage_key": self.usage_key, "score": self.score, "priority": self.priority,
               "cluster": self.cluster, "findings": [f.to_dict() for f in self.findings]}
        if text:
            out["text"] = self.text
        return out


@dataclass
class PhraseReport:
    """A matched phrase across the library: retire it once, everywhere."""

    rule: str
    name: str
    category: str
    #: The phrase as matched, lower-case and spaces collapsed (its first wording as written in ``example``).
    phrase: str
    example: str
    count: int
    #: Indices of the items it is in (``LibraryReport.items``).
    items: list[int] = field(default_factory=list)
    #: The rewrite most often suggested for it.
    suggestion: str = ""

    def to_dict(self) -> dict:
        return {"rule": self.rule, "name": self.name, "category": self.category, "phrase": self.phrase,
                "example": self.example, "count": self.count, "items": self.items, "suggestion": self.suggestion}


@dataclass
class ClusterReport:
    """Items whose text is nearly the same: the representative first (the most used, else the
    first in file order), each with its similarity to it."""

    members: list[int]
    similarity: list[float]

    def to_dict(self) -> dict:
        return {"members": self.members, "similarity": self.similarity}


@dataclass
class SourceReport:
    """What was read from one help desk (or one file format)."""

    name: str
    files: int = 0
    items: int = 0
    words: int = 0
    findings: int = 0
    clean_items: int = 0

    def to_dict(self) -> dict:
        return {"name": self.name, "files": self.files, "items": self.items, "words": self.words,
                "findings": self.findings, "clean_items": self.clean_items}


@dataclass
class TrendReport:
    """What changed since a baseline (``check --write-baseline``)."""

    baseline: str
    #: ``(item index or None, finding)`` for each finding the baseline does not have.
    new: list[tuple[Optional[int], FindingReport]] = field(default_factory=list)
    #: Baseline entries no finding matches any more: ``{path, item, rule, match, count}``.
    fixed: list[dict] = field(default_factory=list)
    #: Findings that were already in the baseline.
    unchanged: int = 0

    def to_dict(self) -> dict:
        return {"baseline": shown_path(self.baseline), "unchanged": self.unchanged,
                "new": [{"item": i, **f.to_dict()} for i, f in self.new],
                "fixed": self.fixed, "fixed_count": sum(e["count"] for e in self.fixed)}


@dataclass
class ProblemReport:
    """A file that could not be read, or read in full (the ``IO`` codes), as ``check`` reports it."""

    path: str
    rule: str
    name: str
    message: str
    line: int = 1
    column: int = 1

    def to_dict(self) -> dict:
        return {"path": shown_path(self.path), "rule": self.rule, "name": self.name, "message": self.message,
                "line": self.line, "column": self.column}


@dataclass
class LibraryReport:
    """Everything ``macrolint report`` shows, as numbers and lists."""

    paths: list[str]
    files: int
    items: list[ItemReport]
    sources: list[SourceReport]
    by_category: dict[str, int]
    by_severity: dict[str, int]
    #: ``(rule, name, category, findings, items)`` per rule, most findings first.
    by_rule: list[tuple[str, str, str, int, int]]
    #: Item indices ranked for fixing: highest priority first, items without findings left out.
    fix_first: list[int]
    phrases: list[PhraseReport]
    clusters: list[ClusterReport]
    #: The near-duplicate threshold used (0 to 100).
    threshold: float
    distribution: list[tuple[str, int]]
    score_summary: dict
    problems: list[ProblemReport] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    trend: Optional[TrendReport] = None
    #: The rules of the run by code (``packs.model.Rule``), for their summaries and documentation.
    rules: dict = field(default_factory=dict)
    #: Whether the run's rules check placeholders (the ``placeholders`` pack), so that an item
    #: without placeholder findings has none to fix.
    placeholders_checked: bool = True

    @property
    def words(self) -> int:
        return sum(i.words for i in self.items)

    @property
    def clean_items(self) -> int:
        """Items with no finding."""
        return sum(1 for i in self.items if not i.findings)

    @property
    def clean_share(self) -> float:
        return round(self.clean_items / len(self.items), 4) if self.items else 1.0

    @property
    def findings(self) -> int:
        return sum(self.by_severity.values())

    def to_dict(self) -> dict:
        from macrolint._version import __version__

        in_clusters = {m for c in self.clusters for m in c.members}
        rules = {code: {"name": r.name, "category": r.category, "severity": str(r.severity), "summary": r.summary}
                 for code, r in sorted(self.rules.items())}
        return {
            "version": SCHEMA_VERSION,
            "tool": {"name": "macrolint", "version": __version__},
            "paths": [shown_path(p) for p in self.paths],
            "totals": {"files": self.files, "items": len(self.items), "words": self.words,
                       "clean_items": self.clean_items, "clean_share": self.clean_share, "findings": self.findings},
            "sources": [s.to_dict() for s in self.sources],
            "by_category": self.by_category,
            "by_severity": self.by_severity,
            "by_rule": [{"rule": r, "name": n, "category": c, "findings": f, "items": i}
                        for r, n, c, f, i in self.by_rule],
            "score": {"summary": self.score_summary,
                      "distribution": [{"range": label, "items": n} for label, n in self.distribution]},
            "items": [i.to_dict(text=i.index in in_clusters) for i in self.items],
            "fix_first": self.fix_first,
            "phrases": [p.to_dict() for p in self.phrases],
            "near_duplicates": {"threshold": self.threshold, "clusters": [c.to_dict() for c in self.clusters]},
            "placeholders_checked": self.placeholders_checked,
            "trend": self.trend.to_dict() if self.trend else None,
            "problems": [p.to_dict() for p in self.problems],
            "skipped": [{"path": shown_path(p), "reason": r} for p, r in self.skipped],
            "rules": rules,
        }
