"""``.gitignore`` and ``.ignore`` files for the folder walk, read as git reads them (``pathspec``).

Each ignore file applies to its folder and everything below it, a deeper file's patterns
winning over a shallower one's (``!keep.md`` re-includes). Ignore files above the walked folder
count up to the repository's root, unless they ignore the walked folder itself: a folder named
on the command line is linted. Files named on the command line are never filtered.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

IGNORE_FILES = (".gitignore", ".ignore")
#: An ignore file larger than this is not read (no real one comes near it).
MAX_IGNORE_BYTES = 1024 * 1024

Chain = tuple[tuple[str, object], ...]


class IgnoreFiles:
    """The ignore files met by a walk, each read once."""

    def __init__(self) -> None:
        self._spec: dict[str, object] = {}
        self._chain: dict[str, Chain] = {}

    def spec(self, folder: str):
        """The patterns of ``folder``'s own ignore files, or None."""
        if folder not in self._spec:
            lines: list[str] = []
            for name in IGNORE_FILES:
                try:
                    with open(os.path.join(folder, name), "rb") as fh:
                        lines += fh.read(MAX_IGNORE_BYTES).decode("utf-8", "replace").splitlines()
                except OSError:
                    continue
            spec = None
            if lines:
                import pathspec

                spec = pathspec.GitIgnoreSpec.from_lines(lines)
            self._spec[folder] = spec
        return self._spec[folder]

    def start(self, root: str) -> Chain:
        """The patterns that apply in folder ``root`` where a walk starts: those of the ignore
        files above it (to the repository's root), unless they ignore ``root`` itself."""
        from macrolint.packs.config import is_boundary

        root = os.path.abspath(root)
        above: list[tuple[str, object]] = []
        folder = Path(root).parent
        if not is_boundary(Path(root)):
            while True:
                spec = self.spec(str(folder))
                if spec is not None:
                    above.append((str(folder), spec))
                if is_boundary(folder) or folder.parent == folder:
                    break
                folder = folder.parent
        chain: Chain = tuple(reversed(above))
        if chain and ignored(root, True, chain):
            chain = ()  # the folder was named to be linted
        return self.enter(root, chain)

    def enter(self, folder: str, parent: Chain) -> Chain:
        """The patterns that apply inside ``folder``: its parent's and its own."""
        spec = self.spec(folder)
        return (*parent, (folder, spec)) if spec is not None else parent


def ignored(path: str, is_dir: bool, chain: Chain) -> bool:
    """Whether the patterns of ``chain`` (shallowest first) ignore the absolute ``path``; the
    deepest pattern that names it decides. Every base of a chain is a folder above ``path``, so
    its relative name is a slice (a walk asks once a file)."""
    verdict: Optional[bool] = None
    for base, spec in chain:
        if not path.startswith(base) or path[len(base):len(base) + 1] != os.sep:
            continue
        rel = path[len(base) + 1:]
        if os.sep != "/":
            rel = rel.replace(os.sep, "/")
        result = spec.check_file(rel + "/" if is_dir else rel).include  # type: ignore[attr-defined]
        if result is not None:
            verdict = result
    return bool(verdict)
