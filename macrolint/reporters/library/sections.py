"""The report's sections after the overview: fix first, phrases to retire, near-duplicates,
placeholder hygiene, the trend since a baseline, and the files that could not be read."""
from __future__ import annotations

from macrolint.linting.library.build import PLACEHOLDER_CATEGORY
from macrolint.linting.library.figures import LibraryReport
from macrolint.linting.library.neardup import differences
from macrolint.reporters.library.markup import (
    esc,
    finding_list,
    in_context,
    item_cell,
    number,
    rule_link,
    table,
    usage_cell,
)
from macrolint.text.paths import shown_path

#: Members of a cluster whose text is shown with its differences (all are listed in its table).
SHOWN_MEMBERS = 12
#: Words of a text shown in a near-duplicate comparison.
SHOWN_WORDS = 300
#: What each check of the ``placeholders`` pack means for a content lead.
PLACEHOLDER_COLUMNS = {
    "PH001": "Slots left in",
    "PH002": "Greetings without a fallback",
    "PH003": "Variables the help desk does not have",
    "PH004": "Unbalanced template tags",
}


def fix_first(report: LibraryReport, top: int) -> str:
    items = report.items
    rules = report.rules
    ranked = report.fix_first[:top]
    rows = []
    for rank, i in enumerate(ranked, 1):
        item = items[i]
        rows.append(
            f'<tr><td data-sort="{rank}">{rank}</td><td>{item_cell(item)}</td><td>{esc(item.source)}</td>'
            f'<td data-sort="{item.score}">{number(item.score)}</td>{usage_cell(item)}'
            f'<td data-sort="{item.priority}">{number(item.priority)}</td>'
            f'<td data-sort="{len(item.findings)}"><details><summary>{len(item.findings)} '
            f'finding{"s" if len(item.findings) != 1 else ""}</summary>{finding_list(item.findings, rules)}</details></td></tr>')
    used = any(items[i].usage is not None for i in report.fix_first)
    how = ("ranked by script score × (1 + uses), where the export says how often an item is used, "
           "and by score elsewhere" if used else "ranked by script score (the export says nothing of how often "
           "each item is used)")
    headers = [("#", "number"), ("Item", "text"), ("Source", "text"), ("Score", "number"), ("Uses", "number"),
               ("Priority", "number"), ("Findings in context, with rewrites", "number")]
    return (f'<p>Items with findings, {how}. Open an item\'s findings to see each in its sentence with the '
            f"suggested rewrites.</p>"
            + table("fix-first-table", "Items to fix first", headers, rows, len(report.fix_first), len(ranked),
                    "No item has a finding."))


def phrases(report: LibraryReport, top: int) -> str:
    rows = []
    shown = report.phrases[:top * 2]
    for p in shown:
        rows.append(
            f'<tr><td><q>{esc(p.example)}</q></td><td>{rule_link(p.rule, report.rules, p.name)}</td>'
            f'<td>{esc(p.category)}</td><td data-sort="{p.count}">{p.count:,}</td>'
            f'<td data-sort="{len(p.items)}">{len(p.items):,}</td><td>{esc(p.suggestion)}</td></tr>')
    headers = [("Phrase", "text"), ("Rule", "text"), ("Category", "text"), ("Times", "number"),
               ("Items", "number"), ("Agreed rewrite to apply everywhere", "text")]
    return ("<p>Each matched phrase across the library, with how often it is used and the rewrite most of its "
            "findings suggest: agree one rewrite per phrase and apply it everywhere.</p>"
            + table("phrases-table", "Phrases to retire", headers, rows, len(report.phrases), len(shown),
                    "No phrase to retire."))


def _shown_text(segments) -> str:
    out = []
    words = 0
    for kind, text in segments:
        if kind in ("word", "new"):
            words += 1
            if words > SHOWN_WORDS:
                out.append('<span class="muted">…</span>')
                break
        if kind == "new":
            out.append(f"<ins>{esc(text)}</ins>")
        elif kind == "gone":
            out.append(f"<del>{esc(text)}</del>")
        elif kind == "hole":
            out.append(f'<code class="hole">{esc(text)}</code>')
        else:
            out.append(esc(text))
    return "".join(out)


