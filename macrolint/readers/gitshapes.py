"""Git-native reply libraries kept as data files (FORMATS.md §10): GitHub saved replies, label
actions, VS Code triage commands, and plain lists or maps of replies exported by browser tools."""
from __future__ import annotations

from pathlib import PurePath
from typing import Any, Optional

from macrolint.readers.shapes import Context, Shape, collection
from macrolint.readers.tree import Field, ShapeError, is_text, objects, scalar, text


def github_replies(tree: Any, ctx: Context) -> Optional[list[Field]]:
    """refined-saved-replies ``replies.yml``: ``replies: [{name, body}]``."""
    if not isinstance(tree, dict) or "replies" not in tree:
        return None
    replies = tree["replies"]
    if not isinstance(replies, list) or not any(isinstance(r, dict) and "body" in r for r in replies):
        return None
    out: list[Field] = []
    for i, r in enumerate(replies):
        if not isinstance(r, dict) or not ("body" in r or "name" in r):
            raise ShapeError(f"reply #{i + 1} must be an object with name and body", r)
        title = text(r.get("name"))
        if is_text(r.get("name")):
            out.append(Field(r["name"], "name", "text", None, title))
        if is_text(r.get("body")):
            out.append(Field(r["body"], "body", "markdown", None, title))
    return out


_LABEL_ACTIONS = {"comment", "label", "unlabel", "close", "reopen", "lock", "unlock", "lock-reason", "close-reason",
                  "discussions", "issues", "prs", "actions", "pin", "unpin", "archive", "mark-answer", "reviewers"}
_SCOPES = ("issues", "prs", "discussions")


def _action_set(node: Any) -> bool:
    return isinstance(node, dict) and bool(node) and set(node) <= _LABEL_ACTIONS


def _comments(node: Any, scope: str, label: str, out: list[Field]) -> None:
    """The comments of a label's actions, their ``actions`` and per-scope tables included; each
    table is read once (a YAML alias may make a table hold itself)."""
    seen: set[int] = set()
    todo = [(node, scope)]
    while todo:
        node, scope = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        comment = node.get("comment")
        name = f"{scope}.comment" if scope else "comment"
        for c in comment if isinstance(comment, list) else [comment]:
            if is_text(c):
                out.append(Field(c, name, "markdown", label, label))
        for s in reversed(_SCOPES):
            if isinstance(node.get(s), dict):
                todo.append((node[s], s))
        if isinstance(node.get("actions"), dict):
            todo.append((node["actions"], scope))


def label_actions(tree: Any, ctx: Context) -> Optional[list[Field]]:
    """dessant/label-actions: ``<label>: {comment, close, ...}``, or per scope
    ``<label>: {issues: {comment}, prs: ..., discussions: ...}``."""
    if not isinstance(tree, dict) or not tree:
        return None
    named = PurePath(ctx.path).name.lower() in ("label-actions.yml", "label-actions.yaml", "labels.yml", "labels.yaml")
    values = [v for v in tree.values() if v is not None]
    if not values or not all(_action_set(v) for v in values):
        return None
    if not named and not any("comment" in v or any(_action_set(v.get(s)) for s in _SCOPES) for v in values):
        return None
    out: list[Field] = []
    for label, node in tree.items():
        if isinstance(node, dict):
            _comments(node, "", label, out)
    return out


def vscode_commands(tree: Any, ctx: Context) -> Optional[list[Field]]:
    """VS Code triage bot ``commands.json``: ``[{type, name, action, comment}]``."""
    if not isinstance(tree, list) or not tree:
        return None
    records = list(objects(tree))
    if len(records) != len(tree) or not all(text(r.get("type")) in ("comment", "label") and "name" in r for r in records):
        return None
    out: list[Field] = []
    for r in records:
        if is_text(r.get("comment")):
            name = text(r.get("name"))
            out.append(Field(r["comment"], "comment", "markdown", name, name))
    return out


_TITLE_KEYS = ("title", "name", "label", "shortcut", "subject")
_TEXT_KEYS = ("text", "body", "content", "message", "reply", "response", "template", "snippet")


def _pick(record: dict, keys: tuple[str, ...]) -> Optional[str]:
    return next((k for k in keys if is_text(record.get(k))), None)


def reply_list(tree: Any, ctx: Context) -> Optional[list[Field]]:
    """A list of ``{title, text}``-like records (a browser extension's backup, say)."""
    found = collection(tree, ("items", "macros", "replies", "snippets", "responses", "templates"), ())
    if found is None:
        return None
    records, _ = found
    if not isinstance(tree, list) and not found[1]:
        return None
    if not records or not all(isinstance(r, dict) and _pick(r, _TEXT_KEYS) for r in records):
        return None
    if sum(1 for r in records if _pick(r, _TITLE_KEYS)) * 2 < len(records):
        return None
    out: list[Field] = []
    for r in records:
        title_key, text_key = _pick(r, _TITLE_KEYS), _pick(r, _TEXT_KEYS)
        rid = scalar(r.get("id"))
        title = text(r.get(title_key)) if title_key else None
        if title_key:
            out.append(Field(r[title_key], title_key, "text", rid, title))
        out.append(Field(r[text_key], text_key, "text", rid, title))
    return out


def reply_map(tree: Any, ctx: Context) -> Optional[list[Field]]:
    """A flat map from reply title to reply text (an agent's personal library)."""
    if not isinstance(tree, dict) or len(tree) < 2:
        return None
    values = list(tree.values())
    if not all(is_text(v) for v in values):
        return None
    # Titles have spaces and texts are sentences; i18n tables (``app.save: "Save"``) do not.
    titled = sum(1 for k in tree if " " in k.strip())
    prose = sum(1 for v in values if len(v.value) >= 20 and " " in v.value)
    if titled * 2 < len(tree) or prose * 2 < len(tree):
        return None
    return [Field(v, "text", "text", None, k) for k, v in tree.items()]


SHAPES: tuple[Shape, ...] = (
    Shape("github-saved-replies", "github", github_replies),
    Shape("label-actions", "github", label_actions),
    Shape("vscode-commands", "github", vscode_commands),
    Shape("reply-list", None, reply_list),
    Shape("reply-map", None, reply_map),
)
