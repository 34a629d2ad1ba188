"""Documentation generated from the rule files: ``macrolint explain`` and the rule reference."""
from __future__ import annotations

from pathlib import PurePath
from typing import Callable, Mapping, Optional, Sequence

from macrolint.packs.definitions import LISTS, REF, Definition, Definitions
from macrolint.packs.load import Pack
from macrolint.packs.model import Rule
from macrolint.text.scopes import DEFAULT_SCOPES, KINDS


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


_LABELS = dict(zip(LISTS, ("Never flagged inside", "Not when right after", "Not when followed by",
                           "Not in a sentence with", "In an article, only in a sentence with")))


def _anchor(d: Definition) -> str:
    return f"#definition-{d.name}"


def _context_lines(rule: Rule, definitions: Optional[Definitions], linked: bool) -> list[str]:
    """The rule's benign contexts, each definition by name: linked to its entry in the reference
    (``linked``), or with its description (``explain``)."""
    lines = []
    for key in LISTS:
        sources = [p.source for p in getattr(rule, key)]
        if not sources:
            continue
        spelled = definitions.spelled(sources, key) if definitions else [(None, (s,)) for s in sources]
        if linked or all(d is None for d, _ in spelled):
            parts = [f"[`{REF}{d.name}`]({_anchor(d)})" if d and linked else f"`{entries[0]}`" for d, entries in spelled]
            lines.append(f"- {_LABELS[key]}: " + ", ".join(parts))
            continue
        lines.append(f"- {_LABELS[key]}:")
        lines += [f"  - `{REF}{d.name}`: {d.description}" if d else f"  - `{entries[0]}`" for d, entries in spelled]
    return lines


def explain_rule(rule: Rule, heading: str = "#", definitions: Optional[Definitions] = None,
                 linked: bool = False) -> str:
    """A rule's documentation as Markdown: what it flags, why, how to fix, examples. With the
    pack's ``definitions``, contexts that are definitions show by name (``linked``: as links to
    the rule reference's entry, else with their description)."""
    lines = [f"{heading} {rule.code} {rule.name}", ""]
    lines.append(f"Category: {rule.category} · severity: {rule.severity} · fix: {rule.best_fix} · status: {rule.status} · pack: {rule.pack}")
    if rule.aliases:
        lines.append(f"Former codes: {', '.join(rule.aliases)}")
    if tuple(rule.scopes) != DEFAULT_SCOPES or rule.audience:
        reads = f"Reads: {', '.join(rule.scopes)}"
        lines.append(reads + (f" · only for an audience of {rule.audience} (off for audience = \"technical\")"
                              if rule.audience else ""))
    if tuple(rule.kinds) != KINDS:
        off = [k for k in KINDS if k not in rule.kinds]
        lines.append(f"For: {', '.join(rule.kinds)} (off in {' and '.join(off)})")
    lines += ["", "**What it does.** " + rule.summary, "", "**Why is this bad?** " + rule.why, ""]
    lines.append("**Matches**")
    lines += [f"- {m}" for m in _matches(rule)]
    lines += _context_lines(rule, definitions, linked)
    if rule.suggest:
        lines += ["", "**Use instead**"]
        lines += [f"- {s}" for s in rule.suggest]
    lines += ["", "**Examples**"]
    for ex in rule.examples:
        if ex.kind == "bad":
            lines.append(f"- ✗ {ex.text}")
            if ex.fixed is not None:
                lines.append(f"  → fixed: {ex.fixed}")
            if ex.good:
                lines.append(f"  ✓ {ex.good}")
        else:
            lines.append(f"- ✓ (stays clean) {ex.text}")
    if rule.link:
        lines += ["", f"More: {rule.link}"]
    return "\n".join(lines)


#: A word class longer than this (a lexicon) shows its first words and where the rest are.
_SHOWN_WORDS = 60


def _file_name(path: str) -> str:
    """A definition file's folder and name (``definitions/lexicon.yaml``), the same on every machine."""
    return "/".join(PurePath(path).parts[-2:])


def explain_definition(d: Definition, users: Sequence[str] = (), heading: str = "#",
                       linked: bool = False) -> str:
    """A definition's documentation as Markdown: kind, description, what it stands for, users."""
    lines = [f"{heading} Definition {d.name}", ""]
    where = f" · used by {len(users)} rule{'s' if len(users) != 1 else ''}" if users or linked else ""
    lines += [f"Kind: {d.kind_label}{where} · written `{REF}{d.name}`" if d.kind != "words"
              else f"Kind: word class{where} · written `\\L<{d.name}>` in a phrase or regex", ""]
    lines += [d.description, ""]
    if d.kind == "words" and len(d.written) > _SHOWN_WORDS:
        lines.append("Words: " + ", ".join(f"`{w}`" for w in d.written[:_SHOWN_WORDS])
                     + f", … ({len(d.written):,} in all: {_file_name(d.path)})")
    elif d.kind == "words":
        lines.append("Words: " + ", ".join(f"`{w}`" for w in d.written))
    else:
        for text in d.written:
            ref = text[len(REF):].strip() if text.startswith(REF) else None
            lines.append(f"- [`{text}`](#definition-{ref})" if ref and linked else f"- `{text}`")
    if users and not linked:
        lines += ["", "Used by: " + ", ".join(users)]
    return "\n".join(lines)


def rule_reference(packs: Sequence[Pack], definitions: Callable[[Pack], Definitions] = lambda p: Definitions(),
                   guide: str = "") -> str:
    """The full rule reference (docs/rules.md), generated from the packs; ``definitions(pack)``
    gives a pack's definitions, ``guide`` is appended (how to write rules)."""
    out = ["# Rule reference", "", "Generated from the rule files by `macrolint rules --format markdown`; do not edit by hand.", ""]
    if guide:
        out += ["How to write a rule, refer to a pack's definitions and test a fix: [Writing rules](#writing-rules).", ""]
    for pack in packs:
        defs = definitions(pack)
        out += [f"## Pack `{pack.name}`: {pack.title}", ""]
        if pack.description:
            out += [pack.description.strip(), ""]
        out += ["| code | name | category | severity | fix |", "|---|---|---|---|---|"]
        out += [f"| [{r.code}](#{r.code.lower()}-{r.name}) | {r.name} | {r.category} | {r.severity} | {r.best_fix} |" for r in pack.rules]
        out.append("")
        for r in pack.rules:
            out += [explain_rule(r, heading="###", definitions=defs, linked=True), ""]
        if defs.items:
            users: Mapping[str, list[str]] = defs.users(pack.rules)
            out += [f"### Definitions of pack `{pack.name}`", "",
                    "Contexts, guards and word classes the rules above refer to by name.", ""]
            for d in sorted(defs.items.values(), key=lambda d: d.name):
                out += [explain_definition(d, users.get(d.name, ()), heading="####", linked=True), ""]
    if guide:
        out += [guide.strip(), ""]
    return "\n".join(out)
