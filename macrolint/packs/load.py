"""Rule packs: a folder with a ``pack.yaml`` and one YAML file per rule.

Built-in packs ship inside the wheel (``macrolint/_packs``) and, in a source checkout, live in
``rules/``. A team's own packs are folders named in config (``extend-packs``).
"""
from __future__ import annotations

from pathlib import Path
from types import MappingProxyType
from typing import Callable, Collection, Iterable, Mapping, NamedTuple, Optional

from macrolint.model import Applicability, Severity
from macrolint.packs import schema as S
from macrolint.packs.model import Example, MatchEntry, Rule
from macrolint.packs.phrases import PhraseError, RawPattern, compile_phrase
from macrolint.packs.regexlits import required_literals
from macrolint.packs.yamlload import LineDict, YamlError, line_of, load


class PackError(Exception):
    """One or more pack files are invalid; ``problems`` holds ``file:line: message`` lines."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class Pack(NamedTuple):
    name: str
    title: str
    description: str
    path: str
    rules: tuple[Rule, ...]
    #: The pack's spelling variants: each word -> the other spellings of it.
    variants: Mapping[str, tuple[str, ...]] = MappingProxyType({})


def builtin_dir() -> Path:
    """Where the built-in packs are: inside the installed package, else the checkout's rules/."""
    package = Path(__file__).resolve().parent.parent
    shipped = package / "_packs"
    if shipped.is_dir():
        return shipped
    return package.parent / "rules"


def builtin_names() -> list[str]:
    base = builtin_dir()
    return sorted(p.parent.name for p in base.glob("*/pack.yaml"))


def resolve(spec: str, base: Optional[Path] = None) -> Path:
    """A pack given by built-in name or by path (relative to ``base``)."""
    if "/" not in spec and "\\" not in spec and spec not in (".", ".."):
        candidate = builtin_dir() / spec
        if (candidate / "pack.yaml").is_file():
            return candidate
    path = Path(spec)
    if not path.is_absolute() and base is not None:
        path = base / path
    return path


def _read_yaml(path: Path, problems: S.Problems):
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.add(str(path), 0, f"cannot read: {exc}")
        return None
    try:
        return load(text)
    except YamlError as exc:
        problems.add(str(path), exc.line, f"invalid YAML: {exc}" + (f" (column {exc.column})" if exc.column else ""))
        return None


def read_pack(folder: Path, checks: Collection[str] = ()) -> Pack:
    """Read and validate one pack folder; raises ``PackError`` listing every problem. ``checks``
    are the names a rule's ``check:`` may take (the matcher's code-backed checks)."""
    folder = Path(folder)
    problems = S.Problems()
    meta_path = folder / "pack.yaml"
    if not folder.is_dir():
        raise PackError([f"{folder}: pack folder not found (built-in packs: {', '.join(builtin_names())})"])
    if not meta_path.is_file():
        hint = " (rename pack.yml to pack.yaml)" if (folder / "pack.yml").exists() else ""
        raise PackError([f"{meta_path}: a pack folder needs a pack.yaml{hint}"])
    meta = _read_yaml(meta_path, problems)
    if meta is None:
        raise PackError(problems.items)
    ctx = _pack_context(meta, str(meta_path), folder.name, problems)
    ctx["checks"] = frozenset(checks)

    rules: list[Rule] = []
    for path in sorted(folder.rglob("*")):
        if path.name == "pack.yaml" or not path.is_file():
            continue
        if path.suffix == ".yml":
            problems.add(str(path), 0, "rule files end in .yaml; rename this .yml file")
            continue
        if path.suffix != ".yaml":
            continue
        data = _read_yaml(path, problems)
        if data is None:
            continue
        rule = _build_rule(data, path, ctx, problems)
        if rule is not None:
            rules.append(rule)
    seen: dict[str, str] = {}
    for rule in rules:
        for code in (rule.code, *rule.aliases):
            if code in seen:
                problems.add(rule.path, 0, f"duplicate rule code {code} (also in {seen[code]})")
            seen[code] = rule.path
    if problems:
        raise PackError(problems.items)
    return Pack(ctx["name"], ctx["title"], ctx["description"], str(folder), tuple(sorted(rules, key=lambda r: r.code)),
                ctx["variants"])


