"""Configuration: ``.macrolint.toml`` or ``[tool.macrolint]`` in ``pyproject.toml``, found by
walking up from the linted path to the repository's root or the user's home; command-line
flags override it."""
from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Mapping, NamedTuple, Optional

from macrolint.packs import reading as R
from macrolint.packs.schema import SEVERITIES, did_you_mean

KEYS = {
    "extend": "another config file whose settings this one inherits (relative to this file)",
    "packs": "packs to load: built-in names or paths (default: core)",
    "extend-packs": "extra pack folders, added to `packs`",
    "select": "codes, prefixes, categories or rule names to enable (default: all stable rules)",
    "extend-select": "codes, prefixes, categories or rule names to enable besides `select` (preview rules by name)",
    "ignore": "codes, prefixes, categories or rule names to disable",
    "severity": "severity overrides: {code, prefix or category = info|warning|error}",
    "exclude": "glob patterns of paths not to lint",
    "respect-gitignore": "skip what .gitignore and .ignore files ignore in a folder walk (default true)",
    "min-confidence": "drop near-variant findings below this confidence (0..1)",
    "timeout-per-file": "seconds one file may take before it is stopped with IO003 (default 60; 0: no limit)",
    "preview": "also run rules whose status is preview",
    "internal-notes": "also lint Zendesk internal notes (comment_mode_is_public false)",
    "sources": "data files to read with declared fields: [{glob, items, text, id, title, markup}]",
    "per-file-ignores": "rules to skip per path glob: {\"legal/*.md\" = [\"BL002\"]}",
    "per-item-ignores": "rules to skip per macro: {\"id:360001\" = [\"VG\"], \"title:Legal::*\" = [\"blame\"]}",
    **R.READING_KEYS,
}
SOURCE_KEYS = {
    "glob": "files this entry applies to (relative to the config file), e.g. exports/*.json",
    "items": "path to each item, e.g. items[] (default: every CSV row, else the whole file)",
    "text": "fields of an item holding text to lint, e.g. [\"reply\"]",
    "id": "field holding the item id",
    "title": "field holding the item title (also linted)",
    "markup": "how the text is written: text, html or markdown (default text)",
    "html": "shorthand for markup = \"html\"",
}
MARKUPS = ("text", "html", "markdown")
CONFIG_NAMES = (".macrolint.toml", "pyproject.toml")


class ConfigError(Exception):
    """Invalid configuration; the message names the file and line where it can."""


class SourceSpec(NamedTuple):
    """A data file layout declared in config: which fields of which files hold text to lint."""

    glob: str
    text: tuple[str, ...]
    items: Optional[str] = None
    id: Optional[str] = None
    title: Optional[str] = None
    markup: str = "text"


class Config(NamedTuple):
    packs: tuple[str, ...] = ("core", "placeholders")
    extend_packs: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, str] = MappingProxyType({})
    exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    min_confidence: float = 0.85
    timeout_per_file: float = 60.0
    preview: bool = False
    internal_notes: bool = False
    sources: tuple[SourceSpec, ...] = ()
    #: Path glob (relative to the config file) -> rule selectors skipped in matching files.
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: ``id:<glob>`` / ``title:<glob>`` (a bare glob tries both) -> rule selectors skipped in that macro.
    per_item_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: Folder that relative pack paths and exclude globs are resolved against.
    root: Optional[Path] = None
    #: The file this configuration came from, if any.
    path: Optional[Path] = None
    #: Audience and scopes everywhere, and per path glob (``paths``, relative to ``root``).
    reading: R.Reading = R.Reading()
    paths: tuple[tuple[str, R.Reading], ...] = ()
    vocabulary: R.Vocabulary = R.Vocabulary()
    #: Words added to the packs' word classes (``[words]``), by class name.
    words: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def with_overrides(self, **changes: Any) -> "Config":
        extend = changes.pop("extend_select", None)
        config = self._replace(**{k: v for k, v in changes.items() if v is not None})
        return config._replace(select=extended_select(config.select, tuple(extend))) if extend else config


