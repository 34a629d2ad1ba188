"""``macrolint report --format markdown``: the report for a pull-request comment or
``$GITHUB_STEP_SUMMARY`` (GitHub-flavoured Markdown: tables, ``<details>``). Lists are shorter than
the page's (a tenth of ``--top``, at least 10); every piece of user text is escaped so that a macro
can neither break a table nor inject markup."""
from __future__ import annotations

import re

from macrolint.linting.library import score as scoring
from macrolint.linting.library.build import PLACEHOLDER_CATEGORY
from macrolint.linting.library.figures import FindingReport, ItemReport, LibraryReport
from macrolint.reporters.library.markup import number
from macrolint.reporters.library.sections import PLACEHOLDER_COLUMNS
from macrolint.text.paths import shown_path

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>])")
_CONTROL = re.compile("[\x00-\x1f\x7f]+")


def md(value: object) -> str:
    """User text as Markdown text on one line: markup characters escaped, ``<`` and ``&`` as
    entities (GitHub renders HTML), line breaks as spaces."""
    text = _CONTROL.sub(" ", str(value))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", text)


def _item(item: ItemReport) -> str:
    return f"{md(item.label)}<br><sub>{md(shown_path(item.path))}</sub>"


def _finding(f: FindingReport) -> str:
    rewrite = f" → {md(f.suggestions[0])}" if f.suggestions else ""
    return f"- **{md(f.rule)}** {md(f.name)}: “{md(f.before)}**{md(f.match)}**{md(f.after)}”{rewrite}"


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---:" if h.endswith(":") else "---" for h in headers) + "|"]
    out[0] = out[0].replace(":", "")
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def render_markdown(report: LibraryReport, top: int = 100) -> str:
    top = max(10, top // 10)
    items = report.items
    s = report.score_summary
    lines = ["## macrolint library report", "",
             f"**{len(items):,}** items ({report.words:,} words) in {report.files:,} files; "
             f"**{report.clean_share:.0%}** have no finding; {report.findings:,} findings; median script score "
             f"{number(s['median'])} (90th percentile {number(s['p90'])}); {len(report.clusters):,} near-duplicate "
             "clusters.", ""]
    lines += _table(["source", "files:", "items:", "words:", "findings:", "clean:"],
                    [[md(x.name), f"{x.files:,}", f"{x.items:,}", f"{x.words:,}", f"{x.findings:,}",
                      f"{(x.clean_items / x.items if x.items else 1):.0%}"] for x in report.sources])
    lines += ["", "Findings per category: " + ", ".join(f"{c} {n:,}" for c, n in report.by_category.items())
              + ". Per severity: " + ", ".join(f"{c} {n:,}" for c, n in report.by_severity.items()) + ".", "",
              "Script score (weighted findings per 100 words): "
              + ", ".join(f"{label} {n:,}" for label, n in report.distribution) + " items.", ""]
    lines += ["### Fix first", ""]
    ranked = report.fix_first[:top]
    if ranked:
        lines += _table(["#", "item", "score:", "uses:", "priority:", "findings:"],
                        [[str(n), _item(items[i]), number(items[i].score), number(items[i].usage),
                          number(items[i].priority), str(len(items[i].findings))] for n, i in enumerate(ranked, 1)])
        lines += ["", "<details><summary>Findings of these items, with rewrites</summary>", ""]
        for n, i in enumerate(ranked, 1):
            lines.append(f"**{n}. {md(items[i].label)}**")
            lines += [_finding(f) for f in items[i].findings] + [""]
        lines += ["</details>", ""]
    else:
        lines += ["No item has a finding.", ""]
    lines += ["### Phrases to retire", ""]
    if report.phrases:
        lines += _table(["phrase", "rule", "times:", "items:", "rewrite"],
                        [[f"“{md(p.example)}”", f"{md(p.rule)} {md(p.name)}", f"{p.count:,}", f"{len(p.items):,}",
                          md(p.suggestion)] for p in report.phrases[:top]])
    else:
        lines.append("No phrase to retire.")
    lines += ["", f"### Near-duplicates (at least {number(report.threshold)}% alike)", ""]
    if report.clusters:
        for n, c in enumerate(report.clusters[:top], 1):
            members = ", ".join(f"{md(items[i].label)} ({number(sim)}%)" for i, sim in zip(c.members[:10], c.similarity))
            more = f", and {len(c.members) - 10} more" if len(c.members) > 10 else ""
            lines.append(f"{n}. {len(c.members)} items: {members}{more}")
    else:
        lines.append("None.")
    lines += ["", "### Placeholder hygiene", ""]
    flagged = [(i, [f for f in i.findings if f.category == PLACEHOLDER_CATEGORY]) for i in items]
    flagged = [(i, fs) for i, fs in flagged if fs]
    if flagged:
        lines += _table(["item", "problems"],
                        [[_item(i), "; ".join(f"{PLACEHOLDER_COLUMNS.get(f.rule, f.name)}: `{f.match.replace('`', '')}`"
                                              for f in fs)] for i, fs in flagged[:top]])
    else:
        lines.append("Every placeholder is in order." if report.placeholders_checked
                     else "The placeholder checks were not run.")
    if report.trend is not None:
        t = report.trend
        lines += ["", "### Since the baseline", "",
                  f"{len(t.new):,} new, {sum(e['count'] for e in t.fixed):,} fixed, {t.unchanged:,} still there.", ""]
        lines += [_finding(f) + (f" — {md(items[i].label)}" if i is not None else "") for i, f in t.new[:top]]
    if report.problems:
        lines += ["", "### Files not read", ""]
        lines += [f"- {md(shown_path(p.path))}: {md(p.rule)} {md(p.message)}" for p in report.problems]
    lines += ["", f"<sub>Script score: findings weighted by severity (info 1, warning 2, error 4) and confidence, "
                  f"per 100 words (at least {scoring.MIN_WORDS}).</sub>", ""]
    return "\n".join(lines)