def near_duplicates(report: LibraryReport, top: int) -> str:
    items = report.items
    intro = (f"<p>Items whose text is at least {number(report.threshold)}% the same (the lower of the token-set "
             "and token-sort similarities of their words, placeholders left out): candidates to merge, or to keep "
             "in step. Each cluster shows its most used item (else its longest) in full, and what each other item "
             'changes: <ins>words it adds</ins>, <del>words it drops</del>.</p>')
    if not report.clusters:
        return intro + f'<p class="empty">No near-duplicates at {number(report.threshold)}%.</p>'
    shown = report.clusters[:top]
    parts = [intro, '<div class="clusters" data-list="clusters" data-page="10">']
    for n, cluster in enumerate(shown, 1):
        rep = items[cluster.members[0]]
        low = min(cluster.similarity)
        rows = "".join(
            f"<tr><td>{item_cell(items[i])}</td><td data-sort=\"{s}\">{number(s)}%</td>{usage_cell(items[i])}"
            f"<td data-sort=\"{items[i].score}\">{number(items[i].score)}</td></tr>"
            for i, s in zip(cluster.members, cluster.similarity))
        texts = [f'<div class="dup"><p class="dup-label">{esc(rep.label)} (shown in full)</p>'
                 f'<p class="dup-text">{_shown_text(differences(rep.text, rep.text))}</p></div>']
        for i in cluster.members[1:SHOWN_MEMBERS]:
            texts.append(f'<div class="dup"><p class="dup-label">{esc(items[i].label)}</p>'
                         f'<p class="dup-text">{_shown_text(differences(rep.text, items[i].text))}</p></div>')
        more = len(cluster.members) - SHOWN_MEMBERS
        if more > 0:
            texts.append(f'<p class="note">{more:,} more item{"s" if more != 1 else ""} in this cluster are listed '
                         "in its table above.</p>")
        parts.append(
            f'<article class="cluster" data-row id="cluster-{n}"><h3>Cluster {n}: {len(cluster.members)} items, '
            f"{number(low)}–100% alike</h3>"
            f'<table class="members"><caption>Items of cluster {n}</caption><thead><tr><th scope="col">Item</th>'
            f'<th scope="col">Similarity to the first</th><th scope="col">Uses</th><th scope="col">Score</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>{''.join(texts)}</article>")
    parts.append("</div>")
    if len(shown) < len(report.clusters):
        parts.append(f'<p class="note">The largest {len(shown):,} of {len(report.clusters):,} clusters are shown; '
                     "<code>--format json</code> lists every one.</p>")
    return "".join(parts)


def placeholders(report: LibraryReport, top: int) -> str:
    if not report.placeholders_checked:
        return ('<p class="empty">The placeholder checks (the <code>placeholders</code> pack) were not run: '
                "enable the pack or its PH rules to see slots left in, greetings without a fallback and variables "
                "the help desk does not have.</p>")
    flagged = [(i, [f for f in i.findings if f.category == PLACEHOLDER_CATEGORY]) for i in report.items]
    flagged = [(i, fs) for i, fs in flagged if fs]
    codes = sorted({f.rule for _, fs in flagged for f in fs})
    flagged.sort(key=lambda t: (-len(t[1]), -(t[0].usage or 0), t[0].index))
    shown = flagged[:top * 2]
    rows = []
    for item, found in shown:
        cells = []
        for code in codes:
            mine = [f for f in found if f.rule == code]
            text = "<br>".join(f"<code>{esc(f.match)}</code>" for f in mine[:5]) + ("…" if len(mine) > 5 else "")
            cells.append(f'<td data-sort="{len(mine)}">{text}</td>')
        rows.append(f"<tr><td>{item_cell(item)}</td><td>{esc(item.source)}</td>{usage_cell(item)}{''.join(cells)}</tr>")
    headers = [("Item", "text"), ("Source", "text"), ("Uses", "number")]
    headers += [(f"{PLACEHOLDER_COLUMNS.get(c, report.rules[c].name if c in report.rules else c)} ({c})", "number")
                for c in codes]
    return ("<p>Placeholders that will reach a customer broken: fill-in slots an agent must replace by hand, "
            "greetings whose name has no fallback, variables the detected help desk does not have.</p>"
            + table("placeholders-table", "Placeholder hygiene per item", headers, rows, len(flagged), len(shown),
                    "Every placeholder is in order."))


def trend(report: LibraryReport, top: int) -> str:
    t = report.trend
    if t is None:
        return ('<p class="empty">Run with <code>--baseline FILE</code> (a file written by '
                "<code>macrolint check --write-baseline FILE</code>) to see what is new and what was fixed since.</p>")
    fixed = sum(e["count"] for e in t.fixed)
    items = report.items
    out = [f'<dl class="cards"><div><dt>New findings</dt><dd>{len(t.new):,}</dd></div>'
           f"<div><dt>Fixed since the baseline</dt><dd>{fixed:,}</dd></div>"
           f"<div><dt>Still there</dt><dd>{t.unchanged:,}</dd></div></dl>",
           f'<p>Compared with <code>{esc(shown_path(t.baseline))}</code>.</p><h3>New</h3>']
    rows = [f"<tr><td>{item_cell(items[i]) if i is not None else ''}</td><td>{rule_link(f.rule, report.rules, f.name)}</td>"
            f"<td>{in_context(f)}</td><td>{esc(f.severity)}</td></tr>" for i, f in t.new[:top * 2]]
    out.append(table("new-table", "Findings not in the baseline",
                     [("Item", "text"), ("Rule", "text"), ("In context", "text"), ("Severity", "text")],
                     rows, len(t.new), min(len(t.new), top * 2), "Nothing new since the baseline."))
    out.append("<h3>Fixed</h3>")
    rows = [f"<tr><td>{esc(e['path'])}</td><td>{esc(e['item'] or '')}</td><td>{rule_link(e['rule'], report.rules)}</td>"
            f"<td><q>{esc(e['match'])}</q></td><td data-sort=\"{e['count']}\">{e['count']}</td></tr>"
            for e in t.fixed[:top * 2]]
    out.append(table("fixed-table", "Baseline findings no longer found",
                     [("File", "text"), ("Item", "text"), ("Rule", "text"), ("Phrase", "text"), ("Times", "number")],
                     rows, len(t.fixed), min(len(t.fixed), top * 2), "Nothing fixed since the baseline."))
    return "".join(out)


def problems(report: LibraryReport) -> str:
    rows = [f"<tr><td>{esc(shown_path(p.path))}:{p.line}:{p.column}</td><td>{esc(p.rule)} {esc(p.name)}</td>"
            f"<td>{esc(p.message)}</td></tr>" for p in report.problems]
    if not rows:
        return ""
    return ('<section id="problems"><h2>Files not read</h2><p>These files could not be read, or not in full; '
            "what they hold is not in the figures above.</p>"
            + table("problems-table", "Files not read", [("File", "text"), ("Problem", "text"), ("Why", "text")],
                    rows, len(rows)) + "</section>")
