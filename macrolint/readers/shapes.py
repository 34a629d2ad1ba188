"""Help-desk export shapes: which text fields of a parsed JSON, YAML or CSV file are customer-facing.

Each shape function takes the value tree and a ``Context`` and returns ``None`` when the file does
not look like that shape, or the list of ``Field``s to lint. A file that claims a shape by its
wrapper key (``{"macros": ...}``) but breaks it raises ``ShapeError`` pointing at the bad value.
Field paths and placeholder syntaxes are documented in FORMATS.md.
"""
from __future__ import annotations

from pathlib import PurePath
from typing import Any, Callable, NamedTuple, Optional

from macrolint.readers.tree import (
    Field,
    ShapeError,
    Val,
    get,
    is_text,
    objects,
    scalar,
    text,
)


class Context(NamedTuple):
    """What a shape reader may need besides the tree."""

    path: str = ""
    #: Lint Zendesk internal notes (``comment_mode_is_public`` false) too.
    internal_notes: bool = False

    @property
    def stem(self) -> str:
        name = PurePath(self.path).name
        for suffix in (".yaml", ".yml", ".json", ".csv", ".tsv"):
            if name.lower().endswith(suffix):
                return name[: -len(suffix)]
        return name


class Shape(NamedTuple):
    name: str
    platform: Optional[str]
    read: Callable[[Any, Context], Optional[list[Field]]]


#: Wrapper keys distinctive enough that a wrong value under them is a broken export, not some
#: other kind of file.
_DISTINCT = frozenset(("macros", "canned_responses", "articles", "saved-replies", "savedReplies"))


def collection(tree: Any, plural: tuple[str, ...] = (), singular: tuple[str, ...] = ()) -> Optional[tuple[list, bool]]:
    """The records of a file and whether a wrapper key claimed them: the list under a wrapper key,
    or the file itself as a list or as a single record."""
    if isinstance(tree, dict):
        for key in plural:
            if key in tree:
                value = tree[key]
                if isinstance(value, list):
                    return list(value), True
                if key in _DISTINCT:
                    raise ShapeError(f'"{key}" must be a list', value)
                return None
        for key in singular:
            if key in tree and isinstance(tree[key], dict):
                return [tree[key]], True
        return [tree], False
    if isinstance(tree, list):
        return list(tree), False
    return None


def _all(records: list, test: Callable[[Any], bool]) -> bool:
    return bool(records) and all(isinstance(r, dict) and test(r) for r in records)


def _claims(records: list, claimed: bool, test: Callable[[Any], bool]) -> bool:
    """Every record looks right, or the file has the shape's wrapper key and some record does
    (then the others are checked strictly)."""
    if _all(records, test):
        return True
    return claimed and any(isinstance(r, dict) and test(r) for r in records)


def _check_objects(records: list, what: str) -> None:
    for i, r in enumerate(records):
        if not isinstance(r, dict):
            raise ShapeError(f"{what} #{i + 1} must be an object", r)


def _field(node: Any, name: str, markup: str, rid: Optional[str], title: Optional[str]) -> list[Field]:
    return [Field(node, name, markup, rid, title)] if is_text(node) else []


#: The usage counts each help desk's export may carry on a record, most telling first: Zendesk's
#: macro sideloads (``?include=usage_30d``), Gorgias's ``usage``, a Help Scout saved-reply count.
ZENDESK_USAGE = ("usage_30d", "usage_7d", "usage_24h", "usage_1h")
GORGIAS_USAGE = ("usage",)
HELPSCOUT_USAGE = ("usage", "usageCount", "count")


def usage(record: dict, keys: tuple[str, ...]) -> tuple[tuple[str, float], ...]:
    """``(key, count)`` for each of ``keys`` the record holds as a number of 0 or more (a JSON
    number, or a CSV cell or YAML scalar that reads as one); anything else is left out."""
    out = []
    for key in keys:
        value = scalar(record.get(key))
        if value is None:
            continue
        try:
            number = float(value.replace(",", "")) if len(value) < 40 else -1.0
        except ValueError:
            continue
        if 0 <= number < float("inf"):
            out.append((key, int(number) if number.is_integer() else number))
    return tuple(out)


def _with_meta(fields: list[Field], meta: tuple) -> list[Field]:
    return [f._replace(item_meta=meta) for f in fields] if meta else fields


def _title_fields(record: dict, key: str, rid: Optional[str]) -> list[Field]:
    node = record.get(key)
    return _field(node, "title" if key != "name" else "name", "text", rid, text(node))


# -- Zendesk Support ------------------------------------------------------------------------------


def _is_zendesk_macro(r: dict) -> bool:
    acts = r.get("actions")
    return isinstance(acts, list) and any(isinstance(a, dict) and "field" in a for a in acts)


def _last_text(node: Any) -> Any:
    """An action value may be a list (``["channel:all", "text"]``): its last string counts."""
    if isinstance(node, list):
        strings = [v for v in node if isinstance(v, Val) and isinstance(text(v), str)]
        return strings[-1] if strings else None
    return node


