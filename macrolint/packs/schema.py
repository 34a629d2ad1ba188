"""Validation of pack and rule files: every problem is reported as ``file:line: message``, with a
"did you mean" for misspelt keys, and all problems of a run are collected before failing."""
from __future__ import annotations

import re
from typing import Any, Iterable

from macrolint.packs.yamlload import LineDict, LineList, line_of
from macrolint.text.templates import FIELD

PACK_KEYS = {
    "pack": "name of the pack, used in config `packs = [...]`",
    "title": "one-line title",
    "description": "what the pack checks",
    "schema": "rule-file schema version (1)",
    "prefixes": "allowed rule-code prefixes",
    "categories": "allowed categories (default: any)",
    "defaults": "values every rule inherits: severity, status, fuzzy, fix",
    "variants": "spelling variants: word -> [other spellings]",
    "definitions": "named contexts, guards and word classes the rules refer to (def:NAME, \\L<NAME>)",
}
PACK_DEFAULT_KEYS = {"severity", "status", "fuzzy", "fix"}

RULE_KEYS = {
    "id", "name", "category", "severity", "status", "summary", "why", "message", "link",
    "match", "suggest", "fix", "fuzzy", "exceptions", "unless_before", "unless_after",
    "unless_sentence", "articles_need", "examples", "aliases", "check", "scopes", "audience", "words", "kinds",
}
#: Who a text is written for (``audience`` in config); a rule with ``audience: customers`` is off
#: for a technical audience.
AUDIENCES = ("customers", "technical")
RULE_REQUIRED = ("id", "name", "category", "summary", "why", "message", "match", "examples")
#: A rule with ``check: <name>`` runs a code-backed check (macrolint/checks.py) instead of ``match``.
CHECK_REQUIRED = tuple(k for k in RULE_REQUIRED if k != "match")
MATCH_KEYS = {"phrase", "pattern", "replace", "fix", "fuzzy", "anchors"}
EXAMPLE_KEYS = {"bad", "good", "ok", "format", "fixed"}
SEVERITIES = ("info", "warning", "error")
#: ``draft``: a rule being written (``macrolint rules new``): it loads, but no run uses it.
STATUSES = ("stable", "preview", "deprecated", "draft")
FIXES = ("safe", "unsafe", "suggest")
FORMATS = ("text", "markdown", "html", "tag", "rst", "asciidoc", "json", "yaml", "csv")
MESSAGE_FIELDS = {"match", "replacement", "suggestion"}

CODE_RE = re.compile(r"^([A-Z]{2,4})([0-9]{3})$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean "x"?)`` when a close choice exists, else empty."""
    from rapidfuzz import process

    best = process.extractOne(str(word), list(choices), score_cutoff=70)
    return f' (did you mean "{best[0]}"?)' if best else ""


class Problems:
    """Collects ``path:line: message`` strings."""

    __slots__ = ("items",)

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, path: str, line: int, message: str) -> None:
        self.items.append(f"{path}:{line}: {message}" if line else f"{path}: {message}")

    def __bool__(self) -> bool:
        return bool(self.items)


def check_keys(obj: LineDict, allowed: Iterable[str], path: str, where: str, problems: Problems) -> None:
    allowed = set(allowed)
    for key in obj:
        if key not in allowed:
            problems.add(path, line_of(obj, key), f'unknown key "{key}" in {where}{did_you_mean(key, allowed)}')


def require(obj: LineDict, keys: Iterable[str], path: str, where: str, problems: Problems) -> bool:
    ok = True
    for key in keys:
        if key not in obj or obj[key] in (None, "", []):
            problems.add(path, getattr(obj, "line", 0), f'{where} is missing required key "{key}"')
            ok = False
    return ok


def expect_str(obj: LineDict, key: str, path: str, problems: Problems, choices: tuple[str, ...] = ()) -> bool:
    value = obj.get(key)
    if not isinstance(value, str):
        problems.add(path, line_of(obj, key), f'"{key}" must be a string, not {type(value).__name__}')
        return False
    if choices and value not in choices:
        problems.add(
            path, line_of(obj, key),
            f'"{key}" must be one of {", ".join(choices)}, not "{value}"{did_you_mean(value, choices)}',
        )
        return False
    return True


def string_list(obj: LineDict, key: str, path: str, problems: Problems) -> list[str]:
    """A list of strings (a lone string is accepted as a one-item list)."""
    value = obj.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.add(path, line_of(obj, key), f'"{key}" must be a list of strings')
        return []
    return list(value)


def is_mapping(value: Any) -> bool:
    return isinstance(value, dict)


def is_sequence(value: Any) -> bool:
    return isinstance(value, (list, LineList))


#: ``{1}`` or ``{name}``; doubled braces (``{{ticket.id}}``) are placeholders, not fields.
_FIELD_RE = FIELD


def template_fields(template: str) -> list[str]:
    return _FIELD_RE.findall(template)
