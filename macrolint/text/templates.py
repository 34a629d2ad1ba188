"""Rewrite templates: the fields a rule's ``replace:`` may use and the slots it leaves.

``{1}`` / ``{name}`` stand for what the match captured, ``{rest}`` for the rest of the clause
after the match (``matching.rewrite``), and ``[a slot]`` (lower case, in square brackets) for a
fact the writer has to supply: a rewrite with a slot is never applied without the writer."""
from __future__ import annotations

import re

SLOT = re.compile(r"\[[a-z][^\[\]\n]{0,60}\]")
REST = "{rest}"
FIELD = re.compile(r"(?<!\{)\{(\w+)\}(?!\})")


def has_slot(text: str) -> bool:
    return SLOT.search(text) is not None


def fill(template: str, caps: dict) -> str:
    """Fill ``{1}`` / ``{name}`` with the parts the match captured (``{rest}`` stays)."""

    def sub(m: "re.Match[str]") -> str:
        key = m.group(1)
        if key == "rest":
            return m.group(0)
        if key in caps:
            return caps[key]
        if key.isdigit() and int(key) in caps:
            return caps[int(key)]
        return ""

    return FIELD.sub(sub, template)
