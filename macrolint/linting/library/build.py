"""Adding a library's files up into a ``LibraryReport``.

``Collector.add`` takes each file's result as the run produces it (``Linter.survey_file``:
skipped reason, diagnostics, ``FileFacts``), numbers its items and hands their texts to the
near-duplicate search at once, so that search runs while the workers still lint. ``finish``
works out the rest: scores, ranking, phrases, clusters, the trend against a baseline.
``report_paths`` is the whole run for the Python API (``macrolint.report``).
"""
from __future__ import annotations

import os
from collections import Counter
from typing import Iterable, Optional, Sequence

from macrolint.linting.library import score as scoring
from macrolint.linting.library.facts import FileFacts, item_key
from macrolint.linting.library.figures import (
    ClusterReport,
    FindingReport,
    ItemReport,
    LibraryReport,
    PhraseReport,
    ProblemReport,
    SourceReport,
    TrendReport,
)
from macrolint.linting.library.neardup import DEFAULT_THRESHOLD, Clusterer
from macrolint.model import CATEGORIES, Diagnostic, Severity

#: The category of the ``placeholders`` pack's rules: its findings have a section of their own.
PLACEHOLDER_CATEGORY = "placeholder"
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def _finding(d: Diagnostic, context: Optional[tuple[str, str]]) -> FindingReport:
    before, after = context or ("", "")
    return FindingReport(d.rule, d.name, d.category, str(d.severity), d.confidence, d.message, d.match, d.line,
                         d.column, before, after, tuple(d.suggestions))


class Collector:
    """A library report under way: files are added as they are linted."""

    def __init__(self, threshold: float = DEFAULT_THRESHOLD):
        self.threshold = threshold
        self.clusterer = Clusterer(threshold) if threshold > 0 else None
        self.items: list[ItemReport] = []
        #: Each item's diagnostics (wording findings only), parallel to ``items``.
        self.found: list[list[Diagnostic]] = []
        self.files = 0
        self.sources: dict[str, SourceReport] = {}
        self.problems: list[ProblemReport] = []
        self.skipped: list[tuple[str, str]] = []
        #: Every diagnostic about wording, with the index of its item, for the trend.
        self.diagnostics: list[tuple[Diagnostic, int, FindingReport]] = []

    def add(self, path: str, skipped: Optional[str], diagnostics: Sequence[Diagnostic],
            facts: Optional[FileFacts] = None) -> None:
        """One file's result (``facts`` is None when the file could not be read)."""
        if skipped is not None:
            self.skipped.append((path, skipped))
            return
        self.files += 1
        source_name = (facts.platform or facts.format) if facts is not None else "not read"
        source = self.sources.setdefault(source_name, SourceReport(source_name))
        source.files += 1
        mine: dict = {}
        if facts is not None:
            for f in facts.items:
                mine[f.key] = self._new_item(path, source_name, f.key, f.id, f.title, f.fields, f.words, f.meta, f.text)
                if self.clusterer is not None and f.signature:
                    self.clusterer.add(mine[f.key].index, f.text, f.signature)
        contexts = facts.contexts if facts is not None else ()
        for n, d in enumerate(diagnostics):
            if d.category == "input":
                self.problems.append(ProblemReport(d.path, d.rule, d.name, d.message, d.line, d.column))
                continue
            key = item_key(d.item)
            item = mine.get(key)
            if item is None:  # a finding outside every item the facts name (a suppression notice...)
                title = d.item.get("title") if d.item else None
                ident = d.item.get("id") if d.item else None
                item = mine[key] = self._new_item(path, source_name, key, ident, title, (), 0, (), "")
            finding = _finding(d, contexts[n] if n < len(contexts) else None)
            item.findings.append(finding)
            self.found[item.index].append(d)
            self.diagnostics.append((d, item.index, finding))

    def _new_item(self, path, source, key, ident, title, fields, words, meta, text) -> ItemReport:
        usage, usage_key = scoring.usage_of(meta)
        item = ItemReport(len(self.items), path, source, ident, title, tuple(fields), words, usage, usage_key,
                          text=text)
        self.items.append(item)
        self.found.append([])
        return item

    def finish(self, rules: Iterable = (), baseline=None, baseline_path: str = "",
               paths: Sequence[str] = ()) -> LibraryReport:
        """The report; ``baseline`` is a loaded baseline (``linting.baseline.load``) or None."""
        by_category: Counter = Counter()
        by_severity: Counter = Counter()
        by_rule: Counter = Counter()
        rule_items: dict[str, set[int]] = {}
        names: dict[str, tuple[str, str]] = {}
        for item, found in zip(self.items, self.found):
            item.score = scoring.script_score(found, item.words)
            item.priority = scoring.priority(item.score, item.usage)
            source = self.sources[item.source]
            source.items += 1
            source.words += item.words
            source.findings += len(found)
            source.clean_items += not found
            for d in found:
                by_category[d.category] += 1
                by_severity[str(d.severity)] += 1
                by_rule[d.rule] += 1
                rule_items.setdefault(d.rule, set()).add(item.index)
                names.setdefault(d.rule, (d.name, d.category))
        rules = {r.code: r for r in rules}
        ranked = sorted((i for i in self.items if i.score > 0), key=lambda i: (-i.priority, -i.score, i.index))
        report = LibraryReport(
            paths=list(paths), files=self.files, items=self.items,
            sources=sorted(self.sources.values(), key=lambda s: (-s.items, s.name)),
            by_category={c: by_category[c] for c in (*CATEGORIES, PLACEHOLDER_CATEGORY, *sorted(by_category))
                         if c in by_category or c in CATEGORIES},
            by_severity={str(s): by_severity[str(s)] for s in sorted(Severity, reverse=True)},
            by_rule=[(r, *names[r], n, len(rule_items[r])) for r, n in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))],
            fix_first=[i.index for i in ranked],
            phrases=self._phrases(rules),
            clusters=self._clusters(),
            threshold=self.threshold,
            distribution=scoring.distribution([i.score for i in self.items]),
            score_summary=scoring.summary([i.score for i in self.items]),
            problems=self.problems, skipped=self.skipped, rules=rules,
            placeholders_checked=any(r.category == PLACEHOLDER_CATEGORY for r in rules.values()) if rules else True,
        )
        if baseline is not None:
            report.trend = self._trend(baseline, baseline_path)
        return report

    def _phrases(self, rules: dict) -> list[PhraseReport]:
        """Matched phrases about wording (placeholders have their own section), most frequent
        first, each with the rewrite most of its findings suggest, else the rule's advice."""
        phrases: dict[tuple[str, str], PhraseReport] = {}
        rewrites: dict[tuple[str, str], Counter] = {}
        for d, index, _ in self.diagnostics:
            if d.category == PLACEHOLDER_CATEGORY or not d.match.strip():
                continue
            key = (d.rule, " ".join(d.match.translate(_QUOTES).casefold().split()))
            phrase = phrases.get(key)
            if phrase is None:
                phrase = phrases[key] = PhraseReport(d.rule, d.name, d.category, key[1], " ".join(d.match.split()), 0)
                rewrites[key] = Counter()
            phrase.count += 1
            if not phrase.items or phrase.items[-1] != index:
                phrase.items.append(index)
            if d.suggestions:
                rewrites[key][d.suggestions[0]] += 1
        for key, phrase in phrases.items():
            top = rewrites[key].most_common(1)
            rule = rules.get(phrase.rule)
            if top and (2 * top[0][1] >= phrase.count or rule is None or not rule.suggest):
                phrase.suggestion = " ".join(top[0][0].split())
            elif rule is not None and rule.suggest:
                phrase.suggestion = " ".join(rule.suggest[0].split())
            phrase.items = sorted(set(phrase.items))
        return sorted(phrases.values(), key=lambda p: (-p.count, -len(p.items), p.rule, p.phrase))

    def _clusters(self) -> list[ClusterReport]:
        if self.clusterer is None:
            return []
        items = self.items

        def rank(i: int) -> tuple:  # the most used first, then the most words, then file order
            return (-(items[i].usage or 0), -items[i].words, i)

        texts = _Texts(items)
        out = []
        for n, cluster in enumerate(self.clusterer.clusters(texts, rank)):
            for i in cluster.members:
                items[i].cluster = n
            out.append(ClusterReport(list(cluster.members), list(cluster.similarity)))
        return out

    def _trend(self, baseline, path: str) -> TrendReport:
        from macrolint.linting import baseline as baselines

        diagnostics = [d for d, _, _ in self.diagnostics]
        new, fixed = baselines.compare(diagnostics, baseline)
        new_ids = {id(d) for d in new}
        trend = TrendReport(path, fixed=fixed)
        for d, index, finding in self.diagnostics:
            if id(d) in new_ids:
                trend.new.append((index, finding))
            else:
                trend.unchanged += 1
        return trend