def zendesk_macros(tree: Any, ctx: Context) -> Optional[list[Field]]:
    found = collection(tree, ("macros",), ("macro",))
    if found is None:
        return None
    records, claimed = found
    if not _claims(records, claimed, _is_zendesk_macro):
        return None
    _check_objects(records, "macro")
    out: list[Field] = []
    for m in records:
        acts = m.get("actions")
        if not isinstance(acts, list):
            raise ShapeError('a macro needs an "actions" list', acts if acts is not None else m)
        rid, title = scalar(m.get("id")), text(m.get("title"))
        mine = _field(m.get("title"), "title", "text", rid, title)
        by_field: dict[str, list] = {}
        for a in objects(acts):
            name = text(a.get("field"))
            if name:
                by_field.setdefault(name, []).append(_last_text(a.get("value")))
        public = [text(v) for v in by_field.get("comment_mode_is_public", [])]
        internal = any(v is not None and v.strip().lower() == "false" for v in public) or any(
            isinstance(a.get("value"), Val) and a["value"].value is False
            for a in objects(acts) if text(a.get("field")) == "comment_mode_is_public")
        if not internal or ctx.internal_notes:
            # Both variants hold the same comment: lint the HTML one when there is one.
            if by_field.get("comment_value_html"):
                for v in by_field["comment_value_html"]:
                    mine += _field(v, "comment_value_html", "html", rid, title)
            else:
                for v in by_field.get("comment_value", []):
                    mine += _field(v, "comment_value", "markdown", rid, title)
        for v in by_field.get("subject", []):
            mine += _field(v, "subject", "text", rid, title)
        out += _with_meta(mine, usage(m, ZENDESK_USAGE))
    return out


# -- Zendesk Guide --------------------------------------------------------------------------------

_ARTICLE_SIGNS = ("locale", "html_url", "section_id", "source_locale", "author_id", "draft", "outdated",
                  "label_names", "source_id")


def _is_article(r: dict) -> bool:
    return "body" in r and "title" in r and any(k in r for k in _ARTICLE_SIGNS)


def guide_articles(tree: Any, ctx: Context) -> Optional[list[Field]]:
    found = collection(tree, ("articles", "translations"), ("article", "translation"))
    if found is None:
        return None
    records, claimed = found
    if not _claims(records, claimed, _is_article):
        return None
    _check_objects(records, "article")
    out: list[Field] = []
    for a in records:
        rid = scalar(a.get("source_id")) or scalar(a.get("id"))
        title = text(a.get("title"))
        out += _field(a.get("title"), "title", "text", rid, title)
        out += _field(a.get("body"), "body", "html", rid, title)
        for t in objects(a.get("translations")):
            ttitle = text(t.get("title")) or title
            out += _field(t.get("title"), "title", "text", rid, ttitle)
            out += _field(t.get("body"), "body", "html", rid, ttitle)
    return out


# -- Freshdesk, Help Scout, Intercom, Front ---------------------------------------------------------


def _is_freshdesk(r: dict) -> bool:
    return "title" in r and ("content_html" in r or ("content" in r and ("folder_id" in r or "visibility" in r)))


def freshdesk(tree: Any, ctx: Context) -> Optional[list[Field]]:
    found = collection(tree, ("canned_responses",), ("canned_response",))
    if found is None:
        return None
    records, claimed = found
    if not _claims(records, claimed, _is_freshdesk):
        return None
    _check_objects(records, "canned response")
    out: list[Field] = []
    for r in records:
        rid, title = scalar(r.get("id")), text(r.get("title"))
        out += _field(r.get("title"), "title", "text", rid, title)
        if is_text(r.get("content_html")):
            out += _field(r.get("content_html"), "content_html", "html", rid, title)
        else:
            out += _field(r.get("content"), "content", "text", rid, title)
    return out


def _is_helpscout(r: dict) -> bool:
    return "name" in r and ("chatText" in r or "mailboxId" in r or ("text" in r and "chatPreview" in r))


def helpscout(tree: Any, ctx: Context) -> Optional[list[Field]]:
    embedded = get(tree, "_embedded")
    if isinstance(embedded, dict):
        tree = embedded
    found = collection(tree, ("saved-replies", "savedReplies", "replies"), ())
    if found is None:
        return None
    records, claimed = found
    if not _claims(records, claimed, _is_helpscout):
        return None
    _check_objects(records, "saved reply")
    out: list[Field] = []
    for r in records:
        rid, title = scalar(r.get("id")), text(r.get("name"))
        mine = _field(r.get("name"), "name", "text", rid, title)
        # Email and chat variants are written separately; both reach customers.
        mine += _field(r.get("text"), "text", "html", rid, title)
        mine += _field(r.get("chatText"), "chatText", "text", rid, title)
        out += _with_meta(mine, usage(r, HELPSCOUT_USAGE))
    return out