def _toml():
    """The TOML parser, imported when a config file is read (most runs have none to read)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    return tomllib


#: Text a ``pyproject.toml`` must contain to define ``tool.macrolint`` in any TOML spelling
#: (``[tool.macrolint]``, ``[tool]`` then ``macrolint = ...``, a top-level ``tool = {...}`` or
#: ``tool.macrolint.x = ...``, quoted or spaced keys); a file without it is not parsed.
_MAY_CONFIGURE = re.compile(
    r"""^[ \t]*\[[ \t]*["']?tool["']?[ \t]*\]|^[ \t]*["']?tool["']?[ \t]*=|tool["']?[ \t]*\.[ \t]*["']?macrolint(?![\w-])""",
    re.M)


#: What marks a repository's root: the search for a config goes no further up.
REPO_MARKERS = (".git", ".hg", ".svn")


def find_config(start: Path, warn: Optional[Callable[[str], None]] = None) -> Optional[Path]:
    """The nearest ``.macrolint.toml``, or ``pyproject.toml`` with a ``[tool.macrolint]`` table.

    The search goes up from ``start`` and stops at the repository's root (a folder holding
    ``.git``) or the user's home, both included: a config in a parent shared with others
    (``/tmp``, a shared workspace) must not silence the run. A config that another user owns or
    that anyone may write is passed over with a warning (``--config`` names one to use anyway)."""
    start = start.resolve()
    folder = start if start.is_dir() else start.parent
    for d in (folder, *folder.parents):
        found = config_in(d, warn)
        if found is not None:
            return found
        if is_boundary(d):
            return None
    return None


def config_in(folder: Path, warn: Optional[Callable[[str], None]] = None) -> Optional[Path]:
    """The config file of ``folder`` itself (not its parents), if it has one that may be read."""
    for name in CONFIG_NAMES:
        candidate = folder / name
        if not candidate.is_file():
            continue
        problem = _untrusted(candidate)
        if problem:
            if warn is not None:
                warn(f"{candidate}: not read: {problem}; pass --config to use it")
            continue
        if name == ".macrolint.toml" or _configures_macrolint(candidate):
            return candidate
    return None


def is_boundary(folder: Path) -> bool:
    """Whether the search for a config stops at ``folder``: a repository's root or the home folder."""
    return folder == _home() or any(os.path.exists(folder / marker) for marker in REPO_MARKERS)


def _home() -> Optional[Path]:
    try:
        return Path.home().resolve()
    except (RuntimeError, OSError, KeyError):  # no home folder known
        return None


def _untrusted(path: Path) -> Optional[str]:
    """Why a config found on the way up is not to be read, or None: it belongs to another user
    (root's files excepted: nobody else can have planted them), or anyone may change it."""
    try:
        st = path.stat()
    except OSError as exc:
        return f"cannot read it: {exc.strerror or exc}"
    if hasattr(os, "getuid") and st.st_uid not in (os.getuid(), 0):
        return f"it belongs to another user (uid {st.st_uid})"
    if st.st_mode & stat.S_IWOTH:
        return "anyone may write to it"
    return None