def _pack_context(meta, path: str, default_name: str, problems: S.Problems) -> dict:
    ctx = {"name": default_name, "title": default_name, "description": "", "prefixes": None,
           "categories": None, "defaults": {}, "variants": {}}
    if not isinstance(meta, LineDict):
        problems.add(path, 1, "pack.yaml must be a mapping")
        return ctx
    S.check_keys(meta, S.PACK_KEYS, path, "pack.yaml", problems)
    for key in ("pack", "title", "description"):
        if key in meta and S.expect_str(meta, key, path, problems):
            ctx["name" if key == "pack" else key] = meta[key]
    if meta.get("schema", 1) != 1:
        problems.add(path, line_of(meta, "schema"), f"unsupported schema {meta.get('schema')!r}; this macrolint reads schema 1")
    if "prefixes" in meta:
        ctx["prefixes"] = tuple(S.string_list(meta, "prefixes", path, problems))
    if "categories" in meta:
        ctx["categories"] = tuple(S.string_list(meta, "categories", path, problems))
    defaults = meta.get("defaults") or {}
    if not S.is_mapping(defaults):
        problems.add(path, line_of(meta, "defaults"), '"defaults" must be a mapping')
        defaults = {}
    elif isinstance(defaults, LineDict):
        S.check_keys(defaults, S.PACK_DEFAULT_KEYS, path, "defaults", problems)
    ctx["defaults"] = dict(defaults)
    variants = meta.get("variants") or {}
    if not S.is_mapping(variants):
        problems.add(path, line_of(meta, "variants"), '"variants" must map a word to a list of spellings')
        variants = {}
    table: dict[str, tuple[str, ...]] = {}
    for word, others in variants.items():
        others = [others] if isinstance(others, str) else others
        if not isinstance(word, str) or not S.is_sequence(others) or not all(isinstance(o, str) for o in others):
            problems.add(path, line_of(variants, word), f"variant {word!r} must map to a list of strings")
            continue
        group = [word.lower(), *(o.lower() for o in others)]
        for w in group:
            table[w] = tuple(x for x in group if x != w)
    ctx["variants"] = table
    return ctx


#: What a pattern naming the old stand-in for a placeholder (U+FFFC) is told: it would quietly
#: never match, since placeholders read as ``MASK``.
_OLD_MASK_NOTE = "\\ufffc no longer stands for a placeholder; write \\x1a"


def _names_old_mask(pattern: str) -> bool:
    return "\ufffc" in pattern or "\\ufffc" in pattern.lower()


def _phrases(data: LineDict, key: str, path: str, variants, problems: S.Problems) -> tuple:
    """Context phrases; an entry written ``re:<regex>`` is a regex on the lower-cased text."""
    out: list = []
    for i, text in enumerate(S.string_list(data, key, path, problems)):
        line = line_of(data.get(key), i, line_of(data, key))
        if text.startswith("re:"):
            import regex

            try:
                regex.compile(text[3:])
            except regex.error as exc:
                problems.add(path, line, f"{key}: regex does not compile: {exc}")
                continue
            if _names_old_mask(text):
                problems.add(path, line, f"{key}: {_OLD_MASK_NOTE}")
                continue
            out.append(RawPattern(text, text[3:]))
            continue
        try:
            out.append(compile_phrase(text, variants))
        except PhraseError as exc:
            problems.add(path, line, f"{key}: {exc}")
    return tuple(out)


