"""The rules a run uses: packs read through the cache, validated against the matcher's checks,
then selected by the config."""
from __future__ import annotations

import os
from pathlib import Path
from types import MappingProxyType
from typing import Iterable, Mapping, Optional

from macrolint.matching.checks import CHECKS
from macrolint.matching.compiled import compile_pack
from macrolint.matching.store import cached
from macrolint.packs import load as packs
from macrolint.packs.config import Config, ConfigError
from macrolint.packs.model import Rule
from macrolint.packs.reading import vocabulary_rule
from macrolint.packs.selection import UnknownSelector, select_rules, validate_selectors


def read_pack(folder: Path, use_cache: bool = True, words: Mapping[str, tuple[str, ...]] = MappingProxyType({})
              ) -> packs.Pack:
    """One pack folder, compiled (``matching.compiled``), from the cache when it is unchanged
    (see ``matching.store``); ``words`` are a config's additions to its word classes."""
    folder = Path(folder)
    build = lambda: compile_pack(packs.read_pack(folder, CHECKS, words=words))  # noqa: E731
    if use_cache and folder.is_dir():
        salt = repr(sorted(words.items())) if words else ""
        return cached(folder, build, salt).pack
    return build().pack


def load_packs(specs: Iterable[str], base: Optional[Path] = None,
               words: Mapping[str, tuple[str, ...]] = MappingProxyType({})) -> list[packs.Pack]:
    """Several packs by built-in name or path (relative to ``base``); ``PackError`` lists every
    problem. ``words`` (a config's ``[words]``) must each name a word class one of them defines."""
    loaded = packs.load_packs(specs, base, read=lambda folder: read_pack(folder, words=words))
    if words:
        known = {name for p in loaded for name, d in packs.pack_definitions(Path(p.path)).items.items()
                 if d.kind == "words"}
        unknown = [name for name in words if name not in known]
        if unknown:
            raise ConfigError(f'[words]: no loaded pack has a word class named {", ".join(map(repr, unknown))}; '
                              f'word classes: {", ".join(sorted(known)) or "none"}')
    return loaded


def load_rules(config: Config) -> list[Rule]:
    """The rules a config enables (raises ``PackError`` or ``ConfigError``)."""
    return load_rule_sets(config)[0]


def load_rule_sets(config: Config) -> tuple[list[Rule], list[Rule]]:
    """The rules a config enables, and those its ``select`` / ``ignore`` leave out of the full
    set (every rule of its packs at its status): a suppression one of those would need is not
    unused, only not judged in this run."""
    rules = [r for p in load_packs(_once([*config.packs, *config.extend_packs], config.root), base=config.root,
                                   words=dict(config.words))
             for r in p.rules]
    team = vocabulary_rule(config.vocabulary, str(config.path or "config"))
    if team is not None:
        rules.append(team)
    try:
        enabled = select_rules(rules, config.select, config.ignore, config.severity, config.preview)
        for option, table in (("per-file-ignores", config.per_file_ignores),
                              ("per-item-ignores", config.per_item_ignores)):
            validate_selectors([c for _, codes in table for c in codes], rules, option)
    except UnknownSelector as exc:
        raise ConfigError(f"{_origin(config, exc.option, exc.selector)}: {exc.problem}") from None
    if not config.select and not config.ignore:
        return enabled, []
    on = {r.code for r in enabled}
    return enabled, [r for r in select_rules(rules, (), (), {}, config.preview) if r.code not in on]


def _once(names: list[str], root) -> list[str]:
    """Pack names and folders with repeats left out (``extend-packs = ["core"]`` beside the
    default ``packs``): a pack loaded twice reported every finding twice."""
    seen, out = set(), []
    for name in names:
        local = "/" in name or "\\" in name or name.startswith(".")
        key = os.path.normcase(os.path.abspath(os.path.join(str(root or "."), name))) if local else name
        if key not in seen:
            seen.add(key)
            out.append(name)
    return out


def _origin(config: Config, option: str, selector: str) -> str:
    """Where a selector was given: ``file:line`` of the config that holds it, else the flag."""
    if config.path is not None:
        from macrolint.packs.config import line_of_key

        try:
            text = config.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = ""
        if selector in text:
            quoted = [i for i, ln in enumerate(text.splitlines(), 1) if f'"{selector}"' in ln or f"'{selector}'" in ln]
            line = quoted[0] if len(quoted) == 1 else line_of_key(text, option)
            return f"{config.path}:{line} ({option})" if line else f"{config.path} ({option})"
    return f"--{option}" if option != "severity" else "severity"
