"""One rule file: its keys validated and turned into a ``Rule``. Context entries naming a pack
definition (``def:NAME``) and word classes (``\\L<NAME>``) are resolved here, so a rule holds
the phrases and regexes they stand for."""
from __future__ import annotations

from pathlib import Path
from typing import Collection, Optional

from macrolint.model import Applicability, Severity
from macrolint.packs import schema as S
from macrolint.packs.definitions import (
    LISTS,
    OLD_MASK_NOTE,
    REF,
    entry_problem,
    names_old_mask,
)
from macrolint.packs.model import Example, MatchEntry, Rule
from macrolint.packs.phrases import PhraseError, RawPattern, compile_phrase
from macrolint.packs.regexlits import required_literals
from macrolint.packs.yamlload import LineDict, line_of
from macrolint.text.scopes import DEFAULT_SCOPES, KINDS, SCOPES
from macrolint.text.templates import REST, has_slot

#: The phrase forms one pack may expand to (core holds about 125,000): a list that expands past it
#: would cost gigabytes and minutes to index, so the pack is refused before it gets there.
PACK_FORMS = 400_000
#: The longest a ``pattern:`` may be with its word classes written out (the built-in packs' longest
#: is under 1,500): past it, compiling and running it is what costs, not what it finds.
PATTERN_CHARS = 20_000


def _budgeted(source: str, ctx: dict):
    """``source`` compiled and counted against the pack's budget of forms. Past the budget a
    ``PhraseError`` says so once; after that nothing more is expanded (None)."""
    if ctx.get("forms", 0) > PACK_FORMS:
        return None
    phrase = compile_phrase(source, ctx["variants"])
    ctx["forms"] = ctx.get("forms", 0) + sum(len(seg) for seg in phrase.segments)
    if ctx["forms"] > PACK_FORMS:
        raise PhraseError(f"the pack's phrases expand to more than {PACK_FORMS:,} forms with this one, and the "
                          "phrases after it are not read; write long alternations as a pattern: regex, or split "
                          "the pack")
    return phrase


def _phrases(data: LineDict, key: str, path: str, ctx: dict, problems: S.Problems) -> tuple:
    """Context phrases; an entry written ``re:<regex>`` is a regex on the lower-cased text, one
    written ``def:NAME`` stands for the entries of the pack's definition NAME."""
    defs, variants, notes = ctx["definitions"], ctx["variants"], ctx.get("notes")
    out: list = []
    for i, text in enumerate(S.string_list(data, key, path, problems)):
        line = line_of(data.get(key), i, line_of(data, key))
        if text.startswith(REF):
            resolved = defs.resolve(text, key, path, line, problems)
            if resolved is not None:  # checked where they are defined
                out.extend(p for p in (RawPattern(t, t[3:]) if t.startswith("re:") else _budgeted(t, ctx)
                                       for t in resolved) if p is not None)
            continue
        written = defs.expand_words(text, text.startswith("re:"), path, line, key, problems)
        if written is None:
            continue
        if notes is not None:
            copied = defs.copy_of(written, key)
            if copied is not None:
                notes.add(path, line, f"{key}: this is what definition {copied.name} ({copied.where}) stands for; "
                                      f"write {REF}{copied.name}")
        if written.startswith("re:"):
            problem = entry_problem(written, variants)
            if problem:
                problems.add(path, line, f"{key}: {problem}")
                continue
            out.append(RawPattern(written, written[3:]))
            continue
        try:
            phrase = _budgeted(written, ctx)
        except PhraseError as exc:
            problems.add(path, line, f"{key}: {exc}")
            continue
        if phrase is not None:
            out.append(phrase)
    return tuple(out)


