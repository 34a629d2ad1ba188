"""Functions looked up by name and imported on first use, so start-up pays only for the readers
and reporters a run needs."""
from __future__ import annotations

from importlib import import_module
from typing import Callable, Iterator, Mapping


class LazyFunctions(Mapping[str, Callable]):
    """``name -> function``, each given as ``".module:function"`` relative to ``package``."""

    def __init__(self, package: str, where: dict[str, str]) -> None:
        self._package = package
        self._where = where
        self._found: dict[str, Callable] = {}

    def __getitem__(self, name: str) -> Callable:
        found = self._found.get(name)
        if found is None:
            module, function = self._where[name].split(":")
            found = self._found[name] = getattr(import_module(module, self._package), function)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)
