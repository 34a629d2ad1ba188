"""How a run reads text: the audience, the scopes linted, and the team's vocabulary (config keys
``audience``, ``extend-scopes``, ``ignore-scopes``, ``[vocabulary]`` and ``[paths."<glob>"]``)."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NamedTuple, Optional

from macrolint.model import Applicability, Severity
from macrolint.packs.model import MatchEntry, Rule
from macrolint.packs.regexlits import required_literals
from macrolint.packs.schema import AUDIENCES, did_you_mean
from macrolint.text.scopes import SCOPES

READING_KEYS = {
    "audience": "who the text is for: customers (default) or technical (turns technical-term rules off)",
    "extend-scopes": f"scopes every rule also reads: {', '.join(SCOPES)}",
    "ignore-scopes": "scopes no rule reads",
    "vocabulary": "team terms: {accept = [...], reject = [...], accept-files, reject-files, message}",
    "articles": "the files hold help-centre articles (block quotes are the author's callouts, titles are headings)",
    "notices": "the files hold automatic notices (transactional e-mails, auto-replies): rules for replies only are off",
    "paths": "settings per path glob: [paths.\"docs/api/**\"] audience, articles, notices, extend-scopes, ignore-scopes",
    "words": "words added to the packs' word classes: {customer-noun = [\"guest member\"], policy-kind = [...]}",
}
VOCABULARY_KEYS = ("accept", "reject", "accept-files", "reject-files", "message")
PATH_KEYS = ("audience", "articles", "notices", "extend-scopes", "ignore-scopes")
DEFAULT_REJECT_MESSAGE = "“{match}” is a term the team avoids with customers; say what it means."


class ReadingError(Exception):
    """A bad reading setting; the message names the file and line."""


class Reading(NamedTuple):
    """The audience and scope changes for one path."""

    audience: str = "customers"
    extend_scopes: tuple[str, ...] = ()
    ignore_scopes: tuple[str, ...] = ()
    #: The files hold help-centre articles, whatever their format says (Markdown without front
    #: matter, a docs site): a block quote is the author's callout, a title a heading.
    articles: bool = False
    #: The files hold automatic notices: messages software sends (an order confirmation, a
    #: password reset, a help desk's auto-reply), not replies an agent writes.
    notices: bool = False

    def kind(self, articles: bool = False) -> str:
        """The kind of text (``text.scopes.KINDS``) a file read with these settings holds;
        ``articles``: its reader found help-centre articles in it."""
        return "articles" if articles or self.articles else "notices" if self.notices else "replies"

    def scopes_for(self, declared: tuple[str, ...]) -> frozenset:
        """The scopes a rule that declares ``declared`` reads under these settings."""
        return (frozenset(declared) | frozenset(self.extend_scopes)) - frozenset(self.ignore_scopes)


class Vocabulary(NamedTuple):
    """Terms a team accepts (never flagged by a tone rule) and rejects (flagged as jargon)."""

    accept: tuple[str, ...] = ()
    reject: tuple[str, ...] = ()
    message: str = DEFAULT_REJECT_MESSAGE
    #: The term files, as the config names them (relative to it): not linted themselves.
    files: tuple[str, ...] = ()


def line_of_key(text: str, key: str) -> int:
    """The line where ``key`` is set in a config's text (0 when it is not found); the key may be
    quoted either way TOML allows."""
    m = re.search(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=", text, re.M) if text else None
    return text.count("\n", 0, m.start()) + 1 if m else 0


def _at(where: str, text: str, key: str) -> str:
    line = line_of_key(text, key)
    return f"{where}:{line}" if line else where


def _names(value: Any, key: str, valid: tuple[str, ...], at: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ReadingError(f'{at}: "{key}" must be a list of strings')
    for v in value:
        if v not in valid:
            raise ReadingError(f'{at}: unknown {key.split("-")[-1].rstrip("s")} "{v}"{did_you_mean(v, valid)}; '
                               f'valid names: {", ".join(valid)}')
    return tuple(value)


def _flag(value: Any, key: str, at: str) -> bool:
    if not isinstance(value, bool):
        raise ReadingError(f'{at}: "{key}" must be true or false')
    return value


def _audience(value: Any, at: str) -> str:
    if value not in AUDIENCES:
        raise ReadingError(f'{at}: unknown audience {value!r}{did_you_mean(str(value), AUDIENCES)}; '
                           f'valid names: {", ".join(AUDIENCES)}')
    return value


def reading(values: dict, where: str, text: str) -> Reading:
    """The top-level ``audience`` and scope changes."""
    return Reading(
        audience=_audience(values["audience"], _at(where, text, "audience")) if "audience" in values else "customers",
        extend_scopes=_names(values.get("extend-scopes", []), "extend-scopes", SCOPES, _at(where, text, "extend-scopes")),
        ignore_scopes=_names(values.get("ignore-scopes", []), "ignore-scopes", SCOPES, _at(where, text, "ignore-scopes")),
        articles=_flag(values["articles"], "articles", _at(where, text, "articles")) if "articles" in values else False,
        notices=_flag(values["notices"], "notices", _at(where, text, "notices")) if "notices" in values else False,
    )


def path_readings(value: Any, base: Reading, where: str, text: str) -> tuple[tuple[str, Reading], ...]:
    """``[paths."<glob>"]`` tables: each glob's settings, on top of the top-level ones."""
    at = _at(where, text, "paths")
    if not isinstance(value, dict):
        raise ReadingError(f'{at}: "paths" must be a table of glob = {{audience, extend-scopes, ignore-scopes}}')
    out = []
    for glob, settings in value.items():
        here = _at(where, text, glob) if line_of_key(text, glob) else at
        if not isinstance(settings, dict):
            raise ReadingError(f'{here}: paths."{glob}" must be a table')
        for k in settings:
            key = str(k).replace("_", "-")
            if key not in PATH_KEYS:
                raise ReadingError(f'{_at(where, text, str(k))}: unknown key "{k}" in paths."{glob}"'
                                   f'{did_you_mean(key, PATH_KEYS)}; valid keys: {", ".join(PATH_KEYS)}')
        s = {str(k).replace("_", "-"): v for k, v in settings.items()}
        out.append((glob, Reading(
            audience=_audience(s["audience"], _at(where, text, "audience")) if "audience" in s else base.audience,
            extend_scopes=base.extend_scopes + _names(s.get("extend-scopes", []), "extend-scopes", SCOPES,
                                                      _at(where, text, "extend-scopes")),
            ignore_scopes=base.ignore_scopes + _names(s.get("ignore-scopes", []), "ignore-scopes", SCOPES,
                                                      _at(where, text, "ignore-scopes")),
            articles=_flag(s["articles"], "articles", _at(where, text, "articles")) if "articles" in s else base.articles,
            notices=_flag(s["notices"], "notices", _at(where, text, "notices")) if "notices" in s else base.notices,
        )))
    return tuple(out)