def _is_intercom(r: dict) -> bool:
    return text(r.get("type")) == "macro" or ("body_text" in r and "body" in r and "name" in r)


def intercom(tree: Any, ctx: Context) -> Optional[list[Field]]:
    if isinstance(tree, dict) and text(tree.get("type")) == "list" and isinstance(tree.get("data"), list):
        tree = tree["data"]
    found = collection(tree)
    if found is None:
        return None
    records, _ = found
    if not _all(records, _is_intercom):
        return None
    out: list[Field] = []
    for r in records:
        rid, title = scalar(r.get("id")), text(r.get("name"))
        out += _field(r.get("name"), "name", "text", rid, title)
        if is_text(r.get("body")):
            out += _field(r.get("body"), "body", "html", rid, title)
        else:
            out += _field(r.get("body_text"), "body_text", "text", rid, title)
    return out


_FRONT_SIGNS = ("folder_id", "inbox_ids", "_links", "is_available_for_all_inboxes", "attachments")


def _is_front(r: dict) -> bool:
    return "name" in r and "body" in r and any(k in r for k in _FRONT_SIGNS)


def front(tree: Any, ctx: Context) -> Optional[list[Field]]:
    found = collection(tree, ("_results",), ())
    if found is None:
        return None
    records, claimed = found
    if not _claims(records, claimed, _is_front):
        return None
    _check_objects(records, "message template")
    out: list[Field] = []
    for r in records:
        rid, title = scalar(r.get("id")), text(r.get("name"))
        out += _field(r.get("name"), "name", "text", rid, title)
        out += _field(r.get("subject"), "subject", "text", rid, title)
        out += _field(r.get("body"), "body", "html", rid, title)
    return out


# -- Gorgias --------------------------------------------------------------------------------------


def _is_gorgias(r: dict) -> bool:
    acts = r.get("actions")
    return isinstance(acts, list) and any(text(a.get("name")) == "setResponseText" for a in objects(acts))


def gorgias(tree: Any, ctx: Context) -> Optional[list[Field]]:
    found = collection(tree, ("data",), ())
    if found is None:
        return None
    records, _ = found
    if not records or not any(isinstance(r, dict) and _is_gorgias(r) for r in records):
        return None
    _check_objects(records, "macro")
    out: list[Field] = []
    for m in records:
        rid, title = scalar(m.get("id")), text(m.get("name"))
        mine = _field(m.get("name"), "name", "text", rid, title)
        for a in objects(m.get("actions")):
            if text(a.get("name")) != "setResponseText":
                continue
            args = a.get("arguments")
            if not isinstance(args, dict):
                raise ShapeError('a setResponseText action needs "arguments"', args if args is not None else a)
            mine += _field(args.get("subject"), "subject", "text", rid, title)
            if is_text(args.get("body_html")):
                mine += _field(args.get("body_html"), "body_html", "html", rid, title)
            else:
                mine += _field(args.get("body_text"), "body_text", "text", rid, title)
        out += _with_meta(mine, usage(m, GORGIAS_USAGE))
    return out


# -- osTicket -------------------------------------------------------------------------------------

_OST_KEYS = {"notes", "subject", "body", "name", "message", "deptId", "topicId", "email", "source", "isenabled",
             "title", "response", "attachments", "lang", "code_name"}


def osticket(tree: Any, ctx: Context) -> Optional[list[Field]]:
    if isinstance(tree, list):  # premade.yaml: canned responses
        if not _all(tree, lambda r: "response" in r and "title" in r and set(r) <= _OST_KEYS):
            return None
        out: list[Field] = []
        for r in tree:
            title = text(r.get("title"))
            out += _field(r.get("title"), "title", "text", None, title)
            out += _field(r.get("response"), "response", "html", None, title)
        return out
    if not isinstance(tree, dict) or not set(tree) <= _OST_KEYS:
        return None
    body_key = "body" if "body" in tree else "message" if "message" in tree else None
    if body_key is None or not ({"notes", "subject"} & set(tree)):
        return None
    title = text(tree.get("subject")) or text(tree.get("name"))
    rid = ctx.stem or None
    out = _field(tree.get("subject"), "subject", "text", rid, title)
    out += _field(tree.get("name"), "name", "text", rid, title)
    out += _field(tree.get(body_key), body_key, "html", rid, title)
    return out


SHAPES: tuple[Shape, ...] = (
    Shape("zendesk-macros", "zendesk", zendesk_macros),
    Shape("gorgias-macros", "gorgias", gorgias),
    Shape("zendesk-guide-articles", "zendesk", guide_articles),
    Shape("freshdesk-canned-responses", "freshdesk", freshdesk),
    Shape("helpscout-saved-replies", "helpscout", helpscout),
    Shape("intercom-macros", "intercom", intercom),
    Shape("front-message-templates", "front", front),
    Shape("osticket-templates", "osticket", osticket),
)
