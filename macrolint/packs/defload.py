"""Reading a pack's definitions (``pack.yaml``'s ``definitions:`` and the ``definitions/``
folder): every definition validated and resolved, each problem reported at its file and line.
The syntax is described in ``packs.definitions``."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Optional, Sequence

from macrolint.packs import schema as S
from macrolint.packs.definitions import (
    FOLDER,
    KEYS,
    KINDS,
    REF,
    SIDES,
    WORDS_RE,
    Definition,
    Definitions,
    entry_problem,
)
from macrolint.packs.yamlload import LineDict, line_of

#: Characters a word of a class may not hold: they are phrase operators.
_PHRASE_OPERATORS = re.compile(r"[()\[\]|]|\.\.\.|\u2026")


def read_definitions(sources: Sequence[tuple[str, object]], variants, problems: S.Problems) -> Definitions:
    """The definitions in ``sources`` (``(file, mapping)`` pairs in reading order: pack.yaml's
    ``definitions:`` first, then each file of the ``definitions/`` folder), validated and resolved.
    Every problem is added to ``problems`` as ``file:line: message``."""
    raw: dict[str, tuple[str, int, LineDict]] = {}
    defs = Definitions()
    for path, mapping in sources:
        if mapping is None:
            continue
        if not isinstance(mapping, LineDict):
            problems.add(path, getattr(mapping, "line", 0), "definitions must be a mapping of name to definition")
            continue
        for name, body in mapping.items():
            line = line_of(mapping, name)
            if not isinstance(name, str) or not S.NAME_RE.match(name):
                problems.add(path, line, f'definition name "{name}" must be kebab-case, like quoted-text')
                continue
            if name in raw:
                first = raw[name]
                problems.add(path, line, f'definition "{name}" is already defined at {first[0]}:{first[1]}')
                continue
            if not isinstance(body, LineDict):
                problems.add(path, line, f'definition "{name}" must be a mapping with kind, description and '
                                         'entries (or words)')
                defs.broken.add(name)
                continue
            raw[name] = (path, line, body)
    headers = {}
    for name, (path, line, body) in raw.items():
        header = _header(name, path, line, body, problems)
        if header is None:
            defs.broken.add(name)
        else:
            headers[name] = header
    for name, (kind, description, side, written) in headers.items():
        if kind == "words":
            path, line, body = raw[name]
            words = _words(name, written, path, body, problems)
            if words is None:
                defs.broken.add(name)
                continue
            defs.items[name] = Definition(name, kind, description, path, line, None, written, words)
    _Resolver(defs, raw, headers, variants, problems).run()
    _report_twins(defs, problems)
    return defs


def _header(name: str, path: str, line: int, body: LineDict, problems: S.Problems):
    """``(kind, description, side, written)`` of a definition, or None after adding its problems."""
    S.check_keys(body, KEYS, path, f'definition "{name}"', problems)

    def at(key: str) -> int:  # the key's line, else the name's
        return body.key_lines.get(key, line)

    kind = body.get("kind")
    if kind not in KINDS:
        problems.add(path, at("kind"),
                     f'definition "{name}": "kind" must be one of {", ".join(KINDS)}, not {kind!r}'
                     f'{S.did_you_mean(str(kind), KINDS)}')
        return None
    description = body.get("description")
    if not isinstance(description, str) or not description.strip():
        problems.add(path, at("description"),
                     f'definition "{name}" needs a "description": one line saying what it stands for')
        return None
    side = body.get("side")
    if kind == "guard" and side not in SIDES:
        problems.add(path, at("side"),
                     f'guard "{name}" needs "side: before" (for unless_before) or "side: after" (for unless_after)')
        return None
    if kind != "guard" and side is not None:
        problems.add(path, at("side"), f'"side" goes with kind guard, not {kind}')
        return None
    want, other = ("words", "entries") if kind == "words" else ("entries", "words")
    if other in body:
        problems.add(path, at(other), f'definition "{name}" of kind {kind} lists "{want}", not "{other}"')
        return None
    if want not in body and any(S.did_you_mean(str(k), [want]) for k in body if k not in KEYS):
        return None  # the misspelt key is reported
    written = S.string_list(body, want, path, problems)
    if not written:
        problems.add(path, at(want), f'definition "{name}" needs "{want}": a list of strings')
        return None
    return kind, " ".join(description.split()), side, tuple(written)


def _words(name: str, words: Sequence[str], path: str, body: LineDict, problems: S.Problems) -> Optional[tuple[str, ...]]:
    ok = True
    seen: set[str] = set()
    for i, word in enumerate(words):
        line = line_of(body.get("words"), i, line_of(body, "words"))
        problem = None
        if not word.strip() or word != word.strip():
            problem = "is empty or has spaces around it"
        elif word != word.lower():
            problem = "must be lower case (rules match lower-cased text)"
        elif _PHRASE_OPERATORS.search(word) or WORDS_RE.search(word):
            problem = "may not hold phrase operators ( ) [ ] | ... or a word class"
        elif word in seen:
            problem = "is listed twice"
        if problem:
            problems.add(path, line, f'word class "{name}": "{word}" {problem}')
            ok = False
        seen.add(word)
    return tuple(words) if ok else None


class _Resolver:
    """Resolves every context and guard: references followed (cycles reported), word classes
    written out, each regex and phrase checked once, at the definition's own line."""

    def __init__(self, defs: Definitions, raw, headers, variants, problems: S.Problems) -> None:
        self.defs, self.raw, self.headers = defs, raw, headers
        self.variants, self.problems = variants, problems
        self.stack: list[str] = []
        self.cycles: set[frozenset] = set()

    def run(self) -> None:
        for name, (kind, *_rest) in self.headers.items():
            if kind != "words":
                self.resolve(name)

    def resolve(self, name: str) -> Optional[tuple[str, ...]]:
        done = self.defs.items.get(name)
        if done is not None:
            return done.entries
        if name in self.defs.broken:
            return None
        kind, description, side, written = self.headers[name]
        path, line, body = self.raw[name]
        self.stack.append(name)
        entries: list[str] = []
        ok = True
        for i, text in enumerate(written):
            at = line_of(body.get("entries"), i, line_of(body, "entries"))
            got = self._entry(name, kind, side, text, path, at)
            if got is None:
                ok = False
            else:
                entries.extend(got)
        self.stack.pop()
        if not ok:
            self.defs.broken.add(name)
            return None
        self.defs.items[name] = Definition(name, kind, description, path, line, side, written, tuple(entries))
        return self.defs.items[name].entries

    def _entry(self, name: str, kind: str, side: Optional[str], text: str, path: str, line: int):
        where = f'definition "{name}"'
        if text.startswith(REF):
            ref = text[len(REF):].strip()
            if ref in self.stack:
                loop = [name] + self.stack[self.stack.index(ref):]  # name -> ref -> ... -> name
                key = frozenset(loop)
                if key not in self.cycles:
                    self.cycles.add(key)
                    self.problems.add(path, line, f"{where} refers to itself: {' -> '.join(loop)}")
                return None
            if ref not in self.headers:
                if ref not in self.defs.broken:
                    self.problems.add(path, line, f'{where}: unknown definition "{ref}"'
                                                  f'{S.did_you_mean(ref, [n for n, h in self.headers.items() if h[0] != "words"])}')
                return None
            ref_kind, _, ref_side, _ = self.headers[ref]
            if ref_kind == "words":
                self.problems.add(path, line, f"{where}: {REF}{ref} is a word class; write it inside a phrase or regex "
                                              f"as \\L<{ref}>")
                return None
            if ref_kind == "guard" and (kind != "guard" or ref_side != side):
                self.problems.add(path, line, f"{where}: {REF}{ref} is a guard ({ref_side}); only a guard of the "
                                              "same side may include it")
                return None
            return self.resolve(ref)
        expanded = self.defs.expand_words(text, text.startswith("re:"), path, line, where, self.problems)
        if expanded is None:
            return None
        problem = entry_problem(expanded, self.variants)
        if problem:
            self.problems.add(path, line, f"{where}: {problem}")
            return None
        return (expanded,)


def _report_twins(defs: Definitions, problems: S.Problems) -> None:
    """Two definitions that stand for the same thing: one of them should go."""
    first: dict[tuple, Definition] = {}
    for d in defs.items.values():
        key = (d.kind == "words", d.entries)
        if key in first:
            other = first[key]
            problems.add(d.path, d.line, f'definition "{d.name}" stands for the same as "{other.name}" '
                                         f"({other.where}); keep one")
        else:
            first[key] = d


def definition_files(folder: Path) -> list[Path]:
    """The YAML files of a pack's ``definitions/`` folder, in reading order."""
    base = Path(folder) / FOLDER
    if not base.is_dir():
        return []
    return sorted(p for p in base.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml"))
