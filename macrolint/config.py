"""Configuration: ``.macrolint.toml`` or ``[tool.macrolint]`` in ``pyproject.toml``, found by
walking up from the linted path; command-line flags override it."""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping, Optional

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from .schema import SEVERITIES, did_you_mean

KEYS = {
    "packs": "packs to load: built-in names or paths (default: core)",
    "extend-packs": "extra pack folders, added to `packs`",
    "select": "codes, prefixes, categories or rule names to enable (default: all stable rules)",
    "ignore": "codes, prefixes, categories or rule names to disable",
    "severity": "severity overrides: {code, prefix or category = info|warning|error}",
    "exclude": "glob patterns of paths not to lint",
    "min-confidence": "drop near-variant findings below this confidence (0..1)",
    "preview": "also run rules whose status is preview",
}
CONFIG_NAMES = (".macrolint.toml", "pyproject.toml")


class ConfigError(Exception):
    """Invalid configuration; the message names the file and line where it can."""


@dataclass(frozen=True)
class Config:
    packs: tuple[str, ...] = ("core",)
    extend_packs: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, str] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    min_confidence: float = 0.85
    preview: bool = False
    #: Folder that relative pack paths and exclude globs are resolved against.
    root: Optional[Path] = None
    #: The file this configuration came from, if any.
    path: Optional[Path] = None

    def with_overrides(self, **changes: Any) -> "Config":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def find_config(start: Path) -> Optional[Path]:
    """The nearest ``.macrolint.toml``, or ``pyproject.toml`` with a ``[tool.macrolint]`` table."""
    start = start.resolve()
    folder = start if start.is_dir() else start.parent
    for d in (folder, *folder.parents):
        candidate = d / ".macrolint.toml"
        if candidate.is_file():
            return candidate
        candidate = d / "pyproject.toml"
        if candidate.is_file():
            try:
                if "macrolint" in tomllib.loads(candidate.read_text(encoding="utf-8")).get("tool", {}):
                    return candidate
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
    return None


def _line_of(text: str, key: str) -> int:
    m = re.search(rf"^[ \t]*\"?{re.escape(key)}\"?[ \t]*=", text, re.M)
    return text.count("\n", 0, m.start()) + 1 if m else 0


def load_config(path: Path) -> Config:
    """Read and validate one config file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    if path.name == "pyproject.toml" or "tool" in data:
        data = data.get("tool", {}).get("macrolint", {})
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: [tool.macrolint] must be a table")
    return from_mapping(data, path=path, text=text)


def from_mapping(data: Mapping[str, Any], path: Optional[Path] = None, text: str = "") -> Config:
    """Validate a mapping of config keys (kebab-case or snake_case) into a ``Config``."""
    where = str(path) if path else "config"
    values: dict[str, Any] = {}
    for raw_key, value in data.items():
        key = str(raw_key).replace("_", "-")
        line = _line_of(text, str(raw_key)) if text else 0
        at = f"{where}:{line}" if line else where
        if key not in KEYS:
            raise ConfigError(f'{at}: unknown key "{raw_key}"{did_you_mean(key, KEYS)}')
        values[key] = _check_value(key, value, at)
    root = path.parent if path else None
    return Config(
        packs=tuple(values.get("packs", ("core",))),
        extend_packs=tuple(values.get("extend-packs", ())),
        select=tuple(values.get("select", ())),
        ignore=tuple(values.get("ignore", ())),
        severity=dict(values.get("severity", {})),
        exclude=tuple(values.get("exclude", ())),
        min_confidence=float(values.get("min-confidence", 0.85)),
        preview=bool(values.get("preview", False)),
        root=root,
        path=path,
    )


def _check_value(key: str, value: Any, at: str) -> Any:
    if key in ("packs", "extend-packs", "select", "ignore", "exclude"):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f'{at}: "{key}" must be a list of strings')
        return value
    if key == "severity":
        if not isinstance(value, dict):
            raise ConfigError(f'{at}: "severity" must be a table like {{JG = "info"}}')
        for k, v in value.items():
            if v not in SEVERITIES:
                raise ConfigError(f'{at}: severity for "{k}" must be one of {", ".join(SEVERITIES)}, not {v!r}')
        return value
    if key == "min-confidence":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise ConfigError(f'{at}: "min-confidence" must be a number from 0 to 1')
        return value
    if key == "preview":
        if not isinstance(value, bool):
            raise ConfigError(f'{at}: "preview" must be true or false')
        return value
    return value  # pragma: no cover


def discover(paths: list[str], explicit: Optional[str] = None) -> Config:
    """The config for a run: ``explicit`` if given, else the nearest one to the first path."""
    if explicit:
        p = Path(explicit)
        if not p.is_file():
            raise ConfigError(f"{explicit}: config file not found")
        return load_config(p)
    start = Path(paths[0]) if paths and paths[0] != "-" else Path.cwd()
    found = find_config(start if start.exists() else Path.cwd())
    return load_config(found) if found else Config()
