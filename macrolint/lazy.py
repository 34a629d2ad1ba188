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

    def __getitem__(self, name: str) -> Callable:
        module, function = self._where[name].split(":")
        return getattr(import_module(module, self._package), function)

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)
