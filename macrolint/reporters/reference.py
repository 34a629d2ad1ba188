"""Documentation generated from the rule files: ``macrolint explain`` and the rule reference."""
from __future__ import annotations

from typing import Optional, Sequence

from macrolint.packs.load import Pack
from macrolint.packs.model import Rule


def find_rule(rules: Sequence[Rule], code: str) -> Optional[Rule]:
    wanted = code.strip()
    for r in rules:
        if wanted.upper() == r.code or wanted.upper() in r.aliases or wanted == r.name:
            return r
    return None


def _matches(rule: Rule) -> list[str]:
    out = []
    for m in rule.matches:
        text = f"`{m.source}`" if m.phrase else f"pattern `{m.source}`"
        if m.replace is not None:
            text += f" → “{m.replace}”" if m.replace else " → (removed)"
            text += f" ({m.fix})"
        out.append(text)
    return out


def explain_rule(rule: Rule, heading: str = "#") -> str:
    """A rule's documentation as Markdown: what it flags, why, how to fix, examples."""
    lines = [f"{heading} {rule.code} {rule.name}", ""]
    lines.append(f"Category: {rule.category} · severity: {rule.severity} · fix: {rule.best_fix} · status: {rule.status} · pack: {rule.pack}")
    if rule.aliases:
        lines.append(f"Former codes: {', '.join(rule.aliases)}")
    lines += ["", "**What it does.** " + rule.summary, "", "**Why is this bad?** " + rule.why, ""]
    lines.append("**Matches**")
    lines += [f"- {m}" for m in _matches(rule)]
    contexts = [("Never flagged inside", rule.exceptions), ("Not when right after", rule.unless_before),
                ("Not when followed by", rule.unless_after), ("Not in a sentence with", rule.unless_sentence)]
    for label, phrases in contexts:
        if phrases:
            lines.append(f"- {label}: " + ", ".join(f"`{p.source}`" for p in phrases))
    if rule.suggest:
        lines += ["", "**Use instead**"]
        lines += [f"- {s}" for s in rule.suggest]
    lines += ["", "**Examples**"]
    for ex in rule.examples:
        if ex.kind == "bad":
            lines.append(f"- ✗ {ex.text}")
            if ex.good:
                lines.append(f"  ✓ {ex.good}")
        else:
            lines.append(f"- ✓ (stays clean) {ex.text}")
    if rule.link:
        lines += ["", f"More: {rule.link}"]
    return "\n".join(lines)


def rule_reference(packs: Sequence[Pack]) -> str:
    """The full rule reference (docs/rules.md), generated from the packs."""
    out = ["# Rule reference", "", "Generated from the rule files by `macrolint rules --format markdown`; do not edit by hand.", ""]
    for pack in packs:
        out += [f"## Pack `{pack.name}`: {pack.title}", ""]
        if pack.description:
            out += [pack.description.strip(), ""]
        out += ["| code | name | category | severity | fix |", "|---|---|---|---|---|"]
        out += [f"| [{r.code}](#{r.code.lower()}-{r.name}) | {r.name} | {r.category} | {r.severity} | {r.best_fix} |" for r in pack.rules]
        out.append("")
        for r in pack.rules:
            out += [explain_rule(r, heading="###"), ""]
    return "\n".join(out)
