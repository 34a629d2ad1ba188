"""The HTML pieces the report's sections share: escaping every piece of user text, links to rules,
tables that the page's script sorts, filters and pages (and that read as plain tables without it),
findings shown in their sentence."""
from __future__ import annotations

import re
from html import escape
from typing import Iterable, Optional, Sequence

from macrolint.linting.library.figures import FindingReport, ItemReport
from macrolint.reporters.sarif import rule_anchor
from macrolint.text.paths import shown_path

#: Control characters (other than tab and line breaks) are not allowed in HTML text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Rows of a table the script shows a page at a time.
PAGE = 25


def esc(value: object) -> str:
    """Any value as HTML text: escaped, quotes too, control characters dropped."""
    text = str(value)
    if not text.isprintable():
        text = _CONTROL.sub("", text)
    return escape(text, quote=True)


def number(n: Optional[float]) -> str:
    if n is None:
        return "–"
    return f"{n:,.0f}" if float(n).is_integer() else f"{n:,.2f}".rstrip("0").rstrip(".")


def anchor(code: str, rules: dict) -> Optional[str]:
    """The in-page anchor of a rule's entry (the anchor of its section in ``docs/rules.md``), or
    None for a code without a rule."""
    rule = rules.get(code)
    return rule_anchor(rule) if rule is not None else None


def rule_link(code: str, rules: dict, name: str = "") -> str:
    target = anchor(code, rules)
    label = esc(code) + (f" <span class=\"muted\">{esc(name)}</span>" if name else "")
    return f'<a href="#{esc(target)}">{label}</a>' if target else label


def item_cell(item: ItemReport) -> str:
    """An item named as the export names it, with the file it is in."""
    where = esc(shown_path(item.path))
    ident = f" · #{esc(item.id)}" if item.id and item.title else ""
    return f'<span class="item">{esc(item.label)}</span><br><span class="path">{where}{ident}</span>'


def usage_cell(item: ItemReport) -> str:
    if item.usage is None:
        return '<td data-sort="-1">–</td>'
    key = f' <span class="muted">{esc(item.usage_key)}</span>' if item.usage_key else ""
    return f'<td data-sort="{item.usage}">{number(item.usage)}{key}</td>'


def in_context(f: FindingReport) -> str:
    """A finding in its sentence: the words before, the match marked, the words after."""
    return (f'<q class="context">{esc(f.before)}<mark>{esc(f.match)}</mark>{esc(f.after)}</q>')


def finding_list(findings: Sequence[FindingReport], rules: dict) -> str:
    """Each finding: rule, severity, sentence, message and the suggested rewrites."""
    out = ['<ol class="findings">']
    for f in findings:
        rewrites = "".join(f"<li>{esc(s)}</li>" for s in f.suggestions[:3])
        confidence = f' <span class="muted">confidence {f.confidence:.2f}</span>' if f.confidence < 1 else ""
        out.append(
            f'<li class="sev-{esc(f.severity)}">{rule_link(f.rule, rules, f.name)} '
            f'<span class="badge {esc(f.severity)}">{esc(f.severity)}</span>{confidence} '
            f'<span class="muted">line {f.line}</span><br>{in_context(f)}'
            f'<p class="message">{esc(f.message)}</p>'
            + (f'<p class="rewrite-label">Rewrite:</p><ul class="rewrites">{rewrites}</ul>' if rewrites else "")
            + "</li>")
    out.append("</ol>")
    return "".join(out)


def table(table_id: str, caption: str, headers: Sequence[tuple[str, str]], rows: Iterable[str],
          total: int, shown: Optional[int] = None, empty: str = "Nothing to show.") -> str:
    """A table the script can sort (``headers``: ``(label, kind)``, kind ``text``, ``number`` or
    ``none`` for a column not sorted), filter and page; ``rows`` are ``<tr>`` strings already
    escaped. ``shown`` rows of ``total`` are in the page (the rest are in the JSON format)."""
    body = "".join(rows)
    if not body:
        return f'<p class="empty">{esc(empty)}</p>'
    head = "".join(f'<th scope="col" data-kind="{kind}">{esc(label)}</th>' for label, kind in headers)
    note = ""
    if shown is not None and shown < total:
        note = (f'<p class="note">The first {shown:,} of {total:,} are listed here; '
                "<code>--top</code> lists more, and <code>--format json</code> lists every one.</p>")
    return (f'<div class="table-wrap" data-table="{esc(table_id)}">'
            f'<table id="{esc(table_id)}" data-page="{PAGE}"><caption>{esc(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>{note}")