def build_rule(data, path: Path, ctx: dict, problems: S.Problems) -> Optional[Rule]:
    p = str(path)
    if not isinstance(data, LineDict):
        problems.add(p, 1, "a rule file must be a mapping")
        return None
    S.check_keys(data, S.RULE_KEYS, p, "rule", problems)
    if "check" in data and "match" in data:
        problems.add(p, line_of(data, "check"), 'a rule has either "match" or "check", not both')
        return None
    if not S.require(data, S.CHECK_REQUIRED if "check" in data else S.RULE_REQUIRED, p, "rule", problems):
        return None
    check = _check_name(data, p, problems, ctx["checks"])
    defaults = ctx["defaults"]
    ok = all(S.expect_str(data, k, p, problems) for k in ("id", "name", "category", "summary", "why", "message"))
    if not ok:
        return None
    code, name, category = data["id"], data["name"], data["category"]
    m = S.CODE_RE.match(code)
    if not m:
        problems.add(p, line_of(data, "id"), f'rule code "{code}" must be 2-4 capital letters and 3 digits, like BL001')
    elif ctx["prefixes"] is not None and m.group(1) not in ctx["prefixes"]:
        problems.add(p, line_of(data, "id"), f'rule code "{code}" does not use one of the pack prefixes {", ".join(ctx["prefixes"])}')
    if not S.NAME_RE.match(name):
        problems.add(p, line_of(data, "name"), f'rule name "{name}" must be kebab-case')
    elif name != path.stem:
        problems.add(p, line_of(data, "name"), f'rule name "{name}" must equal the file name "{path.stem}"')
    if ctx["categories"] is not None and category not in ctx["categories"]:
        problems.add(p, line_of(data, "category"),
                     f'category "{category}" is not one of {", ".join(ctx["categories"])}{S.did_you_mean(category, ctx["categories"])}')
    settings = {**defaults, **{k: data[k] for k in ("severity", "status", "fuzzy", "fix") if k in data}}
    severity = settings.get("severity", "warning")
    status = settings.get("status", "stable")
    rule_fix = settings.get("fix", "unsafe")
    for key, value, choices in (("severity", severity, S.SEVERITIES), ("status", status, S.STATUSES), ("fix", rule_fix, S.FIXES)):
        if value not in choices:
            problems.add(p, line_of(data, key), f'"{key}" must be one of {", ".join(choices)}, not {value!r}{S.did_you_mean(str(value), choices)}')
    fuzzy_default = settings.get("fuzzy", True)
    for fld in S.template_fields(data["message"]):
        if fld not in S.MESSAGE_FIELDS:
            problems.add(p, line_of(data, "message"), f'message field "{{{fld}}}" is not one of {{match}}, {{replacement}}, {{suggestion}}')

    entries = () if "check" in data else _match_entries(
        data, p, ctx, rule_fix if rule_fix in S.FIXES else "unsafe", fuzzy_default, problems)
    fixable = any(m.replace is not None and m.fix > Applicability.SUGGEST for m in entries)
    examples = _examples(data, p, fixable, problems)
    suggest = tuple(S.string_list(data, "suggest", p, problems))
    aliases = tuple(S.string_list(data, "aliases", p, problems))
    link = data.get("link")
    if link is not None and not isinstance(link, str):
        problems.add(p, line_of(data, "link"), '"link" must be a string')
        link = None
    contexts = {k: _phrases(data, k, p, ctx, problems) for k in LISTS}
    scopes, audience, kinds = _reading(data, p, problems)
    words = _word_classes(data, p, ctx, problems)
    if severity not in S.SEVERITIES or status not in S.STATUSES or not (entries or check):
        return None
    return Rule(
        code=code, name=name, pack=ctx["name"], category=category, severity=Severity.parse(severity),
        status=status, summary=data["summary"].strip(), why=data["why"].strip(), message=data["message"].strip(),
        matches=entries, suggest=suggest, examples=examples, link=link, aliases=aliases, path=p, check=check,
        scopes=scopes, audience=audience, words=words, kinds=kinds, **contexts,
    )


def _reading(data: LineDict, p: str, problems: S.Problems) -> tuple[tuple[str, ...], Optional[str], tuple[str, ...]]:
    """The scopes a rule reads, the audience it is for and the kinds of text."""
    scopes = tuple(S.string_list(data, "scopes", p, problems)) or DEFAULT_SCOPES
    for i, scope in enumerate(scopes):
        if scope not in SCOPES:
            problems.add(p, line_of(data.get("scopes"), i, line_of(data, "scopes")),
                         f'unknown scope "{scope}"{S.did_you_mean(scope, SCOPES)}; scopes are {", ".join(SCOPES)}')
    audience = data.get("audience")
    if audience is not None and audience not in S.AUDIENCES:
        problems.add(p, line_of(data, "audience"),
                     f'"audience" must be one of {", ".join(S.AUDIENCES)}, not {audience!r}')
        audience = None
    kinds = tuple(S.string_list(data, "kinds", p, problems)) or KINDS
    for i, kind in enumerate(kinds):
        if kind not in KINDS:
            problems.add(p, line_of(data.get("kinds"), i, line_of(data, "kinds")),
                         f'unknown kind of text "{kind}"{S.did_you_mean(kind, KINDS)}; kinds are {", ".join(KINDS)}')
    return (tuple(s for s in scopes if s in SCOPES) or DEFAULT_SCOPES, audience,
            tuple(k for k in KINDS if k in kinds) or KINDS)