def word_additions(value: Any, where: str, text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``[words]``: words a team adds to the packs' word classes, by class name (checked against
    the packs when they load)."""
    at = _at(where, text, "words")
    if not isinstance(value, dict):
        raise ReadingError(f'{at}: "words" must be a table of word class = [words]')
    out = []
    for name, listed in value.items():
        if isinstance(listed, str):
            listed = [listed]
        if not isinstance(listed, list) or not listed or not all(isinstance(w, str) and w.strip() for w in listed):
            raise ReadingError(f'{_at(where, text, str(name))}: words "{name}" must be a list of words or phrases')
        out.append((str(name), tuple(" ".join(w.lower().split()) for w in listed)))
    return tuple(out)


def vocabulary(value: Any, root: Optional[Path], where: str, text: str) -> Vocabulary:
    """``[vocabulary]``: terms listed in config and in files (one term a line, ``#`` comments),
    file paths relative to the config file."""
    at = _at(where, text, "vocabulary")
    if not isinstance(value, dict):
        raise ReadingError(f'{at}: "vocabulary" must be a table with accept, reject, accept-files, reject-files')
    value = {str(k).replace("_", "-"): v for k, v in value.items()}
    for k in value:
        if k not in VOCABULARY_KEYS:
            raise ReadingError(f'{_at(where, text, k)}: unknown key "{k}" in vocabulary{did_you_mean(k, VOCABULARY_KEYS)}; '
                               f'valid keys: {", ".join(VOCABULARY_KEYS)}')
    terms: dict[str, list[str]] = {}
    read_files: list[str] = []
    for kind in ("accept", "reject"):
        listed = value.get(kind, [])
        if isinstance(listed, str):
            listed = [listed]
        if not isinstance(listed, list) or not all(isinstance(t, str) and t.strip() for t in listed):
            raise ReadingError(f'{_at(where, text, kind)}: vocabulary "{kind}" must be a list of terms')
        found = [t.strip() for t in listed]
        files = value.get(f"{kind}-files", [])
        if isinstance(files, str):
            files = [files]
        if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            raise ReadingError(f'{_at(where, text, kind + "-files")}: vocabulary "{kind}-files" must be a list of paths')
        for name in files:
            found += _read_terms(name, root, _at(where, text, kind + "-files"))
            read_files.append(name)
        terms[kind] = found
    message = value.get("message", DEFAULT_REJECT_MESSAGE)
    if not isinstance(message, str) or not message.strip():
        raise ReadingError(f'{_at(where, text, "message")}: vocabulary "message" must be a non-empty string')
    return Vocabulary(tuple(dict.fromkeys(terms["accept"])), tuple(dict.fromkeys(terms["reject"])), message.strip(),
                      tuple(read_files))


#: A vocabulary file over this is refused (a list of terms never comes near it).
MAX_TERMS_BYTES = 1024 * 1024


def _read_terms(name: str, root: Optional[Path], at: str) -> list[str]:
    path = Path(name) if root is None else root / name
    try:
        if path.stat().st_size > MAX_TERMS_BYTES:
            raise ReadingError(f"{at}: vocabulary file {path} is over {MAX_TERMS_BYTES // 1024} KB; not read")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReadingError(f"{at}: vocabulary file {path} does not exist") from None
    except OSError as exc:
        raise ReadingError(f"{at}: cannot read vocabulary file {path}: {exc.strerror or exc}") from None
    try:
        lines = data.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ReadingError(f"{path}:{line}: vocabulary file is not UTF-8 text") from None
    out = []
    for n, line in enumerate(lines, 1):
        term = line.split("#", 1)[0].strip() if not line.lstrip().startswith("\\#") else line.strip()[1:]
        if not term:
            continue
        if len(term) > 200:
            raise ReadingError(f"{path}:{n}: a term is at most 200 characters")
        out.append(term)
    return out


#: The rule that flags a team's rejected terms (select or ignore it like any other).
VOCABULARY_CODE = "VOC001"


def vocabulary_rule(vocab: Vocabulary, where: str = "config") -> Optional[Rule]:
    """A jargon rule matching each rejected term as a whole word (any case), with the team's message."""
    if not vocab.reject:
        return None
    import regex  # only a config with rejected terms needs it

    entries = []
    for term in vocab.reject:
        words = r"\s+".join(regex.escape(w, special_only=True) for w in term.lower().split())
        pattern = r"(?<![\w-])" + words + r"(?![\w-])"
        entries.append(MatchEntry(None, pattern, None, Applicability.SUGGEST, False, required_literals(pattern)))
    message = vocab.message.replace("{term}", "{match}")
    return Rule(
        code=VOCABULARY_CODE, name="team-rejected-term", pack="vocabulary", category="jargon",
        severity=Severity.WARNING, status="stable", summary="A term the team's vocabulary rejects.",
        why="The team listed it under vocabulary.reject in its config.", message=message,
        matches=tuple(entries), suggest=(), examples=(), path=where)
