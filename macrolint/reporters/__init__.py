"""Reporters turn diagnostics into output; they are the only place lines and columns are shown.

Every reporter has the signature ``render(diagnostics, files=0, color=False, rules=())`` and
returns the whole output as one string; ``rules`` are the run's ``Rule`` objects, for the
formats that document rules (SARIF, GitLab)."""
from __future__ import annotations

from importlib import import_module
from typing import Callable, Iterator, Mapping


class _Formats(Mapping[str, Callable[..., str]]):
    """Format name -> render function; a reporter's module is imported when its format is used,
    so a run does not pay for XML, hashing or JSON it does not print."""

    def __init__(self, where: dict[str, tuple[str, str]]) -> None:
        self._where = where

    def __getitem__(self, name: str) -> Callable[..., str]:
        module, function = self._where[name]
        return getattr(import_module(module, __name__), function)

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)


FORMATS = _Formats({
    "text": (".text", "render_text"),
    "concise": (".concise", "render_concise"),
    "json": (".json", "render_json"),
    "json-lines": (".jsonlines", "render_json_lines"),
    "github": (".github", "render_github"),
    "gitlab": (".gitlab", "render_gitlab"),
    "junit": (".junit", "render_junit"),
    "sarif": (".sarif", "render_sarif"),
})
