"""``macrolint report``'s HTML page: one file, its style, script and charts inline, nothing fetched.

The tables are plain HTML first, so the page reads in full with JavaScript off; the script then
adds sorting (a button in each column head), a filter box and pages of ``markup.PAGE`` rows. Every
rule links to its entry at the foot of the page, whose anchor is that of its section in
``docs/rules.md`` (``reporters.sarif.rule_anchor``, as SARIF's ``helpUri`` uses it)."""
from __future__ import annotations

from importlib import resources

from macrolint._version import __version__
from macrolint.linting.library import score as scoring
from macrolint.linting.library.figures import LibraryReport
from macrolint.reporters.library import sections
from macrolint.reporters.library.charts import bar_chart, column_chart, describe
from macrolint.reporters.library.markup import anchor, esc, number, rule_link, table
from macrolint.text.paths import shown_path

SECTIONS = (("overview", "Overview"), ("fix-first", "Fix first"), ("phrases", "Phrases to retire"),
            ("near-duplicates", "Near-duplicates"), ("placeholders", "Placeholder hygiene"),
            ("trend", "Since the baseline"), ("rules", "Rules"))


def _asset(name: str) -> str:
    return resources.files("macrolint.reporters.library").joinpath("assets", name).read_text(encoding="utf-8")


def _cards(report: LibraryReport) -> str:
    cards = [("Items", f"{len(report.items):,}"), ("Words", f"{report.words:,}"), ("Files", f"{report.files:,}"),
             ("Items with no finding", f"{report.clean_share:.0%}"), ("Findings", f"{report.findings:,}"),
             ("Median script score", number(report.score_summary["median"])),
             ("Near-duplicate clusters", f"{len(report.clusters):,}")]
    return '<dl class="cards">' + "".join(f"<div><dt>{esc(k)}</dt><dd>{v}</dd></div>" for k, v in cards) + "</dl>"


def _figure(chart: str, caption: str) -> str:
    return f"<figure>{chart}<figcaption>{esc(caption)}</figcaption></figure>"


def overview(report: LibraryReport) -> str:
    rows = [f"<tr><td>{esc(s.name)}</td><td data-sort=\"{s.files}\">{s.files:,}</td>"
            f"<td data-sort=\"{s.items}\">{s.items:,}</td><td data-sort=\"{s.words}\">{s.words:,}</td>"
            f"<td data-sort=\"{s.findings}\">{s.findings:,}</td>"
            f"<td data-sort=\"{s.clean_items / s.items if s.items else 1}\">"
            f"{(s.clean_items / s.items if s.items else 1):.0%}</td></tr>" for s in report.sources]
    sources = table("sources-table", "What was read, per help desk or file format",
                    [("Source", "text"), ("Files", "number"), ("Items", "number"), ("Words", "number"),
                     ("Findings", "number"), ("Items with no finding", "number")], rows, len(rows), empty="No file was read.")
    categories = list(report.by_category.items())
    category_chart = _figure(bar_chart("chart-categories", "Findings per category", categories, "findings"),
                             describe("Findings per category", categories, "findings"))
    severities = [f"<tr><td>{esc(s)}</td><td>{n:,}</td></tr>" for s, n in report.by_severity.items()]
    severity_table = ('<table class="small"><caption>Findings per severity</caption><thead><tr><th scope="col">Severity'
                      '</th><th scope="col">Findings</th></tr></thead><tbody>' + "".join(severities) + "</tbody></table>")
    dist = [(label, float(n)) for label, n in report.distribution]
    dist_chart = _figure(column_chart("chart-scores", "Items per script score", dist, "items", "script score"),
                         describe("Items per script score", dist, "items"))
    summary = report.score_summary
    rule_rows = [f"<tr><td>{rule_link(r, report.rules, n)}</td><td>{esc(c)}</td><td data-sort=\"{f}\">{f:,}</td>"
                 f"<td data-sort=\"{i}\">{i:,}</td></tr>" for r, n, c, f, i in report.by_rule]
    weights = ", ".join(f"{s} {w:g}" for s, w in ((str(k), v) for k, v in scoring.WEIGHTS.items()))
    return (_cards(report) + "<h3>Sources</h3>" + sources
            + '<h3>Findings</h3><div class="figures">' + category_chart + severity_table + "</div>"
            + "<h3>Script score</h3>"
            + f"<p>An item's <strong>script score</strong> is its findings weighted by severity ({esc(weights)}) "
              f"and confidence, per 100 words (items under {scoring.MIN_WORDS} words count as "
              f"{scoring.MIN_WORDS}): a 100-word macro with one warning scores 2. Mean {number(summary['mean'])}, "
              f"median {number(summary['median'])}, 90th percentile {number(summary['p90'])}, "
              f"highest {number(summary['max'])}.</p>"
            + dist_chart
            + "<h3>Rules</h3>"
            + table("rules-table", "Findings per rule", [("Rule", "text"), ("Category", "text"), ("Findings", "number"),
                                                         ("Items", "number")], rule_rows, len(rule_rows), empty="No findings."))