def _build_rule(data, path: Path, ctx: dict, problems: S.Problems) -> Optional[Rule]:
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

    variants = ctx["variants"]
    entries = () if "check" in data else _match_entries(
        data, p, variants, rule_fix if rule_fix in S.FIXES else "unsafe", fuzzy_default, problems)
    examples = _examples(data, p, problems)
    suggest = tuple(S.string_list(data, "suggest", p, problems))
    aliases = tuple(S.string_list(data, "aliases", p, problems))
    link = data.get("link")
    if link is not None and not isinstance(link, str):
        problems.add(p, line_of(data, "link"), '"link" must be a string')
        link = None
    contexts = {k: _phrases(data, k, p, variants, problems)
                for k in ("exceptions", "unless_before", "unless_after", "unless_sentence")}
    if severity not in S.SEVERITIES or status not in S.STATUSES or not (entries or check):
        return None
    return Rule(
        code=code, name=name, pack=ctx["name"], category=category, severity=Severity.parse(severity),
        status=status, summary=data["summary"].strip(), why=data["why"].strip(), message=data["message"].strip(),
        matches=entries, suggest=suggest, examples=examples, link=link, aliases=aliases, path=p, check=check,
        **contexts,
    )


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


def _match_entries(data: LineDict, p: str, variants, rule_fix: str, fuzzy_default: bool,
                   problems: S.Problems) -> tuple[MatchEntry, ...]:
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
            try:
                phrase = compile_phrase(item["phrase"], variants)
            except PhraseError as exc:
                problems.add(p, line_of(item, "phrase"), str(exc))
                continue
            groups = {str(n) for seg in phrase.segments for caps in seg.values() for n in caps}
        else:
            if not S.expect_str(item, "pattern", p, problems):
                continue
            pattern = item["pattern"]
            import regex

            try:
                compiled = regex.compile(pattern, regex.IGNORECASE | regex.V0)
            except regex.error as exc:
                pos = f" at position {exc.pos}" if getattr(exc, "pos", None) is not None else ""
                problems.add(p, line_of(item, "pattern"), f"pattern does not compile{pos}: {exc.msg if hasattr(exc, 'msg') else exc}")
                continue
            groups = {str(n) for n in range(1, compiled.groups + 1)} | set(compiled.groupindex)
            if _names_old_mask(pattern):
                problems.add(p, line_of(item, "pattern"), f"pattern: {_OLD_MASK_NOTE}")
                continue
            anchors = anchors or required_literals(pattern)
        if replace is not None:
            for fld in S.template_fields(replace):
                if fld not in groups:
                    problems.add(p, line_of(item, "replace"),
                                 f'replace field "{{{fld}}}" names no group of this entry (groups: {", ".join(sorted(groups)) or "none"})')
        entries.append(MatchEntry(phrase, pattern, replace, Applicability.parse(fix), bool(fuzzy), anchors, line=line))
    if not entries and not problems:
        problems.add(p, line_of(data, "match"), '"match" has no entries')
    return tuple(entries)


def _examples(data: LineDict, p: str, problems: S.Problems) -> tuple[Example, ...]:
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
        good = item.get("good")
        if not isinstance(text, str) or (good is not None and not isinstance(good, str)):
            problems.add(p, line, "example texts must be strings")
            continue
        out.append(Example(kind, text, good, fmt, line))
    kinds = {e.kind for e in out}
    if out and ("bad" not in kinds or "ok" not in kinds):
        problems.add(p, line_of(data, "examples"), 'examples need at least one "bad" and one "ok" (a benign text that must stay clean)')
    return tuple(out)


def load_packs(specs: Iterable[str], base: Optional[Path] = None,
               read: Callable[[Path], Pack] = read_pack) -> list[Pack]:
    """Load several packs (each by ``read``); codes must be unique across all of them."""
    packs: list[Pack] = []
    problems: list[str] = []
    for spec in specs:
        try:
            packs.append(read(resolve(spec, base)))
        except PackError as exc:
            problems.extend(exc.problems)
    seen: dict[str, str] = {}
    for pack in packs:
        for rule in pack.rules:
            for code in (rule.code, *rule.aliases):
                if code in seen and seen[code] != rule.path:
                    problems.append(f"{rule.path}: rule code {code} is also used by {seen[code]}")
                seen[code] = rule.path
    if problems:
        raise PackError(problems)
    return packs
