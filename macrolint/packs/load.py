"""Rule packs: a folder with a ``pack.yaml`` and one YAML file per rule.

Built-in packs ship inside the wheel (``macrolint/_packs``) and, in a source checkout, live in
``rules/``. A team's own packs are folders named in config (``extend-packs``).
"""
from __future__ import annotations

from pathlib import Path
from types import MappingProxyType
from typing import (
    Callable,
    Collection,
    Iterable,
    Mapping,
    NamedTuple,
    Optional,
    Sequence,
)

from macrolint.packs import schema as S
from macrolint.packs.definitions import FOLDER, Definitions
from macrolint.packs.defload import definition_files, read_definitions
from macrolint.packs.model import Rule
from macrolint.packs.rulefile import build_rule
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


#: The largest pack file read (the built-in lexicon of common words is under 100 KB).
FILE_BYTES = 1_000_000


def _read_yaml(path: Path, problems: S.Problems):
    try:
        size = path.stat().st_size
        if size > FILE_BYTES:
            problems.add(str(path), 0, f"the file is {size:,} bytes, more than the {FILE_BYTES:,} a pack file may be; "
                                       "split it")
            return None
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.add(str(path), 0, f"cannot read: {exc}")
        return None
    try:
        return load(text)
    except YamlError as exc:
        problems.add(str(path), exc.line, f"invalid YAML: {exc}" + (f" (column {exc.column})" if exc.column else ""))
        return None


def read_pack(folder: Path, checks: Collection[str] = (), notes: Optional[S.Problems] = None,
              words: Mapping[str, Sequence[str]] = MappingProxyType({})) -> Pack:
    """Read and validate one pack folder; raises ``PackError`` listing every problem. ``checks``
    are the names a rule's ``check:`` may take (the matcher's code-backed checks). ``notes``, when
    given, collects what is valid but worth a warning: definitions no rule uses, and rule entries
    that spell out what a definition stands for."""
    folder = Path(folder)
    problems = S.Problems()
    ctx = _open_pack(folder, problems)
    ctx["checks"] = frozenset(checks)
    ctx["notes"] = notes
    defs = ctx["definitions"]
    defs.add_words(words)

    rules: list[Rule] = []
    for path in sorted(folder.rglob("*")):
        if path.name == "pack.yaml" or not path.is_file() or path.relative_to(folder).parts[0] == FOLDER:
            continue
        if path.suffix == ".yml":
            problems.add(str(path), 0, "rule files end in .yaml; rename this .yml file")
            continue
        if path.suffix != ".yaml":
            continue
        data = _read_yaml(path, problems)
        if data is None:
            continue
        rule = build_rule(data, path, ctx, problems)
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
    if notes is not None:
        for d in defs.unused():
            notes.add(d.path, d.line, f'definition "{d.name}" is used by no rule')
    return Pack(ctx["name"], ctx["title"], ctx["description"], str(folder), tuple(sorted(rules, key=lambda r: r.code)),
                ctx["variants"])


def pack_definitions(folder: Path) -> Definitions:
    """The definitions of one pack folder alone, validated (``PackError`` when they are not), for
    the docs: reading them costs a few files where the whole pack costs every rule."""
    problems = S.Problems()
    defs = _open_pack(Path(folder), problems)["definitions"]
    if problems:
        raise PackError(problems.items)
    return defs


def _open_pack(folder: Path, problems: S.Problems) -> dict:
    """What every rule of the pack in ``folder`` shares: ``pack.yaml``'s settings and the
    pack's definitions; raises ``PackError`` when there is no readable ``pack.yaml``."""
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
    sources: list[tuple[str, object]] = []
    if isinstance(meta, LineDict) and meta.get("definitions") is not None:
        sources.append((str(meta_path), meta["definitions"]))
    for path in definition_files(folder):
        if path.suffix == ".yml":
            problems.add(str(path), 0, "definition files end in .yaml; rename this .yml file")
            continue
        data = _read_yaml(path, problems)
        if data is not None:
            sources.append((str(path), data))
    ctx["definitions"] = read_definitions(sources, ctx["variants"], problems)
    return ctx


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
