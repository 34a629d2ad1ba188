"""Paths as config globs see them: forward slashes, no leading ``./``, relative to the config folder
or the working directory."""
from __future__ import annotations

import fnmatch
import os
from pathlib import Path, PurePath
from typing import Optional


def posix_path(path: str) -> str:
    """``path`` as given, with forward slashes and without a leading ``./`` (``.github`` keeps its dot)."""
    p = path.replace("\\", "/")
    while p.startswith("./"):
        p = p[2:]
    return p


def shown_path(path: str) -> str:
    """``path`` as text every UTF-8 output can carry: each byte of a file name that is not UTF-8
    (which Python keeps as a lone surrogate, ``os.fsdecode``) becomes U+FFFD."""
    if path.isascii():
        return path
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in path)


def relative_forms(path: str, root: Optional[Path]) -> set[str]:
    """The ways a glob may name ``path``: as given, and relative to ``root`` and to the cwd."""
    p = Path(path)
    forms = {posix_path(p.as_posix()) or "."}
    for base in (root, Path.cwd()):
        if base is not None:
            try:
                forms.add(p.resolve().relative_to(Path(base).resolve()).as_posix())
            except (ValueError, OSError):
                pass
    return forms


def config_relative(path: str, root: Optional[Path]) -> str:
    """``path`` relative to the config folder ``root`` (as given without one, or on another drive)."""
    if root is None:
        return path
    try:
        return os.path.relpath(os.path.abspath(path), root)
    except ValueError:  # another drive on Windows
        return path


def glob_match(path: str, pattern: str) -> bool:
    """Whether a config glob names ``path``: the whole path, a trailing part of it, or its name."""
    p = posix_path(PurePath(path).as_posix())
    return fnmatch.fnmatch(p, pattern) or fnmatch.fnmatch(p, "*/" + pattern) or fnmatch.fnmatch(PurePath(p).name, pattern)