def _configures_macrolint(path: Path) -> bool:
    """Whether a ``pyproject.toml`` has a ``[tool.macrolint]`` table. One that cannot be read, or
    whose text never names ``tool.macrolint``, is some other tool's business; one that names it
    but does not parse is taken, so that loading it reports the error instead of a silent run
    with no config."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if not _MAY_CONFIGURE.search(text):
        return False
    try:
        tool = _parse_toml(path, text).get("tool")
    except ConfigError:
        return True  # it names macrolint's table but cannot be read: loading it says why
    return isinstance(tool, dict) and "macrolint" in tool


line_of_key = R.line_of_key


#: A config file larger than this is refused unread (no real config comes near it).
MAX_CONFIG_BYTES = 1024 * 1024
#: Keys nested deeper are refused before parsing: the TOML parser's memory grows with the square
#: of a dotted key's depth (``a.a.a…`` 20,000 deep took a gigabyte).
MAX_KEY_DEPTH = 64
_AROUND_DOT = re.compile(r"[ \t]*\.[ \t]*")
_TOKEN = re.compile(r"[^\s=\[\]{},]+")


def _parse_toml(path: Path, text: str) -> dict:
    """The TOML document of a config file, or ``ConfigError`` naming the file."""
    if len(text) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: config file over {MAX_CONFIG_BYTES // 1024} KB; not read")
    if _key_depth(text) > MAX_KEY_DEPTH:
        raise ConfigError(f"{path}: a key is nested deeper than {MAX_KEY_DEPTH} levels; not read")
    tomllib = _toml()
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from None


def _key_depth(text: str) -> int:
    """The most parts a dotted key or table name may have (dots in quoted strings count too: an
    overestimate that only matters past ``MAX_KEY_DEPTH``)."""
    if text.count(".") < MAX_KEY_DEPTH:
        return 0
    flat = _AROUND_DOT.sub(".", text)
    return max((m.group().count(".") + 1 for m in _TOKEN.finditer(flat)), default=0)


def load_config(path: Path) -> Config:
    """Read and validate one config file (by itself: ``configtree.load`` follows ``extend``)."""
    data, text = read_table(path)
    return from_mapping(data, path=path, text=text)


def read_table(path: Path) -> tuple[dict, str]:
    """A config file's macrolint table (``[tool.macrolint]`` in ``pyproject.toml``) and its text."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from None
    data = _parse_toml(path, text)
    if path.name == "pyproject.toml" or "tool" in data:
        tool = data.get("tool", {})
        if not isinstance(tool, dict):
            raise ConfigError(f"{path}:{line_of_key(text, 'tool')}: \"tool\" must be a table ([tool.macrolint])")
        data = tool.get("macrolint", {})
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: [tool.macrolint] must be a table")
    return data, text


def from_mapping(data: Mapping[str, Any], path: Optional[Path] = None, text: str = "") -> Config:
    """Validate a mapping of config keys (kebab-case or snake_case) into a ``Config``."""
    where = str(path) if path else "config"
    values: dict[str, Any] = {}
    for raw_key, value in data.items():
        key = str(raw_key).replace("_", "-")
        line = line_of_key(text, str(raw_key)) if text else 0
        at = f"{where}:{line}" if line else where
        if key not in KEYS:
            raise ConfigError(f'{at}: unknown key "{raw_key}"{did_you_mean(key, KEYS)}')
        values[key] = value if key in R.READING_KEYS else _check_value(key, value, at)
    root = path.parent if path else None
    try:
        read = R.reading(values, where, text)
        paths = R.path_readings(values["paths"], read, where, text) if "paths" in values else ()
        vocabulary = R.vocabulary(values["vocabulary"], root, where, text) if "vocabulary" in values else R.Vocabulary()
        words = R.word_additions(values["words"], where, text) if "words" in values else ()
    except R.ReadingError as exc:
        raise ConfigError(str(exc)) from None
    return Config(
        packs=tuple(values.get("packs", ("core", "placeholders"))),
        extend_packs=tuple(values.get("extend-packs", ())),
        select=extended_select(tuple(values.get("select", ())), tuple(values.get("extend-select", ()))),
        ignore=tuple(values.get("ignore", ())),
        severity=dict(values.get("severity", {})),
        exclude=(*values.get("exclude", ()), *vocabulary.files),  # term lists are not replies
        respect_gitignore=bool(values.get("respect-gitignore", True)),
        min_confidence=float(values.get("min-confidence", 0.85)),
        timeout_per_file=float(values.get("timeout-per-file", 60.0)),
        preview=bool(values.get("preview", False)),
        internal_notes=bool(values.get("internal-notes", False)),
        sources=tuple(values.get("sources", ())),
        per_file_ignores=tuple(values.get("per-file-ignores", ())),
        per_item_ignores=tuple(values.get("per-item-ignores", ())),
        root=root,
        path=path,
        reading=read,
        paths=paths,
        vocabulary=vocabulary,
        words=words,
    )


def extended_select(select: tuple[str, ...], extend: tuple[str, ...]) -> tuple[str, ...]:
    """``select`` with ``extend`` added: on top of every default rule when ``select`` is empty."""
    if not extend:
        return select
    return (*(select or ("ALL",)), *extend)