def glossary(report: LibraryReport) -> str:
    """Every rule the report names, under the anchor of its section in ``docs/rules.md``."""
    used = {code for code, *_ in report.by_rule}
    if report.trend is not None:
        used |= {f.rule for _, f in report.trend.new} | {e["rule"] for e in report.trend.fixed}
    entries = []
    for code in sorted(used):
        rule = report.rules.get(code)
        target = anchor(code, report.rules)
        if rule is None or target is None:
            continue
        instead = "".join(f"<li>{esc(s)}</li>" for s in rule.suggest[:3])
        own = f" Its pack documents it at <code>{esc(rule.link)}</code>." if rule.link else ""
        entries.append(
            f'<div class="rule" id="{esc(target)}"><dt>{esc(code)} {esc(rule.name)} '
            f'<span class="muted">{esc(rule.category)}, {esc(str(rule.severity))}</span></dt>'
            f"<dd><p>{esc(rule.summary)}</p><p>{esc(rule.why)}</p>"
            + (f"<p>Instead:</p><ul>{instead}</ul>" if instead else "")
            + f'<p class="muted">Reference: <code>docs/rules.md#{esc(target)}</code>, '
              f"<code>macrolint explain {esc(code)}</code>.{own}</p></dd></div>")
    if not entries:
        return '<p class="empty">No rule matched.</p>'
    return "<dl class=\"glossary\">" + "".join(entries) + "</dl>"


def render_html(report: LibraryReport, top: int = 100) -> str:
    """The page; ``top`` bounds the long lists (fix first, clusters) the page holds."""
    paths = ", ".join(shown_path(p) for p in report.paths) or "."
    nav = "".join(f'<li><a href="#{sid}">{esc(label)}</a></li>' for sid, label in SECTIONS)
    body = [
        f'<section id="overview"><h2>Overview</h2>{overview(report)}</section>',
        f'<section id="fix-first"><h2>Fix first</h2>{sections.fix_first(report, top)}</section>',
        f'<section id="phrases"><h2>Phrases to retire</h2>{sections.phrases(report, top)}</section>',
        f'<section id="near-duplicates"><h2>Near-duplicates</h2>{sections.near_duplicates(report, top)}</section>',
        f'<section id="placeholders"><h2>Placeholder hygiene</h2>{sections.placeholders(report, top)}</section>',
        f'<section id="trend"><h2>Since the baseline</h2>{sections.trend(report, top)}</section>',
        sections.problems(report),
        f'<section id="rules"><h2>Rules</h2><p>What each rule named in this report looks for; the same entries '
        f"are in <code>docs/rules.md</code> under the same anchors.</p>{glossary(report)}</section>",
    ]
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="macrolint {esc(__version__)}">'
        f"<title>Library report: {len(report.items):,} items — macrolint</title>"
        f"<style>{_asset('report.css')}</style></head><body>"
        f'<a class="skip" href="#main">Skip to the report</a>'
        f"<header><h1>Library report</h1><p class=\"muted\">{len(report.items):,} items in {report.files:,} files "
        f"under {esc(paths)}, by macrolint {esc(__version__)}.</p>"
        f'<nav aria-label="Sections"><ul>{nav}</ul></nav></header>'
        f'<main id="main">{"".join(body)}</main>'
        f"<script>{_asset('report.js')}</script></body></html>\n"
    )