def _word_classes(data: LineDict, p: str, ctx: dict, problems: S.Problems) -> tuple:
    """The word classes a code-backed check looks words up in (``words: [NAME, ...]``)."""
    if "words" not in data:
        return ()
    if "check" not in data:
        problems.add(p, line_of(data, "words"), '"words" names word classes for a code-backed check; '
                                                'a rule with "match" writes them as \\L<NAME> in its phrases')
        return ()
    out = []
    for i, name in enumerate(S.string_list(data, "words", p, problems)):
        found = ctx["definitions"].word_class(name, p, line_of(data.get("words"), i, line_of(data, "words")), problems)
        if found is not None:
            out.append((name, found))
    return tuple(out)


def _check_name(data: LineDict, p: str, problems: S.Problems, checks: Collection[str]) -> Optional[str]:
    """The name of a rule's code-backed check, one of ``checks``."""
    if "check" not in data:
        return None
    name = data["check"]
    if not isinstance(name, str) or name not in checks:
        problems.add(p, line_of(data, "check"),
                     f'"check" must name a built-in check ({", ".join(sorted(checks)) or "none known"}), not {name!r}'
                     f'{S.did_you_mean(str(name), sorted(checks))}')
        return None
    return name


def _match_entries(data: LineDict, p: str, ctx: dict, rule_fix: str, fuzzy_default: bool,
                   problems: S.Problems) -> tuple[MatchEntry, ...]:
    defs = ctx["definitions"]
    raw = data["match"]
    if not S.is_sequence(raw):
        problems.add(p, line_of(data, "match"), '"match" must be a list of {phrase: ...} or {pattern: ...} entries')
        return ()
    entries = []
    for i, item in enumerate(raw):
        line = line_of(raw, i)
        if isinstance(item, str):
            item = LineDict(phrase=item)
            item.line, item.key_lines = line, {"phrase": line}
        if not isinstance(item, LineDict):
            problems.add(p, line, "a match entry must be a phrase string or a mapping")
            continue
        S.check_keys(item, S.MATCH_KEYS, p, "match entry", problems)
        if ("phrase" in item) == ("pattern" in item):
            problems.add(p, line, 'a match entry needs exactly one of "phrase" or "pattern"')
            continue
        replace = item.get("replace")
        if replace is not None and not isinstance(replace, str):
            problems.add(p, line_of(item, "replace"), '"replace" must be a string')
            continue
        fix = item.get("fix", rule_fix if replace is not None else "suggest")
        if fix not in S.FIXES:
            problems.add(p, line_of(item, "fix"), f'"fix" must be one of {", ".join(S.FIXES)}{S.did_you_mean(str(fix), S.FIXES)}')
            continue
        if replace is not None and has_slot(replace):
            if "fix" in item and fix != "suggest":
                problems.add(p, line_of(item, "fix"), f'"fix: {fix}" cannot apply a rewrite with a [slot]: the writer '
                             "fills the slot in `macrolint review`; drop \"fix\"")
                continue
            fix = "suggest"
        elif replace is not None and REST in replace and fix == "safe":
            if "fix" in item:
                problems.add(p, line_of(item, "fix"), '"fix: safe" cannot apply a rewrite of the rest of the clause '
                             '({rest}): it rewords what the rule did not match; use "fix: unsafe"')
                continue
            fix = "unsafe"
        if fix != "suggest" and replace is None:
            problems.add(p, line_of(item, "fix"), f'"fix: {fix}" needs a "replace" text')
            continue
        fuzzy = item.get("fuzzy", fuzzy_default)
        anchors = tuple(a.lower() for a in S.string_list(item, "anchors", p, problems))
        phrase = pattern = None
        groups: set[str] = set()
        if "phrase" in item:
            if not S.expect_str(item, "phrase", p, problems):
                continue
            source = defs.expand_words(item["phrase"], False, p, line_of(item, "phrase"), "phrase", problems)
            if source is None:
                continue
            try:
                phrase = _budgeted(source, ctx)
            except PhraseError as exc:
                problems.add(p, line_of(item, "phrase"), str(exc))
                continue
            if phrase is None:
                continue
            groups = {str(n) for seg in phrase.segments for caps in seg.values() for n in caps}
        else:
            if not S.expect_str(item, "pattern", p, problems):
                continue
            pattern = defs.expand_words(item["pattern"], True, p, line_of(item, "pattern"), "pattern", problems)
            if pattern is None:
                continue
            if len(pattern) > PATTERN_CHARS:
                problems.add(p, line_of(item, "pattern"), f"the pattern is {len(pattern):,} characters written out, more "
                             f"than the {PATTERN_CHARS:,} a pattern may be; split it into several entries or phrases")
                continue
            import regex

            try:
                compiled = regex.compile(pattern, regex.IGNORECASE | regex.V0)
            except regex.error as exc:
                pos = f" at position {exc.pos}" if getattr(exc, "pos", None) is not None else ""
                problems.add(p, line_of(item, "pattern"), f"pattern does not compile{pos}: {exc.msg if hasattr(exc, 'msg') else exc}")
                continue
            groups = {str(n) for n in range(1, compiled.groups + 1)} | set(compiled.groupindex)
            if names_old_mask(pattern):
                problems.add(p, line_of(item, "pattern"), f"pattern: {OLD_MASK_NOTE}")
                continue
            anchors = anchors or required_literals(pattern)
        if replace is not None:
            for fld in S.template_fields(replace):
                if fld not in groups and fld != "rest":
                    problems.add(p, line_of(item, "replace"),
                                 f'replace field "{{{fld}}}" names no group of this entry (groups: {", ".join(sorted(groups)) or "none"})')
        entries.append(MatchEntry(phrase, pattern, replace, Applicability.parse(fix), bool(fuzzy), anchors, line=line))
    if not entries and not problems:
        problems.add(p, line_of(data, "match"), '"match" has no entries')
    return tuple(entries)