class _Texts:
    """``items[i].text`` by index, for the clusterer."""

    def __init__(self, items: list[ItemReport]):
        self.items = items

    def __getitem__(self, i: int) -> str:
        return self.items[i].text


def report_paths(paths: Iterable[str] | str, config=None, threshold: float = DEFAULT_THRESHOLD,
                 baseline: Optional[str] = None, jobs: int = 1) -> LibraryReport:
    """Read and lint files and folders as ``macrolint report`` does, and add them up. Without
    ``config`` each file uses the nearest config above it. ``baseline``: a baseline file
    (``check --write-baseline``) to compare with. Raises ``linting.baseline.BaselineError`` for
    a baseline that cannot be read."""
    from macrolint.linting import files as walk
    from macrolint.linting.linter import Linter
    from macrolint.linting.parallel import lint_files_with

    if isinstance(paths, (str, os.PathLike)):
        paths = [str(paths)]
    paths = [str(p) for p in paths]
    loaded = None
    if baseline is not None:
        from macrolint.linting import baseline as baselines

        loaded = baselines.load(baseline)
    made: dict[int, Linter] = {}
    if config is not None:
        tree = config

        def linter_for(path: str) -> Linter:
            return made.setdefault(0, Linter(config)) if not made else made[0]
    else:
        from macrolint.packs.configtree import ConfigTree

        tree = ConfigTree()

        def linter_for(path: str) -> Linter:
            cfg = tree.for_path(path)
            return made.get(id(cfg)) or made.setdefault(id(cfg), Linter(cfg))
    collector = Collector(threshold)
    for path, skipped, diagnostics, *facts in lint_files_with(linter_for, walk.iter_files(paths, tree), None, jobs,
                                                              "survey_file"):
        collector.add(path, skipped, diagnostics, facts[0] if facts else None)
    rules = {r.code: r for linter in made.values() for r in linter.rules}
    return collector.finish(rules.values(), loaded, baseline or "", paths)
