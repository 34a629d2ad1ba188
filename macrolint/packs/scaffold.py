"""``macrolint rules new``: a rule file written from a template into a pack, with the next free
code of its category's prefix.

The file is a draft (``status: draft``): it loads, so ``check`` keeps working, but no run ever
uses it, and ``rules test`` fails on it, listing each ``TODO`` left, until the author has filled
it in and removed the status.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, NamedTuple, Optional

from macrolint.packs import schema as S
from macrolint.packs.definitions import FOLDER
from macrolint.packs.yamlload import LineDict, YamlError, load

#: What marks a part of a new rule still to be written.
TODO = "TODO"

TEMPLATE = """\
# Written by `macrolint rules new`. Replace every TODO, run `macrolint rules test {pack}`
# until it passes, then remove `status: draft`. How to write each key: docs/rules.md.
id: {code}
name: {name}
category: {category}
status: draft       # never run by `macrolint check`; `rules test` fails while it is here
summary: 'TODO: one line, "Flags ..."'
why: |
  TODO: why customers mind this wording, and what works better.
message: '“{{match}}” TODO: what each finding says.'
match:
  - phrase: TODO the phrase to flag   # (a|b) alternatives, [optional] words, ... a gap of up to 3 words
    # replace: the rewrite            # with fix: safe | unsafe | suggest; give bad examples a fixed: text
suggest:
  - 'TODO: an ownership-style rewrite, e.g. “I''ve refunded the fee; it''s back on your card by Friday.”'
examples:
  - bad: 'TODO: a reply this rule must flag.'
    good: 'TODO: the same reply, rewritten.'
  - ok: 'TODO: a similar reply that must stay clean.'
"""


class ScaffoldError(Exception):
    """Why a rule cannot be written as asked."""


class Existing(NamedTuple):
    """A rule file of the pack, read only as far as naming it needs."""

    path: Path
    codes: tuple[str, ...]
    category: Optional[str]


def existing_rules(folder: Path) -> list[Existing]:
    """The rule files of the pack in ``folder``: their codes (id and aliases) and category, read
    without validating (a pack with a broken rule still gets new ones)."""
    out = []
    for path in sorted(folder.rglob("*.yaml")):
        rel = path.relative_to(folder).parts
        if path.name == "pack.yaml" or rel[0] == FOLDER:
            continue
        try:
            data = load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, YamlError):
            data = None
        if not isinstance(data, LineDict):
            out.append(Existing(path, (), None))
            continue
        aliases = data.get("aliases") or []
        codes = [c for c in [data.get("id"), *(aliases if isinstance(aliases, list) else [aliases])] if isinstance(c, str)]
        category = data.get("category") if isinstance(data.get("category"), str) else None
        out.append(Existing(path, tuple(codes), category))
    return out


def pack_settings(folder: Path) -> tuple[str, Optional[tuple[str, ...]], Optional[tuple[str, ...]]]:
    """The pack's name, prefixes and categories (None where pack.yaml declares none)."""
    meta_path = folder / "pack.yaml"
    if not meta_path.is_file():
        raise ScaffoldError(f"{folder}: not a pack folder (it has no pack.yaml)")
    try:
        meta = load(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YamlError) as exc:
        raise ScaffoldError(f"{meta_path}: cannot read it: {exc}") from None
    if not isinstance(meta, LineDict):
        raise ScaffoldError(f"{meta_path}: pack.yaml must be a mapping")

    def names(key: str) -> Optional[tuple[str, ...]]:
        value = meta.get(key)
        return tuple(str(v) for v in value) if isinstance(value, list) else None

    name = meta.get("pack") if isinstance(meta.get("pack"), str) else folder.name
    return name, names("prefixes"), names("categories")


def choose_prefix(category: str, prefixes: Optional[Iterable[str]], rules: list[Existing],
                  explicit: Optional[str] = None) -> str:
    """The code prefix for a new rule of ``category``: ``explicit``, else the one the category's
    rules use, else the pack's only prefix."""
    declared = tuple(prefixes) if prefixes is not None else None
    if explicit is not None:
        if not S.CODE_RE.match(f"{explicit}000"):
            raise ScaffoldError(f'--prefix "{explicit}" must be 2-4 capital letters, like BL')
        if declared is not None and explicit not in declared:
            raise ScaffoldError(f'--prefix "{explicit}" is not one of the pack prefixes {", ".join(declared)}')
        return explicit
    used = sorted({S.CODE_RE.match(c).group(1) for r in rules if r.category == category
                   for c in r.codes[:1] if S.CODE_RE.match(c)})
    if len(used) == 1:
        return used[0]
    if not used and declared is not None and len(declared) == 1:
        return declared[0]
    choices = ", ".join(used or declared or ())
    why = f'its rules use {choices}' if used else (f"the pack has {choices}" if choices else "the pack declares none")
    raise ScaffoldError(f'which code prefix for category "{category}"? {why}; pass --prefix')


def next_code(prefix: str, rules: list[Existing]) -> str:
    """One past the highest code of ``prefix`` in the pack, aliases included: a gap is never
    reused, since a removed rule's code may still be in someone's config or baseline."""
    numbers = [int(m.group(2)) for r in rules for c in r.codes
               if (m := S.CODE_RE.match(c)) is not None and m.group(1) == prefix]
    number = max(numbers, default=0) + 1
    if number > 999:
        raise ScaffoldError(f"prefix {prefix} has no code left after {prefix}999; pass another --prefix")
    return f"{prefix}{number:03d}"


def rule_folder(folder: Path, category: str, rules: list[Existing]) -> Path:
    """Where a new rule of ``category`` goes: beside the category's rules, else in a folder named
    after the category (unless the pack keeps all its rules at the top)."""
    homes = {r.path.parent for r in rules if r.category == category}
    if len(homes) == 1:
        return homes.pop()
    if rules and all(r.path.parent == folder for r in rules):
        return folder
    return folder / category


def new_rule(folder: Path, category: str, name: str, prefix: Optional[str] = None,
             shown_folder: Optional[str] = None) -> tuple[Path, str]:
    """Write a draft rule ``name`` of ``category`` into the pack in ``folder``; its path and
    code. Refuses (``ScaffoldError``) a name that is not kebab-case or is taken, a category the
    pack does not have, and an existing file."""
    folder = Path(folder)
    pack_name, prefixes, categories = pack_settings(folder)
    if not S.NAME_RE.match(name):
        raise ScaffoldError(f'rule name "{name}" must be kebab-case and name the wording it flags, like thing-says')
    if categories is not None and category not in categories:
        raise ScaffoldError(f'category "{category}" is not one of {", ".join(categories)}'
                            f'{S.did_you_mean(category, categories)}')
    if not S.NAME_RE.match(category):
        raise ScaffoldError(f'category "{category}" must be a lower-case word, like blame')
    rules = existing_rules(folder)
    taken = next((r.path for r in rules if r.path.stem == name), None)
    if taken is not None:
        raise ScaffoldError(f"{taken}: a rule named {name} already exists in pack {pack_name}")
    code = next_code(choose_prefix(category, prefixes, rules, prefix), rules)
    path = rule_folder(folder, category, rules) / f"{name}.yaml"
    text = TEMPLATE.format(code=code, name=name, category=category, pack=shown_folder or folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise ScaffoldError(f"{path}: already exists; not overwritten") from None
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    return path, code


def todo_lines(path: str) -> list[tuple[int, str]]:
    """The lines of a rule file that still hold a ``TODO`` (comments aside): what a draft lacks."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1)
            if TODO in line.split(" #")[0] and not line.lstrip().startswith("#")]