def _check_value(key: str, value: Any, at: str) -> Any:
    if key in ("packs", "extend-packs", "select", "extend-select", "ignore", "exclude"):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f'{at}: "{key}" must be a list of strings')
        return value
    if key == "extend":
        if not isinstance(value, str) or not value:
            raise ConfigError(f'{at}: "extend" must be the path of another config file')
        return value
    if key == "severity":
        if not isinstance(value, dict):
            raise ConfigError(f'{at}: "severity" must be a table like {{JG = "info"}}')
        for k, v in value.items():
            if v not in SEVERITIES:
                raise ConfigError(f'{at}: severity for "{k}" must be one of {", ".join(SEVERITIES)}, not {v!r}')
        return value
    if key == "timeout-per-file":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise ConfigError(f'{at}: "timeout-per-file" must be a number of seconds (0: no limit)')
        return value
    if key == "min-confidence":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise ConfigError(f'{at}: "min-confidence" must be a number from 0 to 1')
        return value
    if key in ("preview", "internal-notes", "respect-gitignore"):
        if not isinstance(value, bool):
            raise ConfigError(f'{at}: "{key}" must be true or false')
        return value
    if key in ("per-file-ignores", "per-item-ignores"):
        if not isinstance(value, dict):
            raise ConfigError(f'{at}: "{key}" must be a table of glob = [rule selectors]')
        out = []
        for k, v in value.items():
            if isinstance(v, str):
                v = [v]
            if not isinstance(v, list) or not v or not all(isinstance(c, str) for c in v):
                raise ConfigError(f'{at}: "{key}" entry "{k}" must be a list of rule codes, prefixes or categories')
            if key == "per-item-ignores" and ":" in k and k.split(":", 1)[0] not in ("id", "title"):
                raise ConfigError(f'{at}: "{key}" entry "{k}": a macro key is id:<glob>, title:<glob> or a bare glob')
            out.append((k, tuple(v)))
        return tuple(out)
    if key == "sources":
        if isinstance(value, dict):
            value = [value]
        if not isinstance(value, list):
            raise ConfigError(f'{at}: "sources" must be a list of tables ([[tool.macrolint.sources]])')
        return [_source_spec(v, f"{at}: sources[{i}]") for i, v in enumerate(value)]
    return value  # pragma: no cover


def _source_spec(value: Any, at: str) -> SourceSpec:
    from macrolint.readers.selectors import check as check_selector

    if not isinstance(value, dict):
        raise ConfigError(f"{at} must be a table with glob and text")
    for k in value:
        if k not in SOURCE_KEYS:
            raise ConfigError(f'{at}: unknown key "{k}"{did_you_mean(str(k), SOURCE_KEYS)}')
    for k in ("glob", "text"):
        if k not in value:
            raise ConfigError(f'{at}: "{k}" is required')
    texts = [value["text"]] if isinstance(value["text"], str) else value["text"]
    if not isinstance(texts, list) or not texts or not all(isinstance(t, str) for t in texts):
        raise ConfigError(f'{at}: "text" must be a field path or a list of them')
    for k in ("glob", "items", "id", "title", "markup"):
        if k in value and not isinstance(value[k], str):
            raise ConfigError(f'{at}: "{k}" must be a string')
    for path in (*texts, value.get("items"), value.get("id"), value.get("title")):
        problem = check_selector(path) if path is not None else None
        if problem:
            raise ConfigError(f"{at}: {problem}")
    markup = value.get("markup", "text")
    if "html" in value:
        if not isinstance(value["html"], bool):
            raise ConfigError(f'{at}: "html" must be true or false')
        if "markup" in value and (markup == "html") != value["html"]:
            raise ConfigError(f'{at}: "html" and "markup" disagree; keep one')
        markup = "html" if value["html"] else markup
    if markup not in MARKUPS:
        raise ConfigError(f'{at}: "markup" must be one of {", ".join(MARKUPS)}{did_you_mean(markup, MARKUPS)}')
    return SourceSpec(glob=value["glob"], text=tuple(texts), items=value.get("items"), id=value.get("id"),
                      title=value.get("title"), markup=markup)


