"""Which config each file uses: the nearest one above it, as ruff finds them.

Every file is linted with the closest ``.macrolint.toml`` (or ``pyproject.toml`` with a
``[tool.macrolint]`` table) above it, found once per folder, so a run's results never depend on
the order of its arguments and a nested config (a ``developers/`` folder for a technical
audience) applies to its own files. ``extend = "../.macrolint.toml"`` in a config inherits every
setting of that file; the keys it sets itself replace the inherited ones. Inherited relative
paths keep meaning what they meant where they were written: pack folders become absolute, and
globs written for the parent's folder are re-rooted at the child's.

``--config FILE`` (``fixed``) and ``--isolated`` use one config for every file.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable, Optional

from macrolint.packs import config as C

#: Config keys -> the ``Config`` fields they set (reading keys set fields of ``Config.reading``).
_FIELDS = {
    "packs": ("packs",), "extend-packs": ("extend_packs",), "select": ("select",),
    "extend-select": ("select",), "ignore": ("ignore",), "severity": ("severity",),
    "exclude": ("exclude",), "respect-gitignore": ("respect_gitignore",), "min-confidence": ("min_confidence",),
    "preview": ("preview",), "timeout-per-file": ("timeout_per_file",),
    "internal-notes": ("internal_notes",), "sources": ("sources",), "per-file-ignores": ("per_file_ignores",),
    "per-item-ignores": ("per_item_ignores",), "paths": ("paths",), "vocabulary": ("vocabulary", "exclude"),
    "words": ("words",),
}
_READING = {"audience": "audience", "extend-scopes": "extend_scopes", "ignore-scopes": "ignore_scopes",
            "articles": "articles", "notices": "notices"}
MAX_EXTENDS = 16


def load(path: Path, _chain: tuple[Path, ...] = ()) -> C.Config:
    """One config file with what it ``extend``s (``ConfigError`` on a loop or a missing file)."""
    data, text = C.read_table(path)
    own = C.from_mapping(data, path=path, text=text)
    extend = data.get("extend")
    if extend is None:
        return own
    line = C.line_of_key(text, "extend")
    parent_path = (path.parent / extend).resolve()
    if parent_path in _chain or parent_path == path.resolve() or len(_chain) >= MAX_EXTENDS:
        raise C.ConfigError(f"{path}:{line}: extend = \"{extend}\" makes a loop of configs")
    if not parent_path.is_file():
        raise C.ConfigError(f"{path}:{line}: extend = \"{extend}\": no such file")
    parent = load(parent_path, (*_chain, path.resolve()))
    keys = {str(k).replace("_", "-") for k in data}
    return merge(parent, own, keys)


def merge(parent: C.Config, own: C.Config, keys: set[str]) -> C.Config:
    """``own`` where its file set a key, ``parent`` (re-rooted at ``own``'s folder) elsewhere."""
    inherited = rebase(parent, own.root)
    changes: dict[str, Any] = {}
    for key in keys:
        for field in _FIELDS.get(key, ()):
            changes[field] = getattr(own, field)
    if "extend-select" in keys and "select" not in keys:  # own.select is ("ALL", *extend-select)
        changes["select"] = C.extended_select(inherited.select, tuple(s for s in own.select if s != "ALL"))
    if "vocabulary" in keys and "exclude" not in keys:
        changes["exclude"] = (*inherited.exclude, *own.vocabulary.files)
    reading = inherited.reading._replace(**{f: getattr(own.reading, f) for k, f in _READING.items() if k in keys})
    return inherited._replace(**changes, reading=reading, root=own.root, path=own.path)


def rebase(config: C.Config, root: Optional[Path]) -> C.Config:
    """``config`` as seen from folder ``root``: relative pack folders made absolute, globs that
    name ``root``'s own folder shortened to start there."""
    if root is None or config.root is None or root == config.root:
        return config
    try:
        prefix = Path(os.path.relpath(root, config.root)).as_posix().rstrip("/") + "/"
    except ValueError:  # another drive
        return config

    def glob(g: str) -> str:
        return g[len(prefix):] if g.startswith(prefix) else g

    def pack(p: str) -> str:
        local = "/" in p or "\\" in p or p.startswith(".")
        return str((config.root / p).resolve()) if local and not os.path.isabs(p) else p

    return config._replace(
        packs=tuple(pack(p) for p in config.packs), extend_packs=tuple(pack(p) for p in config.extend_packs),
        exclude=tuple(glob(g) for g in config.exclude),
        per_file_ignores=tuple((glob(g), codes) for g, codes in config.per_file_ignores),
        paths=tuple((glob(g), r) for g, r in config.paths),
        sources=tuple(s._replace(glob=glob(s.glob)) for s in config.sources))


class ConfigTree:
    """The config of each file: ``fixed`` for all when given, else the nearest one above it
    (found once per folder, each file read once), with the command line's ``overrides`` on top."""

    def __init__(self, fixed: Optional[C.Config] = None, warn: Optional[Callable[[str], None]] = None,
                 **overrides: Any):
        self.fixed = fixed.with_overrides(**overrides) if fixed is not None else None
        self.warn = warn
        self.overrides = overrides
        self._by_folder: dict[str, C.Config] = {}
        self._by_name: dict[str, C.Config] = {}
        self._nearest_of: dict[str, Optional[Path]] = {}
        self._by_file: dict[Optional[Path], C.Config] = {}

    def for_path(self, path: str) -> C.Config:
        """The config of a file or folder."""
        if self.fixed is not None:
            return self.fixed
        folder = os.path.abspath(path if os.path.isdir(path) else os.path.dirname(path) or ".")
        found = self._by_folder.get(folder)
        if found is None:
            where = self._nearest(Path(folder).resolve())
            found = self._by_file.get(where)
            if found is None:
                found = (load(where) if where is not None else C.Config()).with_overrides(**self.overrides)
                self._by_file[where] = found
            self._by_folder[folder] = found
        return found

    def _nearest(self, folder: Path) -> Optional[Path]:
        """``find_config`` with every folder on the way remembered: a walk of many folders
        looks at each folder once."""
        key = str(folder)
        if key in self._nearest_of:
            return self._nearest_of[key]
        found = C.config_in(folder, self.warn)
        if found is None and not C.is_boundary(folder) and folder.parent != folder:
            found = self._nearest(folder.parent)
        self._nearest_of[key] = found
        return found

    def for_file(self, path: str) -> C.Config:
        """The config of a file, looked up by the folder name as given (no call to the file
        system once its folder is known: a run asks once per file)."""
        if self.fixed is not None:
            return self.fixed
        folder = os.path.dirname(path)
        found = self._by_name.get(folder)
        if found is None:
            found = self._by_name[folder] = self.for_path(folder or ".")
        return found

    def configs(self) -> list[C.Config]:
        """Every config met so far (the fixed one first)."""
        return [self.fixed] if self.fixed is not None else list(self._by_file.values())


def for_run(paths: list[str], explicit: Optional[str] = None, isolated: bool = False,
            warn: Optional[Callable[[str], None]] = None, **overrides: Any) -> ConfigTree:
    """The configs of a run: ``explicit`` (``--config``) or the defaults (``--isolated``) for every
    file, else each file's nearest."""
    if isolated:
        return ConfigTree(C.Config(), warn, **overrides)
    if explicit:
        p = Path(explicit)
        if not p.is_file():
            raise C.ConfigError(f"{explicit}: config file not found")
        return ConfigTree(load(p), warn, **overrides)
    return ConfigTree(None, warn, **overrides)


def discover(paths: list[str], explicit: Optional[str] = None, warn: Optional[Callable[[str], None]] = None) -> C.Config:
    """The config of the first path (``explicit`` if given): for commands that need one config,
    such as ``rules``."""
    tree = for_run(paths, explicit, warn=warn)
    first = paths[0] if paths and paths[0] != "-" and os.path.exists(paths[0]) else "."
    return tree.for_path(first)