def _examples(data: LineDict, p: str, fixable: bool, problems: S.Problems) -> tuple[Example, ...]:
    """The rule's examples; ``fixable``: whether any entry has a fix ``--fix`` or ``--unsafe-fixes``
    applies, which a ``fixed:`` text needs."""
    raw = data["examples"]
    if not S.is_sequence(raw):
        problems.add(p, line_of(data, "examples"), '"examples" must be a list of {bad: ..., good: ...} or {ok: ...}')
        return ()
    out = []
    for i, item in enumerate(raw):
        line = line_of(raw, i)
        if not isinstance(item, LineDict):
            problems.add(p, line, "an example must be a mapping with bad/good or ok")
            continue
        S.check_keys(item, S.EXAMPLE_KEYS, p, "example", problems)
        fmt = item.get("format", "text")
        if fmt not in S.FORMATS:
            problems.add(p, line_of(item, "format"), f'"format" must be one of {", ".join(S.FORMATS)}')
            continue
        if ("bad" in item) == ("ok" in item):
            problems.add(p, line, 'an example needs exactly one of "bad" or "ok"')
            continue
        if "good" in item and "bad" not in item:
            problems.add(p, line_of(item, "good"), '"good" goes with "bad"')
            continue
        kind = "bad" if "bad" in item else "ok"
        text = item[kind]
        good, fixed = item.get("good"), item.get("fixed")
        if fixed is not None and kind != "bad":  # reported; the example still counts as what it is
            problems.add(p, line_of(item, "fixed"), '"fixed" goes with "bad": the text after the fix')
            fixed = None
        elif fixed is not None and not fixable:
            problems.add(p, line_of(item, "fixed"), '"fixed" needs a fix, but no match entry of this rule has a '
                                                   '"replace" that --fix or --unsafe-fixes applies')
            fixed = None
        if not all(isinstance(t, str) for t in (text, good, fixed) if t is not None):
            problems.add(p, line, "example texts must be strings")
            continue
        out.append(Example(kind, text, good, fmt, line, fixed))
    kinds = {e.kind for e in out}
    if out and ("bad" not in kinds or "ok" not in kinds):
        problems.add(p, line_of(data, "examples"), 'examples need at least one "bad" and one "ok" (a benign text that must stay clean)')
    return tuple(out)

