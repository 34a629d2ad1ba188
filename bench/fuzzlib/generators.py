"""The families of fuzz cases. Each is a function ``(seed, budget) -> list[Case]``, deterministic
for its arguments; a case's randomness comes from ``rng(seed, family, index)``, so case ``i`` of a
family is the same whatever the budget, and the ``short`` budget's random cases are the first of
the ``long`` budget's for the same seed.

Budgets: ``core`` (a few cases of every family: the test suite's), ``short`` (a few hundred,
fixed seed), ``long`` (thousands). Families:

* ``mutations``: every fixture (``fixtures/``, without the ``.expected``/``.fixed``/``.diff``
  companions) with bit flips, inserted or deleted bytes, truncation, a duplicated slice, a splice
  with another fixture, swapped quotes or brackets, or a huge run of one character;
* ``encodings``: small replies in every format as UTF-16/32 with and without BOM, UTF-8 with BOM,
  Latin-1, CP1252, broken UTF-8, NUL bytes, CR/CRLF/LS/PS line ends, lone surrogate escapes;
* ``structure``: deep nesting, huge numbers and strings, long words and many lines, recursive
  YAML aliases and alias bombs, duplicate keys, unclosed HTML, thousands of suppressions;
* ``special``: FIFOs, sockets, symlinks to devices and loops, folders named like files,
  unreadable files (POSIX only);
* ``cache``: a filled cache, then corrupted: flipped bits, truncation, junk, folders and FIFOs
  in place of entries, and malicious pickles that would create a marker file;
* ``packs``: a pack named by config that is invalid YAML, deep, self-referencing, of wrong types,
  or has backtracking patterns and huge phrase lists;
* ``config``: ``.macrolint.toml``/``pyproject.toml`` deep, of wrong types, huge, or not a file;
* ``cli``: standard input closed or hostile, ``-j 1000``, file names that are not UTF-8 in every
  output format, baselines that cannot be written or hold wrong types.
"""
from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path
from typing import Callable, Optional

from .cases import EITHER, LINT, REFUSE, Case, Fifo, Folder, Link, Socket

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"
#: Companions of a fixture (expected output, fixed text), not inputs.
COMPANIONS = (".expected", ".fixed", ".diff", ".unsafe-fixed")
#: Extensions macrolint reads (see ``macrolint.readers.EXTENSIONS``), and config files.
READ_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".mdown", ".html", ".htm", ".xhtml", ".tag",
                 ".json", ".yaml", ".yml", ".csv", ".tsv", ".toml")
BUDGETS = ("core", "short", "long")
PHRASE = "The system says your refund was sent."
#: Timeout caps, in seconds: for cases that finish at once or hang (a FIFO, a device), and for
#: hostile structure (a healthy run takes a second or two).
QUICK = 5
SLOW = 30
#: A cache entry that is a FIFO: the run must not wait on it, but it does rebuild the built-in
#: packs (4.5 s uncached on a busy 2-core machine), so a hang shows past this, not past QUICK.
REBUILD = 15


def rng(seed: int, family: str, index: object) -> random.Random:
    """The random source of one case: a string seed hashes the same on every run and platform."""
    return random.Random(f"{seed}:{family}:{index}")


def fixture_files() -> list[tuple[str, bytes]]:
    """``(path relative to fixtures/, bytes)`` of every input fixture, sorted."""
    out = []
    for path in sorted(FIXTURES.rglob("*")):
        rel = path.relative_to(FIXTURES)
        if rel.parts[0] == "eval" and len(rel.parts) > 2:
            continue  # the evaluation sets: large YAML lists, already represented by eval/tune.yaml
        if path.is_file() and not path.name.endswith(COMPANIONS) and path.suffix.lower() in READ_SUFFIXES:
            out.append((path.relative_to(FIXTURES).as_posix(), path.read_bytes()))
    return out


def fixtures_with_findings() -> list[tuple[str, bytes]]:
    """The fixtures known to hold findings on their own (no config needed): those with a
    ``.fixed`` companion, outside ``generic/``."""
    return [(rel, data) for rel, data in fixture_files()
            if (FIXTURES / (rel + ".fixed")).exists() and not rel.startswith("generic/")]


# --- base replies: one small file per format, each with one finding (BL001) --------------------

BASES: dict[str, str] = {
    "reply.txt": f"Hi Sam,\n\n{PHRASE}\n\nBest,\nAlex\n",
    "article.md": f"# Refunds\n\n{PHRASE}\n\n- Check your bank.\n",
    "reply.html": f"<p>Hi Sam,</p>\n<p>{PHRASE}</p>\n",
    "reply.tag": f"title: Refund\n---\n{PHRASE}\n",
    "macros.json": ('{"macros": [{"id": 1, "title": "Refund", "actions": '
                    f'[{{"field": "comment_value", "value": "{PHRASE}"}}]}}]}}\n'),
    "replies.yml": f"replies:\n  - name: Refund\n    body: {PHRASE}\n",
    "saved_replies.csv": f'"id","name","text"\n"1","Refund","{PHRASE}"\n',
}


def _accented(text: str) -> str:
    return text.replace("refund", "reembolsó").replace("was sent", "was “sent”")


def _insert_after(data: bytes, needle: bytes, extra: bytes) -> bytes:
    i = data.find(needle)
    return data if i < 0 else data[:i + len(needle)] + extra + data[i + len(needle):]


def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


def _lines(text: str, sep: str) -> bytes:
    return text.replace("\n", sep).encode("utf-8")


def _mixed_eol(text: str) -> bytes:
    parts = text.split("\n")
    seps = ["\n", "\r\n", "\r"]
    return "".join(p + (seps[i % 3] if i < len(parts) - 1 else "") for i, p in enumerate(parts)).encode("utf-8")


def _broken(seq: bytes) -> Callable[[str], bytes]:
    return lambda text: _insert_after(_accented(text).encode("utf-8"), b"reembols", seq)


#: name -> text -> bytes. Every one keeps the phrase readable or makes the file undecodable, so
#: the file must get either its finding or an input diagnostic.
TRANSFORMS: dict[str, Callable[[str], bytes]] = {
    "utf8": _utf8,
    "utf8-bom": lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
    "utf8-bom-twice": lambda t: b"\xef\xbb\xbf\xef\xbb\xbf" + t.encode("utf-8"),
    "utf16-le-bom": lambda t: b"\xff\xfe" + t.encode("utf-16-le"),
    "utf16-be-bom": lambda t: b"\xfe\xff" + t.encode("utf-16-be"),
    "utf16-le": lambda t: t.encode("utf-16-le"),
    "utf16-be": lambda t: t.encode("utf-16-be"),
    "utf16-odd-length": lambda t: b"\xff\xfe" + t.encode("utf-16-le") + b"A",
    "utf16-lone-surrogate": lambda t: b"\xff\xfe" + _insert_after(t.encode("utf-16-le"), "refund".encode("utf-16-le"), b"\x00\xd8"),
    "utf16-bom-then-utf8": lambda t: b"\xfe\xff" + t.encode("utf-8"),
    "utf32-le-bom": lambda t: b"\xff\xfe\x00\x00" + t.encode("utf-32-le"),
    "utf32-be-bom": lambda t: b"\x00\x00\xfe\xff" + t.encode("utf-32-be"),
    "utf32-le": lambda t: t.encode("utf-32-le"),
    "utf32-be": lambda t: t.encode("utf-32-be"),
    "latin1": lambda t: _accented(t).replace("“", '"').replace("”", '"').encode("latin-1", "replace"),
    "cp1252": lambda t: _accented(t).encode("cp1252", "replace"),
    "utf8-overlong-2": _broken(b"\xc0\xaf"),
    "utf8-overlong-3": _broken(b"\xe0\x80\xaf"),
    "utf8-lone-continuation": _broken(b"\x80"),
    "utf8-truncated-middle": _broken(b"\xe2\x80"),
    "utf8-truncated-end": lambda t: t.encode("utf-8") + b"\xe2\x80",
    "utf8-surrogate": _broken(b"\xed\xa0\x80"),
    "utf8-above-max": _broken(b"\xf4\x90\x80\x80"),
    "utf8-five-bytes": _broken(b"\xf8\x88\x80\x80\x80"),
    "utf8-ff": _broken(b"\xff"),
    "nul-start": lambda t: b"\x00" + t.encode("utf-8"),
    "nul-middle": lambda t: _insert_after(t.encode("utf-8"), b"refund", b"\x00"),
    "nul-after-8k": lambda t: t.encode("utf-8") + b"\n" * 9000 + b"\x00\n",
    "eol-cr": lambda t: _lines(t, "\r"),
    "eol-crlf": lambda t: _lines(t, "\r\n"),
    "eol-mixed": _mixed_eol,
    "eol-ls": lambda t: _lines(t, "\u2028"),
    "eol-ps": lambda t: _lines(t, "\u2029"),
    "eol-nel": lambda t: _lines(t, "\x85"),
    "eol-vt-ff": lambda t: t.replace("\n\n", "\n\x0b\x0c\n").encode("utf-8"),
    "zero-width-and-bidi": lambda t: t.replace("\n", "\u200b\u200d\u202e\n", 1).encode("utf-8"),
}

#: Escapes of lone surrogates, inside JSON strings and YAML double-quoted scalars.
SURROGATES = {
    "surrogate-high": "\\ud800",
    "surrogate-low": "\\udc00",
    "surrogate-reversed": "\\udc00\\ud800",
    "surrogate-high-at-end": "\\ud83d",
    "surrogate-twice": "\\ud800\\ud800",
}


def _surrogate_doc(name: str, esc: str) -> Optional[bytes]:
    if name == "macros.json":
        return ('{"macros": [{"id": 1, "title": "Refund ' + esc + '", "actions": [{"field": "comment_value", '
                '"value": "' + PHRASE + ' ' + esc + '"}], "' + esc + '": 1}]}\n').encode("utf-8")
    if name == "replies.yml":
        return f'replies:\n  - name: "Refund {esc}"\n    body: "{PHRASE} {esc}"\n'.encode("utf-8")
    return None


# --- mutations ------------------------------------------------------------------------------

INTERESTING = [
    b'"', b"'", b"\\", b"{", b"}", b"[", b"]", b":", b",", b"\n", b"\r", b"\t", b"\x00", b"\xff", b"\xc3",
    b"\xe2\x80", b"<", b">", b"&", b"#", b"-", b"---\n", b"<!--", b"-->", b"{{", b"}}", b"{%", b"%}", b"*",
    b"&a ", b"*a", b"!!", b"|", b">-", b"\\u", b"\\ud800", b"1e400", b"9" * 4400, b"<![CDATA[", b"```",
    b"# macrolint: ignore", b"<!-- macrolint-disable -->", b"\xef\xbb\xbf", "\u2028".encode(), b"&#x110000;",
    b"? ", b"- ", b"%{", b"${", b"<attribute/>", b"\\", b"\x1a", b"\xef\xbf\xbc",
]
SWAPS = [(b'"', b"'"), (b"[", b"{"), (b"]", b"}"), (b"<", b">"), (b"(", b")"), (b"\n", b"\r"), (b":", b"="),
         (b" ", b"\t"), (b"{", b"}"), (b"-", b"*")]
RUN_CHARS = [b"{", b"[", b"(", b"<", b"-", b" ", b"\n", b"a", b">", b"#", b'"', b"\\", b"*", b"`", b"&", b"|",
             b"\t", b"\r", b"%", b"!", b"<b>", b"{{", b"{% if a %}", b"\\n", b"la "]


def _pos(data: bytes, r: random.Random) -> int:
    return r.randrange(len(data) + 1)


def m_bitflip(data: bytes, r: random.Random, other: bytes) -> bytes:
    if not data:
        return b"\x01"
    out = bytearray(data)
    for _ in range(r.randint(1, 8)):
        i = r.randrange(len(out))
        out[i] ^= 1 << r.randrange(8)
    return bytes(out)


def m_insert(data: bytes, r: random.Random, other: bytes) -> bytes:
    for _ in range(r.randint(1, 3)):
        i = _pos(data, r)
        data = data[:i] + r.choice(INTERESTING) + data[i:]
    return data


def m_delete(data: bytes, r: random.Random, other: bytes) -> bytes:
    if not data:
        return data
    i = r.randrange(len(data))
    return data[:i] + data[i + r.randint(1, 64):]


def m_truncate(data: bytes, r: random.Random, other: bytes) -> bytes:
    return data[:r.randrange(len(data))] if data else data


def m_duplicate(data: bytes, r: random.Random, other: bytes) -> bytes:
    if not data:
        return data
    i = r.randrange(len(data))
    piece = data[i:i + r.randint(1, 200)]
    j = _pos(data, r)
    return data[:j] + piece * r.randint(1, 4) + data[j:]


def m_splice(data: bytes, r: random.Random, other: bytes) -> bytes:
    return data[:_pos(data, r)] + other[_pos(other, r):]


def m_swap(data: bytes, r: random.Random, other: bytes) -> bytes:
    a, b = r.choice(SWAPS)
    if r.random() < 0.5:  # every occurrence, both ways
        return data.replace(a, b"\x00\x01").replace(b, a).replace(b"\x00\x01", b)
    out = bytearray(data)
    spots = [i for i in range(len(out)) if out[i:i + len(a)] == a]
    for i in r.sample(spots, min(len(spots), r.randint(1, 3))):
        out[i:i + len(a)] = b if len(b) == len(a) else a
    return bytes(out)


def m_huge_run(data: bytes, r: random.Random, other: bytes) -> bytes:
    i = _pos(data, r)
    unit = r.choice(RUN_CHARS)
    return data[:i] + unit * (r.randint(10_000, 200_000) // len(unit)) + data[i:]


def m_havoc(data: bytes, r: random.Random, other: bytes) -> bytes:
    for _ in range(r.randint(2, 5)):
        data = r.choice(MUTATORS[:-1])[1](data, r, other)
    return data


MUTATORS: list[tuple[str, Callable[[bytes, random.Random, bytes], bytes]]] = [
    ("bitflip", m_bitflip), ("insert", m_insert), ("delete", m_delete), ("truncate", m_truncate),
    ("duplicate", m_duplicate), ("splice", m_splice), ("swap", m_swap), ("huge-run", m_huge_run),
    ("havoc", m_havoc),
]
MUTATION_COUNTS = {"core": 16, "short": 160, "long": 2400}


def mutations(seed: int, budget: str) -> list[Case]:
    fixtures = fixture_files()
    generic = {rel[len("generic/"):]: data for rel, data in fixtures if rel.startswith("generic/")}
    out = []
    for i in range(MUTATION_COUNTS[budget]):
        rel, data = fixtures[i % len(fixtures)]
        op_name, op = MUTATORS[(i + i // len(fixtures)) % len(MUTATORS)]
        r = rng(seed, "mutations", i)
        other = r.choice(fixtures)[1]
        mutated = op(data, r, other)
        name = f"{i:04d}-{op_name}-{rel}"
        if rel.startswith("generic/"):
            # a configured source is read with its config, and config is found from the first
            # path only: the generic example runs alone, its config at the top
            inner = rel[len("generic/"):]
            files = dict(generic)
            files[inner] = mutated
            is_config = inner.endswith(".toml")
            out.append(Case("mutations", name, files, expect=EITHER if is_config else LINT,
                            mention=".macrolint.toml" if is_config else None, batch=False, timeout=SLOW, core=i < 16))
        else:
            out.append(Case("mutations", name, {rel: mutated}, timeout=SLOW, core=i < 16))
    return out


# --- encodings ------------------------------------------------------------------------------

ENCODING_CORE = ("utf32-le-bom", "utf16-be", "latin1", "nul-after-8k", "eol-cr", "utf8-overlong-2",
                 "surrogate-high", "utf16-bom-then-utf8")


def encodings(seed: int, budget: str) -> list[Case]:
    names = list(BASES)
    combos: list[tuple[str, str, bytes]] = []
    for t, (tname, fn) in enumerate(TRANSFORMS.items()):
        chosen = names if budget == "long" else [names[t % len(names)], names[(t + 3) % len(names)]]
        combos += [(tname, base, fn(BASES[base])) for base in chosen]
    for sname, esc in SURROGATES.items():
        for base in ("macros.json", "replies.yml"):
            combos.append((sname, base, _surrogate_doc(base, esc)))
    out, cored = [], set()
    for tname, base, data in combos:
        core = tname in ENCODING_CORE and tname not in cored
        cored.add(tname)
        out.append(Case("encodings", f"{tname}:{base}", {base: data}, loud=(base,), core=core))
    if budget == "core":
        return [case for case in out if case.core]
    if budget == "long":  # real files too: every fixture with findings, in random encodings
        withfind = fixtures_with_findings()
        for i in range(120):
            r = rng(seed, "encodings", i)
            rel, data = withfind[i % len(withfind)]
            tname = r.choice(list(TRANSFORMS))
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                continue
            name = rel.rsplit("/", 1)[-1]
            out.append(Case("encodings", f"fixture-{i:03d}-{tname}:{rel}", {name: TRANSFORMS[tname](text)}, loud=(name,)))
    return out


# --- hostile structure ------------------------------------------------------------------------

def _macro(value: str = PHRASE, extra: str = "", id_: str = "1") -> str:
    return ('{"macros": [{"id": ' + id_ + ', "title": "Refund", "actions": [{"field": "comment_value", "value": "'
            + value + '"}]' + extra + '}]}')


def _add(c: list, name: str, files: dict, loud: tuple = (), note: str = "", **kw) -> None:
    c.append((name, {k: (v.encode("utf-8") if isinstance(v, str) else v) for k, v in files.items()}, loud, note, kw))


def _deep_cases(d: int) -> list[tuple]:
    """``(name, files, loud, note, case keywords)`` of the cases nested ``d`` deep."""
    P = PHRASE
    c: list[tuple] = []
    _add(c, f"json-deep-array-{d}", {"deep.json": "[" * d + "]" * d})
    _add(c, f"json-deep-object-{d}", {"deep.json": '{"a":' * d + "1" + "}" * d})
    _add(c, f"json-deep-in-macro-{d}", {"macros.json": _macro(extra=', "extra": ' + "[" * d + "]" * d)})
    _add(c, f"yaml-deep-flow-{d}", {"deep.yml": "a: " + "[" * d + "]" * d + "\n"})
    _add(c, f"yaml-deep-compact-{d}", {"deep.yml": "- " * d + "x\n"})
    _add(c, f"yaml-deep-in-replies-{d}", {"replies.yml": f"replies:\n  - name: a\n    body: {P}\n    x: " + "[" * d + "]" * d + "\n"})
    _add(c, f"html-deep-{d}", {"deep.html": "<div>" * d + P + "</div>" * d}, loud=("deep.html",))
    _add(c, f"html-deep-unclosed-{d}", {"deep.html": "<b>" * d + P}, loud=("deep.html",))
    # in an article a block quote is the author's own callout, so the phrase in it is reported
    _add(c, f"md-blockquote-{d}", {"deep.md": "---\ntitle: t\n---\n" + "> " * d + P + "\n"}, loud=("deep.md",))
    _add(c, f"md-blockquote-lines-{d}", {"deep.md": "".join("> " * i + "x\n" for i in range(1, min(d, 2000)))
                                          + "\n" + P + "\n"}, loud=("deep.md",))
    _add(c, f"liquid-if-deep-{d}", {"deep.txt": "{% if a %}" * d + P + "{% endif %}" * d}, loud=("deep.txt",))
    _add(c, f"placeholder-nested-{d}", {"deep.txt": "{{ " * d + "x" + " }}" * d + "\n" + P + "\n"}, loud=("deep.txt",))
    # a file of no known extension, named on the command line: read by sniffing its content
    _add(c, f"unknown-extension-deep-json-{d}", {"data.dat": "[" * d + "]" * d}, paths=("data.dat",))
    return c


def _structure_cases(depths: tuple[int, ...], budget: str) -> list[tuple]:
    """``(name, files, loud, note, case keywords)`` of the hostile-structure cases."""
    P = PHRASE
    c: list[tuple] = [case for d in depths for case in _deep_cases(d)]

    def add(name, files, loud=(), note="", **kw):
        _add(c, name, files, loud, note, **kw)

    for d in (330, 1000) if budget != "core" else (330,):
        add(f"yaml-deep-block-{d}", {"deep.yml": "".join("  " * i + "a:\n" for i in range(d)) + "  " * d + "b: 1\n"})
        add(f"yaml-deep-block-list-{d}", {"deep.yml": "".join("  " * i + "-\n" for i in range(d)) + "  " * d + "x\n"})
        add(f"md-list-deep-{d}", {"deep.md": "".join("  " * i + "- x\n" for i in range(d)) + "\n" + P + "\n"}, loud=("deep.md",))
    # numbers and strings
    for digits in (4301, 5000, 100_000):
        add(f"json-int-id-{digits}", {"macros.json": _macro(id_="9" * digits)})
        add(f"json-int-bare-{digits}", {"n.json": "9" * digits})
    add("json-float-1e400", {"macros.json": _macro(id_="1e400")})
    add("json-float-minus-1e400", {"macros.json": _macro(id_="-1e400")})
    add("json-float-huge-exponent", {"macros.json": _macro(id_="1.5e999999999")})
    add("json-int-in-value", {"macros.json": _macro(extra=', "position": ' + "1" * 5000)})
    add("yaml-int-5000", {"replies.yml": f"replies:\n  - name: {'9' * 5000}\n    body: {P}\n"})
    add("yaml-float-1e400", {"replies.yml": f"replies:\n  - name: 1e400\n    id: !!int {'9' * 5000}\n    body: {P}\n"})
    add("json-string-1mb", {"macros.json": _macro(value="a" * 1_000_000 + " " + P)}, loud=("macros.json",))
    add("json-dup-keys", {"macros.json": '{"macros": [], "macros": ' + _macro()[11:]})
    add("json-dup-keys-in-macro", {"macros.json": _macro(extra=', "actions": 5, "title": {"a": 1}')})
    add("json-100k-lines", {"list.json": "[\n" + '"x",\n' * 100_000 + '"x"\n]\n'})
    add("yaml-dup-keys", {"replies.yml": f"replies:\n  - name: a\n    body: {P}\nreplies: 5\n"})
    add("yaml-100k-documents", {"many.yml": "---\n" * 100_000})
    add("yaml-10k-anchors", {"anchors.yml": "".join(f"a{i}: &a{i} x\n" for i in range(10_000))})
    # aliases
    add("yaml-alias-recursive-list", {"replies.yml": f"replies: &r\n  - name: a\n    body: {P}\n  - *r\n"})
    add("yaml-alias-recursive-map", {"replies.yml": f"replies:\n  - &r\n    name: a\n    body: {P}\n    self: *r\n"})
    add("label-actions-alias-recursive", {".github/label-actions.yml": "wontfix: &w\n  comment: hello\n  issues: *w\n"})
    add("label-actions-alias-recursive-actions",
        {".github/label-actions.yml": "invalid: &w\n  comment: hello\n  actions: *w\n"})
    lol = "".join(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9 if i else ['"lol"'] * 9) + "]\n" for i in range(10))
    add("yaml-billion-laughs", {"bomb.yml": lol})
    add("yaml-billion-laughs-replies", {"replies.yml": lol + f"replies:\n  - name: *l9\n    body: {P}\n"})
    add("label-actions-billion-laughs", {".github/label-actions.yml": lol + "bug:\n  comment: *l9\n"})
    add("yaml-merge-bomb", {"replies.yml": "".join(f"m{i}: &m{i}\n  <<: [" + ", ".join([f"*m{i - 1}"] * 4) + "]\n  k{i}: v\n"
                                                    if i else "m0: &m0\n  k: v\n" for i in range(12))})
    add("yaml-python-tag", {"replies.yml": f'replies:\n  - name: !!python/object/apply:os.mkdir ["@MARKER@"]\n    body: {P}\n'})
    add("yaml-unknown-tags", {"replies.yml": f"replies: !foo\n  - name: !bar a\n    body: !!binary aGk=\n  - body: {P}\n"})
    # html
    add("html-unclosed-comment", {"r.html": "<!-- " + P})
    add("html-unclosed-cdata", {"r.html": "<![CDATA[" + P})
    add("html-unclosed-tag", {"r.html": '<p class="' + P})
    add("html-unclosed-script", {"r.html": "<script>" + P})
    add("html-100k-tags", {"r.html": "<b>" * 100_000 + P}, loud=("r.html",))
    add("html-100k-comments", {"r.html": "<!---->" * 100_000 + P}, loud=("r.html",))
    add("html-entities", {"r.html": "&#x110000; &#99999999999999999999; &#0; &#xd800; &#x; &; &amp" * 50 + "<p>" + P},
        loud=("r.html",))
    # markdown
    add("md-brackets-100k", {"r.md": "[" * 100_000 + "\n\n" + P + "\n"}, loud=("r.md",))
    add("md-link-openers-30k", {"r.md": "[](" * 30_000 + "\n\n" + P + "\n"}, loud=("r.md",))
    add("md-image-openers-50k", {"r.md": "![" * 50_000 + "\n\n" + P + "\n"}, loud=("r.md",))
    add("md-backticks-100k", {"r.md": "`" * 100_000 + "\n\n" + P + "\n"})
    add("md-emphasis-100k", {"r.md": "*_" * 50_000 + "\n\n" + P + "\n"}, loud=("r.md",))
    add("md-link-refs-10k", {"r.md": "".join(f"[a{i}]: http://x/{i}\n" for i in range(10_000)) + "\n" + P + "\n"},
        loud=("r.md",))
    add("md-comment-openers-10k", {"r.md": "<!--" * 10_000 + "\n" + P + "\n"})
    add("md-front-matter-unclosed", {"r.md": "---\ntitle: " + P + "\n" + "x: y\n" * 1000})
    add("md-headings-100k", {"r.md": "## h\n" * 100_000})
    add("md-fences-10k", {"r.md": "```\n" * 10_001 + P + "\n"})
    # placeholders
    add("liquid-unclosed-if-2000", {"r.txt": "{% if a %}" * 2000 + P}, loud=("r.txt",))
    add("liquid-endif-2000", {"r.txt": "{% endif %}" * 2000 + P}, loud=("r.txt",))
    for label, opener in (("liquid", "{{"), ("liquid-tag", "{%"), ("osticket", "%{"), ("dollar", "${"),
                          ("handlebars", "{{{"), ("intercom", "<attribute ")):
        add(f"placeholder-unclosed-{label}", {"r.txt": opener * 30_000 + "\n" + P + "\n"})
    # sizes
    add("word-1mb", {"r.txt": "a" * 1_000_000})
    add("word-80k-a", {"r.txt": "a" * 80_000})
    add("word-80k-inconvenience", {"r.txt": "apologizeforanyinconvenience" * 2_900})
    rr = random.Random("word-80k-random")
    add("word-80k-random", {"r.txt": "".join(rr.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(80_000))})
    add("word-80k-in-json", {"macros.json": _macro(value="inconvenience" * 6_200)})
    add("lines-100k", {"r.txt": "ok\n" * 100_000 + P + "\n"}, loud=("r.txt",))
    add("lines-100k-crlf", {"r.txt": "ok\r\n" * 100_000 + P + "\r\n"}, loud=("r.txt",))
    add("lines-100k-empty-md", {"r.md": "\n" * 100_000 + P + "\n"}, loud=("r.md",))
    add("words-1mb", {"r.txt": "word " * 200_000 + P}, loud=("r.txt",))
    add("findings-2000", {"r.txt": (P + " ") * 2000}, loud=("r.txt",))
    add("near-variants-2000", {"r.txt": "We apologise for any inconvienence. " * 2000})
    # suppressions
    add("md-disable-enable-5000", {"r.md": "<!-- macrolint-disable -->\nx\n<!-- macrolint-enable -->\n" * 5000 + P + "\n"},
        loud=("r.md",))
    add("md-disable-unclosed-10000", {"r.md": "<!-- macrolint-disable RB -->\n" * 10_000 + P + "\n"}, loud=("r.md",))
    add("md-disable-next-line-last", {"r.md": P + "\n<!-- macrolint-disable-next-line -->"}, loud=("r.md",))
    add("md-disable-unterminated", {"r.md": P + "\n<!-- macrolint-disable"}, loud=("r.md",))
    add("html-disable-last", {"r.html": "<p>" + P + "</p>\n<!-- macrolint-disable-next-line BL001 -->"}, loud=("r.html",))
    add("yaml-ignore-1000", {"replies.yml": "# macrolint: ignore\n" * 1000 + f"replies:\n  - name: a\n    body: {P}\n"})
    add("yaml-ignore-last-line", {"replies.yml": f"replies:\n  - name: a\n    body: {P}\n# macrolint: ignore"})
    add("yaml-ignore-last-line-crlf", {"replies.yml": f"replies:\r\n  - name: a\r\n    body: {P}\r\n# macrolint: ignore"})
    add("yaml-ignore-block-header-last", {"replies.yml": f"replies:\n  - name: {P}\n    body: |  # macrolint: ignore"})
    add("yaml-ignore-every-line", {"replies.yml": "".join(f"{line}  # macrolint: ignore RB\n" for line in
                                                          ["replies:", "  - name: a", f"    body: {P}"] * 2000)})
    add("tag-ignore-last-line", {"r.tag": f"title: x\n---\n{P}\n# macrolint: ignore"})
    # csv and tag files
    add("csv-cell-1mb", {"saved_replies.csv": '"id","name","text"\n"1","a","' + "a" * 1_000_000 + " " + P + '"\n'})
    add("csv-100k-columns", {"wide.csv": ",".join(f"c{i}" for i in range(100_000)) + "\n" + ",".join("x" * 100_000) + "\n"})
    add("csv-unbalanced-quote", {"saved_replies.csv": '"id","name","text"\n"1","a","' + P + "\n" * 1000})
    add("csv-100k-rows", {"saved_replies.csv": '"id","name","text"\n' + '"1","a","ok"\n' * 100_000})
    add("tag-no-separator", {"r.tag": "title: x\n" * 1000})
    add("tag-100k-separators", {"r.tag": "---\n" * 100_000 + P})
    add("unknown-extension-int-5000", {"data.dat": "[" + "9" * 5000 + "]"}, paths=("data.dat",))
    return c


#: Slow today or close kin of a short case: run in the long budget only.
STRUCTURE_LONG = {"json-string-1mb", "csv-cell-1mb", "md-image-openers-50k", "md-backticks-100k", "md-headings-100k",
                  "csv-100k-rows", "word-80k-a", "word-80k-in-json", "placeholder-unclosed-liquid-tag",
                  "placeholder-unclosed-osticket", "placeholder-unclosed-dollar", "placeholder-unclosed-intercom",
                  "json-int-id-4301", "json-int-bare-100000", "lines-100k-crlf", "yaml-ignore-last-line-crlf"}
STRUCTURE_CORE = {"json-deep-array-100000", "json-int-id-5000", "yaml-deep-block-330", "label-actions-alias-recursive",
                  "yaml-ignore-last-line", "yaml-billion-laughs-replies", "html-deep-100000", "md-blockquote-100000",
                  "word-80k-inconvenience", "unknown-extension-deep-json-100000", "yaml-python-tag", "lines-100k"}


def structure(seed: int, budget: str) -> list[Case]:
    depths = {"core": (100_000,), "short": (330, 100_000), "long": (330, 1_000, 5_000, 30_000, 100_000)}[budget]
    out = []
    for name, files, loud, note, kw in _structure_cases(depths, budget):
        if (budget == "core" and name not in STRUCTURE_CORE) or (budget != "long" and name in STRUCTURE_LONG):
            continue
        out.append(Case("structure", name, files, loud=loud, note=note, timeout=SLOW, core=name in STRUCTURE_CORE,
                        batch="paths" not in kw, **kw))
    if budget == "long":  # random depths and sizes of the same shapes
        for i in range(150):
            r = rng(seed, "structure", i)
            d = int(10 ** r.uniform(1, 5.3))
            template = r.choice(_deep_cases(d))
            name, files, loud, note, kw = template
            out.append(Case("structure", f"random-{i:03d}-{name}", files, loud=loud, note=note, timeout=SLOW,
                            batch="paths" not in kw, **kw))
    return out


# --- special files --------------------------------------------------------------------------

def special(seed: int, budget: str) -> list[Case]:
    if sys.platform == "win32":
        return []
    P = PHRASE.encode()
    many = {f"r{i:03d}.txt": P for i in range(70)}
    specs = [
        ("fifo", {"reply.txt": Fifo()}, (".",), {}),
        ("fifo-named", {"reply.txt": Fifo()}, ("reply.txt",), {}),
        ("fifo-among-70-files-j2", {**many, "reply.txt": Fifo()}, (".",), {"args": ("-j", "2")}),
        ("symlink-dev-zero", {"reply.txt": Link("/dev/zero")}, (".",), {}),
        ("symlink-dev-zero-named", {"reply.txt": Link("/dev/zero")}, ("reply.txt",), {}),
        ("symlink-dev-urandom", {"reply.txt": Link("/dev/urandom")}, (".",), {}),
        ("symlink-dev-null", {"reply.txt": Link("/dev/null")}, (".",), {}),
        ("symlink-proc-self-mem", {"reply.txt": Link("/proc/self/mem")}, (".",), {}),
        ("dev-zero-argument", {}, ("/dev/zero",), {}),
        ("symlink-loop", {"a.txt": Link("b.txt"), "b.txt": Link("a.txt")}, (".",), {}),
        # a path that leads nowhere, named on the command line, may be a usage error (exit 2)
        ("symlink-loop-named", {"a.txt": Link("b.txt"), "b.txt": Link("a.txt")}, ("a.txt",),
         {"expect": EITHER, "mention": "a.txt"}),
        ("symlink-self", {"a.txt": Link("a.txt")}, (".",), {}),
        ("symlink-dangling", {"reply.txt": Link("missing.txt")}, (".",), {}),
        ("symlink-folder-loop", {"loop": Link("."), "reply.txt": P}, (".",), {"loud": ("reply.txt",)}),
        ("folder-named-json", {"x.json": Folder()}, (".",), {}),
        ("folder-named-json-named", {"x.json": Folder()}, ("x.json",), {}),
        ("folder-named-txt-with-reply", {"x.txt/reply.txt": P}, (".",), {"loud": ("x.txt/reply.txt",)}),
        ("socket", {"reply.txt": Socket()}, (".",), {}),
        ("socket-named", {"reply.txt": Socket()}, ("reply.txt",), {}),
        ("unreadable-file", {"reply.txt": P}, (".",), {"modes": {"reply.txt": 0}, "unprivileged": True,
                                                      "loud": ("reply.txt",)}),
        ("unreadable-file-named", {"reply.txt": P}, ("reply.txt",), {"modes": {"reply.txt": 0}, "unprivileged": True,
                                                                     "loud": ("reply.txt",)}),
        ("unreadable-folder", {"locked/reply.txt": P}, (".",), {"modes": {"locked": 0}, "unprivileged": True,
                                                                "loud": ("locked/reply.txt",)}),
    ]
    core = {"fifo", "symlink-dev-zero", "symlink-loop", "socket", "unreadable-file", "folder-named-json"}
    out = []
    for name, files, paths, kw in specs:
        if budget == "core" and name not in core:
            continue
        out.append(Case("special", name, files, paths=paths, batch=False, timeout=QUICK, mem_limit_mb=768,
                        core=name in core, **kw))
    return out


# --- corrupt caches -------------------------------------------------------------------------

#: Kinds of damage done to a filled cache (see ``runner.corrupt_cache``).
CACHE_KINDS = ("bitflip-pack-header", "bitflip-pack-pack", "bitflip-pack-groups", "bitflip-pack-tables",
               "bitflip-rx", "bitflip-all", "truncate-pack", "truncate-rx", "empty-all", "junk-all",
               "pickle-rx", "pickle-pack", "forms-out-of-range", "foreign-key", "key-readable", "entry-is-folder",
               "entry-is-fifo", "entry-is-dev-zero", "entry-is-loop", "cache-is-file", "cache-unwritable",
               "swap-entries")
CACHE_CORE = ("pickle-rx", "pickle-pack", "bitflip-pack-groups", "truncate-pack", "forms-out-of-range")
#: A corrupted pack entry costs a rebuild of the built-in packs (seconds): the short budget takes
#: one kind of each sort of damage.
CACHE_SHORT = CACHE_CORE + ("bitflip-pack-pack", "bitflip-pack-tables", "bitflip-rx", "truncate-rx", "entry-is-fifo",
                            "entry-is-folder", "cache-is-file", "cache-unwritable", "foreign-key")


def cache(seed: int, budget: str) -> list[Case]:
    rounds = {"core": 1, "short": 1, "long": 4}[budget]
    kinds = {"core": CACHE_CORE, "short": CACHE_SHORT, "long": CACHE_KINDS}[budget]
    out = []
    for k in range(rounds):
        for kind in kinds:
            n = k * len(CACHE_KINDS) + CACHE_KINDS.index(kind)
            out.append(Case("cache", f"{kind}-{k}", {"reply.txt": PHRASE.encode()}, cache=(kind, seed * 1000 + n),
                            loud=("reply.txt",), batch=False, timeout=REBUILD if "fifo" in kind else SLOW,
                            unprivileged=kind == "cache-unwritable", core=kind in CACHE_CORE and k == 0))
    return out


# --- hostile packs --------------------------------------------------------------------------

GOOD_RULE = """\
id: TM001
name: thing-says
category: blame
summary: Flags "the thing says".
why: Deferring to a thing is blame.
message: "“{match}” defers to a thing."
match:
  - phrase: the thing (says|said)
    replace: I can see
    fix: unsafe
suggest: ["Say what you see."]
examples:
  - bad: The thing says no.
  - ok: The thing is fine.
"""
GOOD_PACK = "pack: evil\nprefixes: [TM]\n"
RULE_FIELDS = ("id", "name", "category", "summary", "why", "message", "match", "suggest", "examples")
OPTIONAL_FIELDS = ("suggest",)
WRONG_VALUES = {"int": "5", "list": "[1, 2]", "map": "{a: 1}", "null": "null", "bool": "true", "empty": '""',
                "nested-lists": "[[[]]]", "nested-map": "{match: {phrase: 5}}"}


def _rule_with(field: str, value: str) -> str:
    lines = GOOD_RULE.splitlines(keepends=True)
    out, skipping = [], False
    for line in lines:
        if line.startswith(f"{field}:"):
            out.append(f"{field}: {value}\n")
            skipping = True
            continue
        if skipping and line.startswith(" "):
            continue
        skipping = False
        out.append(line)
    return "".join(out)


def _pack_cases(seed: int, budget: str) -> list[tuple]:
    """``(name, pack files relative to evilpack/, expect, extra files)``."""
    lol = "".join(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9 if i else ['"lol"'] * 9) + "]\n" for i in range(10))
    alts = "|".join(f"word{i}" for i in range(5_700))  # about 57 KB
    c: list[tuple] = [
        ("pack-yaml-invalid", {"pack.yaml": "pack: [unclosed\n"}, REFUSE),
        ("pack-yaml-empty", {"pack.yaml": ""}, EITHER),
        ("pack-yaml-list", {"pack.yaml": "- a\n- b\n"}, REFUSE),
        ("pack-yaml-binary", {"pack.yaml": b"\x00\x01\x02pack: x\n"}, REFUSE),
        ("pack-yaml-latin1", {"pack.yaml": "pack: caf\xe9\n".encode("latin-1")}, REFUSE),
        ("pack-yaml-utf16", {"pack.yaml": b"\xff\xfe" + GOOD_PACK.encode("utf-16-le"), "r.yaml": GOOD_RULE}, EITHER),
        ("pack-yaml-deep-flow", {"pack.yaml": "pack: " + "[" * 10_000 + "]" * 10_000 + "\n"}, REFUSE),
        ("pack-yaml-deep-block", {"pack.yaml": "".join("  " * i + "a:\n" for i in range(400)) + "  " * 400 + "b: 1\n"},
         REFUSE),
        ("pack-yaml-alias-recursive", {"pack.yaml": "pack: evil\nprefixes: &p [TM, *p]\n"}, REFUSE),
        ("pack-yaml-variants-recursive", {"pack.yaml": "pack: evil\nvariants: &v {a: *v}\n"}, REFUSE),
        ("pack-yaml-billion-laughs", {"pack.yaml": lol + "pack: evil\nprefixes: *l9\n"}, REFUSE),
        ("pack-yaml-python-tag", {"pack.yaml": 'pack: !!python/object/apply:os.mkdir ["@MARKER@"]\n'}, REFUSE),
        ("pack-yaml-missing", {"other/x.yaml": "a: 1\n"}, REFUSE),
        ("pack-folder-missing", {}, REFUSE),
        ("pack-yaml-is-folder", {"pack.yaml/x": "a"}, REFUSE),
        ("pack-yaml-fifo", {"pack.yaml": Fifo()}, REFUSE),
        ("rule-yaml-invalid", {"pack.yaml": GOOD_PACK, "r.yaml": "id: [\n"}, REFUSE),
        ("rule-yml-extension", {"pack.yaml": GOOD_PACK, "thing-says.yml": GOOD_RULE}, REFUSE),
        ("rule-not-utf8", {"pack.yaml": GOOD_PACK, "thing-says.yaml": GOOD_RULE.replace("Flags", "Fl\xe9gs").encode("cp1252")},
         REFUSE),
        ("rule-file-name-not-utf8", {"pack.yaml": GOOD_PACK, b"thing-\xff.yaml": GOOD_RULE}, REFUSE),
        ("rule-fifo", {"pack.yaml": GOOD_PACK, "thing-says.yaml": GOOD_RULE, "z.yaml": Fifo()}, EITHER),
        ("rule-symlink-dev-zero", {"pack.yaml": GOOD_PACK, "thing-says.yaml": GOOD_RULE, "z.yaml": Link("/dev/zero")}, EITHER),
        ("rule-symlink-loop", {"pack.yaml": GOOD_PACK, "thing-says.yaml": GOOD_RULE, "z.yaml": Link("z.yaml")}, EITHER),
        ("rule-deep-yaml", {"pack.yaml": GOOD_PACK, "thing-says.yaml": GOOD_RULE + "exceptions: " + "[" * 10_000 + "]" * 10_000 + "\n"},
         REFUSE),
        ("rule-alias-recursive", {"pack.yaml": GOOD_PACK, "thing-says.yaml": GOOD_RULE + "exceptions: &e [a, *e]\n"}, REFUSE),
        ("rule-billion-laughs", {"pack.yaml": GOOD_PACK, "thing-says.yaml": lol.replace("l", "x") + _rule_with("suggest", "*x9")},
         REFUSE),
        ("rule-python-tag", {"pack.yaml": GOOD_PACK, "thing-says.yaml": _rule_with("why", '!!python/object/apply:os.mkdir ["@MARKER@"]')},
         REFUSE),
        ("rule-backtracking-pattern", {"pack.yaml": GOOD_PACK, "thing-says.yaml": _rule_with(
            "match", "\n  - pattern: '(a+)+$'\n    anchors: [a]")}, EITHER),
        ("rule-backtracking-pattern-nested", {"pack.yaml": GOOD_PACK, "thing-says.yaml": _rule_with(
            "match", "\n  - pattern: '^(([a-z])+.)+[A-Z]([a-z])+$'")}, EITHER),
        ("rule-pattern-unclosed", {"pack.yaml": GOOD_PACK, "thing-says.yaml": _rule_with("match", "\n  - pattern: '(unclosed'")},
         REFUSE),
        ("rule-phrase-57kb", {"pack.yaml": GOOD_PACK, "thing-says.yaml": _rule_with("match", f"\n  - phrase: the ({alts}) says")},
         EITHER),
        ("rule-exceptions-57kb", {"pack.yaml": GOOD_PACK, "thing-says.yaml": GOOD_RULE + "exceptions: [" +
                                  ", ".join(f"w{i} x" for i in range(10_000)) + "]\n"}, EITHER),
        ("rule-phrase-40-optionals", {"pack.yaml": GOOD_PACK, "thing-says.yaml": _rule_with(
            "match", "\n  - phrase: the thing " + " ".join(f"[w{i}]" for i in range(40)) + " says")}, EITHER),
        ("rule-phrase-30-alternations", {"pack.yaml": GOOD_PACK, "thing-says.yaml": _rule_with(
            "match", "\n  - phrase: the thing " + " ".join(f"(a{i}|b{i})" for i in range(30)) + " says")}, EITHER),
        ("rule-phrase-deep-parens", {"pack.yaml": GOOD_PACK, "thing-says.yaml": _rule_with(
            "match", "\n  - phrase: '" + "(" * 5_000 + "a" + ")" * 5_000 + "'")}, EITHER),
        ("rule-phrase-gaps", {"pack.yaml": GOOD_PACK, "thing-says.yaml": _rule_with(
            "match", "\n  - phrase: " + " ... ".join(["the"] * 30))}, EITHER),
        ("rule-message-1mb", {"pack.yaml": GOOD_PACK, "thing-says.yaml": _rule_with("message", '"' + "x" * 1_000_000 + '"')},
         EITHER),
        ("rule-duplicate-core-code", {"pack.yaml": "pack: evil\nprefixes: [RB]\n", "thing-says.yaml": _rule_with("id", "RB001")},
         EITHER),
        ("rule-check-unknown", {"pack.yaml": GOOD_PACK, "thing-says.yaml": _rule_with("match", "[]") + "check: no-such-check\n"},
         REFUSE),
        ("pack-variants-10k", {"pack.yaml": GOOD_PACK + "variants: {" + ", ".join(f"w{i}: [v{i}, u{i}]" for i in range(10_000)) + "}\n",
                               "thing-says.yaml": GOOD_RULE}, EITHER),
        ("pack-variants-thing", {"pack.yaml": GOOD_PACK + "variants: {thing: [" + ", ".join(f"t{i}" for i in range(2_000)) + "]}\n",
                                 "thing-says.yaml": GOOD_RULE}, EITHER),
    ]
    for key, value in (("prefixes", "5"), ("prefixes", "{a: 1}"), ("categories", "[[x]]"), ("defaults", "[1]"),
                       ("defaults", "{severity: loud}"), ("variants", "[a]"), ("variants", "{a: 5}"), ("schema", '"x"'),
                       ("pack", "[1]"), ("title", "{}")):
        c.append((f"pack-{key}-{value}", {"pack.yaml": f"pack: evil\n{key}: {value}\n", "thing-says.yaml": GOOD_RULE}, REFUSE))
    for field in RULE_FIELDS:
        for label, value in list(WRONG_VALUES.items())[:3 if budget != "long" else None]:
            # an optional field left empty is as good as left out
            expect = EITHER if field in OPTIONAL_FIELDS and label in ("null", "empty") else REFUSE
            c.append((f"rule-{field}-{label}", {"pack.yaml": GOOD_PACK, "thing-says.yaml": _rule_with(field, value)}, expect))
    for label, sub in (("phrase-int", "phrase: 5"), ("phrase-list", "phrase: [a]"), ("pattern-map", "pattern: {}"),
                       ("fix-unknown", "phrase: the thing\n    fix: sometimes"), ("replace-int", "replace: 5\n    phrase: x"),
                       ("anchors-int", "phrase: x\n    anchors: 5"), ("fuzzy-string", "phrase: x\n    fuzzy: maybe"),
                       ("entry-list", "[]"), ("phrase-empty", "phrase: ''"), ("phrase-empty-alternatives", "phrase: '(|)'"),
                       ("phrase-nested-optionals", "phrase: '[[[a]]]'"), ("phrase-unbalanced", "phrase: '((a)'"),
                       ("pattern-backslash", "pattern: '\\\\'")):
        c.append((f"rule-match-{label}", {"pack.yaml": GOOD_PACK, "thing-says.yaml": _rule_with("match", "\n  - " + sub)},
                  EITHER))
    if budget == "long":  # random damage to a good rule file
        for i in range(60):
            r = rng(seed, "packs", i)
            text = GOOD_RULE.encode()
            op_name, op = r.choice(MUTATORS)
            c.append((f"random-{i:03d}-{op_name}", {"pack.yaml": GOOD_PACK, "thing-says.yaml": op(text, r, GOOD_PACK.encode())},
                      EITHER))
    return c


PACK_CORE = {"pack-yaml-invalid", "rule-phrase-deep-parens", "rule-backtracking-pattern", "rule-phrase-57kb", "rule-deep-yaml",
             "rule-python-tag", "rule-id-int"}


def packs(seed: int, budget: str) -> list[Case]:
    out = []
    bomb = b"a" * 40 + b"!\n"
    for i, (name, files, expect) in enumerate(_pack_cases(seed, budget)):
        if budget == "core" and name not in PACK_CORE:
            continue
        way = i % 3  # how the pack is named: extend-packs, packs, or a config given with --config
        pack_files = {f"evilpack/{k}" if isinstance(k, str) else b"evilpack/" + k: v for k, v in files.items()}
        case_files = {**pack_files, "reply.txt": PHRASE.encode() + b"\n" + bomb}
        args: tuple = ()
        if way == 0:
            case_files[".macrolint.toml"] = b'extend-packs = ["./evilpack"]\n'
        elif way == 1:
            case_files[".macrolint.toml"] = b'packs = ["core", "placeholders", "./evilpack"]\n'
        else:
            case_files["cfg/team.toml"] = b'[tool.macrolint]\nextend-packs = ["../evilpack"]\n'
            args = ("--config", "cfg/team.toml")
        out.append(Case("packs", name, {k: (v.encode() if isinstance(v, str) else v) for k, v in case_files.items()},
                        paths=("reply.txt",), args=args, expect=expect, mention="evilpack", batch=False,
                        timeout=QUICK if "fifo" in name else SLOW, core=name in PACK_CORE))
    return out


# --- hostile config -------------------------------------------------------------------------

def _config_cases(seed: int, budget: str) -> list[tuple]:
    """``(name, files, args, expect, mention)``."""
    c: list[tuple] = []

    def add(name, text, expect=REFUSE, args=(), file=".macrolint.toml", extra=None):
        files = {file: text.encode("utf-8") if isinstance(text, str) else text, **(extra or {})}
        c.append((name, files, args, expect, file.rsplit("/", 1)[-1] if isinstance(file, str) else None))

    for d in (1_000, 10_000, 100_000) if budget != "core" else (100_000,):
        add(f"deep-array-{d}", "select = " + "[" * d + "]" * d + "\n")
        add(f"deep-inline-table-{d}", "severity = " + "{a = " * d + "1" + "}" * d + "\n")
    add("deep-dotted-key", "a" + ".a" * 20_000 + " = 1\n")
    add("deep-table-header", "[" + ".".join(["a"] * 20_000) + "]\n")
    for label, key, value in (
            ("int", "packs", "5"), ("int-list", "packs", "[5]"), ("table", "select", "{a = 1}"), ("bool", "ignore", "true"),
            ("list", "severity", "[]"), ("unknown-level", "severity", '{RB = "loud"}'), ("int-level", "severity", "{RB = 5}"),
            ("int", "exclude", "5"), ("string", "min-confidence", '"high"'), ("inf", "min-confidence", "inf"),
            ("nan", "min-confidence", "nan"), ("1e400", "min-confidence", "1e400"), ("string", "preview", '"yes"'),
            ("int", "internal-notes", "1"), ("int", "sources", "5"), ("int-list", "sources", "[5]"),
            ("glob-int", "sources", '[{glob = 5, text = "x"}]'), ("no-text", "sources", '[{glob = "*.json"}]'),
            ("bad-selector", "sources", '[{glob = "*.json", text = "a[[[[["}]'),

            ("list", "per-file-ignores", "[]"), ("int-entry", "per-file-ignores", '{"*.txt" = 5}'),
            ("bad-prefix", "per-item-ignores", '{"foo:x" = ["RB"]}'), ("int", "no-such-key", "1"), ("int", "tool", "5"),
            ("string", "tool", '"macrolint"'), ("macrolint-int", "tool", "{macrolint = 5}")):
        add(f"wrong-{key}-{label}", f"{key} = {value}\n")
    add("sources-selector-10k-deep", '[[sources]]\nglob = "*.json"\ntext = "' + "a." * 10_000 + 'a"\n', expect=EITHER)
    add("pyproject-tool-int", "tool = 5\n", file="pyproject.toml", expect=EITHER)
    add("pyproject-tool-string", 'tool = "macrolint"\n', file="pyproject.toml", expect=EITHER)
    add("pyproject-macrolint-int", "[tool]\nmacrolint = 5\n", file="pyproject.toml")
    add("pyproject-macrolint-list", "[tool]\nmacrolint = [1]\n", file="pyproject.toml")
    add("pyproject-deep", "[tool.macrolint]\nselect = " + "[" * 50_000 + "]" * 50_000 + "\n", file="pyproject.toml")
    add("huge-select-unknown", "select = [" + ", ".join(f'"XX{i % 1000:03d}"' for i in range(100_000)) + "]\n")
    add("huge-sources", "".join(f'[[sources]]\nglob = "x{i}.json"\ntext = ["a"]\n' for i in range(10_000)), expect=EITHER)
    if budget == "long":  # tens of seconds each today
        add("huge-select", "select = [" + ", ".join(['"RB"'] * 100_000) + "]\n", expect=EITHER)
        add("huge-exclude", "exclude = [" + ", ".join(f'"x{i}/*"' for i in range(100_000)) + "]\n", expect=EITHER)
        add("huge-per-file-ignores", "[per-file-ignores]\n" + "".join(f'"x{i}.md" = ["BL"]\n' for i in range(50_000)),
            expect=EITHER)
    add("exclude-backtracking", 'exclude = ["' + "*a" * 200 + '*b"]\n', expect=EITHER,
        extra={"a" * 200 + ".txt": PHRASE.encode()})
    add("exclude-odd-globs", 'exclude = ["[", "[!]", "\\\\", "", "*.md[", "**/**/**/**/**/x"]\n', expect=EITHER)
    add("binary", b"\x00\x01\x02select = []\n")
    add("latin1", 'select = ["caf\xe9"]\n'.encode("latin-1"))
    add("utf16", b"\xff\xfe" + 'select = ["RB"]\n'.encode("utf-16-le"), expect=EITHER)
    add("empty", "", expect=EITHER)
    add("fifo", Fifo(), expect=EITHER)
    add("folder", Folder(), expect=EITHER)
    add("symlink-dev-zero", Link("/dev/zero"), expect=EITHER)
    c.append(("named-fifo", {"cfg.toml": Fifo()}, ("--config", "cfg.toml"), REFUSE, "cfg.toml"))
    c.append(("named-folder", {"cfg.toml": Folder()}, ("--config", "cfg.toml"), REFUSE, "cfg.toml"))
    c.append(("named-dev-zero", {}, ("--config", "/dev/zero"), REFUSE, "/dev/zero"))
    c.append(("named-missing", {}, ("--config", "missing.toml"), REFUSE, "missing.toml"))
    if budget == "long":
        base = b'select = ["RB", "BL"]\nexclude = ["archive/**"]\n[per-file-ignores]\n"legal/*.md" = ["BL002"]\n'
        for i in range(60):
            r = rng(seed, "config", i)
            op_name, op = r.choice(MUTATORS)
            add(f"random-{i:03d}-{op_name}", op(base, r, b"[[sources]]\nglob = 5\n"), expect=EITHER)
    return c


CONFIG_CORE = {"deep-array-100000", "wrong-packs-int", "wrong-tool-int", "pyproject-tool-int", "fifo", "named-fifo"}


def config(seed: int, budget: str) -> list[Case]:
    out = []
    for name, files, args, expect, mention in _config_cases(seed, budget):
        if budget == "core" and name not in CONFIG_CORE:
            continue
        files = {**files, "reply.txt": PHRASE.encode()}
        out.append(Case("config", name, files, args=args, expect=expect, mention=mention, batch=False,
                        timeout=QUICK if "fifo" in name or "zero" in name else SLOW, core=name in CONFIG_CORE))
    return out


# --- command-line edge cases ----------------------------------------------------------------

FORMATS = ("json", "json-lines", "sarif", "gitlab", "junit", "github", "text", "concise")
ODD_NAMES: list = [b"r\xe9ply.txt", b"\xff\xfe.md", "a\nb.txt", "::warning file=x::.txt", "%0A%25.txt", '"q" <&>.txt',
                   "x" * 250 + ".txt", "-rf.txt", "\u202ereply.txt", b"\xed\xa0\x80.txt"]


def _baseline(entries, version=1) -> bytes:
    return json.dumps({"version": version, "tool": {"name": "macrolint"}, "findings": entries}).encode()


def _canary_entry(count) -> dict:
    return {"path": "canary.txt", "item": None, "rule": "RB002", "match": "please be advised that", "count": count}


def cli(seed: int, budget: str) -> list[Case]:
    P = PHRASE.encode()
    deep = b"[" * 100_000 + b"]" * 100_000
    c: list[Case] = []

    def add(name, files=None, **kw):
        kw.setdefault("batch", False)
        c.append(Case("cli", name, files if files is not None else {"reply.txt": P}, **kw))

    add("stdin-devnull", paths=("-",), stdin=None)
    add("stdin-empty", paths=("-",), stdin=b"")
    add("stdin-closed", paths=("-",), stdin="closed", expect=EITHER, mention="stdin")
    add("stdin-deep-json", paths=("-",), stdin=deep)
    add("stdin-deep-json-named", paths=("-",), stdin=deep, args=("--stdin-filename", "macros.json"))
    add("stdin-deep-yaml-named", paths=("-",), stdin=b"- " * 2000 + b"x\n", args=("--stdin-filename", "r.yml"))
    add("stdin-int-5000-named", paths=("-",), stdin=_macro(id_="9" * 5000).encode(), args=("--stdin-filename", "m.json"))
    add("stdin-binary", paths=("-",), stdin=bytes(range(256)) * 100)
    add("stdin-utf32", paths=("-",), stdin=b"\xff\xfe\x00\x00" + PHRASE.encode("utf-32-le"))
    add("stdin-fix-closed", paths=("-",), stdin="closed", args=("--diff",), expect=EITHER, mention="stdin")
    add("stdin-odd-filename", paths=("-",), stdin=P, args=("--stdin-filename", "../../" + "x" * 300 + "\n.md"))
    add("unknown-extension-deep-json", {"data.dat": deep}, paths=("data.dat",))
    many = {f"r{i:03d}.txt": P for i in range(70)}
    add("jobs-1000", many, args=("-j", "1000"))
    add("jobs-0", many, args=("-j", "0"))
    add("jobs-2-with-a-crashing-file", {**many, "deep.json": deep}, args=("-j", "2"))
    add("jobs-2-with-yaml-ignore-last-line", {**many, "r.yml": f"replies:\n  - body: {PHRASE}\n# macrolint: ignore".encode()},
        args=("-j", "2"))
    for fmt in FORMATS:
        add(f"odd-names-{fmt}", {name: P for name in ODD_NAMES}, args=("--format", fmt))
        if budget == "long" or fmt in ("json", "text"):
            add(f"odd-names-{fmt}-output-file", {name: P for name in ODD_NAMES}, args=("--format", fmt, "-o", "report.out"),
                output="report.out")
    for fmt in ("sarif", "gitlab", "json"):
        add(f"non-utf8-name-{fmt}", {b"r\xe9ply.txt": P}, args=("--format", fmt))
        add(f"surrogate-in-title-{fmt}", {"macros.json": _macro().replace('"Refund"', '"Refund \\ud800"').encode()},
            args=("--format", fmt))
    add("write-baseline-read-only-folder", {"ro/keep": b""}, modes={"ro": 0o555}, unprivileged=True,
        args=("--write-baseline", "ro/base.json"), expect=REFUSE, mention="base.json")
    add("write-baseline-under-a-file", args=("--write-baseline", "canary.txt/base.json"), expect=REFUSE, mention="base.json")
    add("write-baseline-is-folder", {"base.json/x": b""}, args=("--write-baseline", "base.json"), expect=REFUSE,
        mention="base.json")
    add("write-baseline-non-utf8-name", {b"r\xe9ply.txt": P}, args=("--write-baseline", "base.json"), expect=EITHER,
        output="base.json")
    baselines = {
        "count-1e400": _baseline([_canary_entry("@1e400@")]),
        "count-1e400-other": _baseline([{**_canary_entry("@1e400@"), "path": "other.txt"}]),
        "count-negative": _baseline([_canary_entry(-5)]),
        "count-string": _baseline([_canary_entry("3")]),
        "count-null": _baseline([_canary_entry(None)]),
        "count-list": _baseline([_canary_entry([])]),
        "count-float": _baseline([_canary_entry(1.5)]),
        "count-nan": _baseline([_canary_entry("@NaN@")]),
        "count-huge": _baseline([_canary_entry(10 ** 4000)]),
        "findings-object": _baseline({}),
        "findings-numbers": _baseline([5, "x", None]),
        "entry-missing-keys": _baseline([{"path": "canary.txt"}]),
        "entry-wrong-types": _baseline([{"path": 5, "item": [], "rule": {}, "match": 1}]),
        "version-string": _baseline([], version="1"),
        "deep": b'{"version": 1, "findings": ' + deep + b"}",
        "100k-entries": _baseline([{**_canary_entry(1), "path": f"r{i}.txt"} for i in range(100_000)]),
        "not-utf8": b'{"version": 1, "findings": [{"path": "caf\xe9"}]}',
        "utf16": b"\xff\xfe" + _baseline([]).decode().encode("utf-16-le"),
        "empty": b"",
    }
    short = {"count-1e400", "count-1e400-other", "count-negative", "count-string", "count-nan", "findings-object",
             "entry-wrong-types", "deep", "not-utf8", "empty"}
    for bname, data in baselines.items():
        if budget != "long" and bname not in short:
            continue
        data = data.replace(b'"@1e400@"', b"1e400").replace(b'"@NaN@"', b"NaN")
        add(f"baseline-{bname}", {"reply.txt": P, "base.json": data}, args=("--baseline", "base.json"), expect=EITHER,
            mention="base.json")
    add("baseline-fifo", {"reply.txt": P, "base.json": Fifo()}, args=("--baseline", "base.json"), expect=EITHER,
        mention="base.json", timeout=QUICK)
    add("baseline-folder", {"reply.txt": P, "base.json/x": b""}, args=("--baseline", "base.json"), expect=EITHER,
        mention="base.json")
    add("output-file-fifo", {"reply.txt": P, "out.json": Fifo()}, args=("-o", "out.json"), expect=EITHER, mention="out.json",
        output="out.json", timeout=QUICK)
    add("output-file-dev-full", args=("-o", "/dev/full"), expect=REFUSE, mention="/dev/full")
    add("output-file-read-only-folder", {"ro/keep": b""}, modes={"ro": 0o555}, unprivileged=True,
        args=("-o", "ro/out.json"), expect=REFUSE, mention="out.json")
    add("changed-since-option-injection", git=True, args=("--changed-since=--output=@MARKER@",), expect=EITHER,
        mention="changed-since")
    add("changed-since-head", {"reply.txt": P}, git=True, args=("--changed-since", "HEAD"))
    add("changed-since-not-a-repo", args=("--changed-since", "HEAD"), expect=EITHER, mention="changed-since")
    add("select-30k", args=("--select", ",".join(["RB"] * 30_000)), expect=EITHER)  # one argument: under 128 KB
    add("min-confidence-nan", args=("--min-confidence", "nan"), expect=EITHER, mention="min-confidence")
    add("input-format-text-on-data", {"m.json": _macro().encode(), "r.yml": BASES["replies.yml"].encode()},
        args=("--input-format", "text"))
    add("diff-on-hostile-files", {"deep.json": deep, "r.yml": f"replies:\n  - body: {PHRASE}\n# macrolint: ignore".encode(),
                                  "reply.txt": P}, args=("--diff",))
    add("statistics", {"reply.txt": P}, args=("--statistics",), expect=EITHER)
    add("many-paths", {f"d{i}/r.txt": P for i in range(2000)}, paths=tuple(f"d{i}/r.txt" for i in range(2000)))
    add("path-twice-and-dot-dot", paths=("reply.txt", "./reply.txt", "../files/reply.txt", "."))
    if budget == "long":  # every format over every fixture folder
        by_dir: dict[str, dict] = {}
        for rel, data in fixture_files():
            top = rel.split("/", 1)[0]
            if top != "generic":
                by_dir.setdefault(top, {})[rel] = data
        for top, files in sorted(by_dir.items()):
            for fmt in FORMATS:
                add(f"fixtures-{top}-{fmt}", files, args=("--format", fmt), batch=False)
    core = {"stdin-closed", "stdin-deep-json", "jobs-1000", "non-utf8-name-sarif", "non-utf8-name-gitlab",
            "write-baseline-read-only-folder", "baseline-count-1e400", "odd-names-junit"}
    if budget == "core":
        c = [case for case in c if case.name in core]
    for case in c:
        case.core = case.name in core
    return c


FAMILIES: dict[str, Callable[[int, str], list[Case]]] = {
    "mutations": mutations,
    "encodings": encodings,
    "structure": structure,
    "special": special,
    "cache": cache,
    "packs": packs,
    "config": config,
    "cli": cli,
}
#: Cases of a family run together in one command line, each in its own subfolder.
BATCH_SIZES = {"mutations": 16, "encodings": 16, "structure": 4}


_UNSAFE = re.compile(r"[^A-Za-z0-9._+:/=-]+")


def slug(name: str) -> str:
    """A case name that can be typed in a shell and used in a folder name (``/`` aside)."""
    return _UNSAFE.sub("_", name).strip("_")[:120]


def generate(families, seed: int, budget: str) -> list[Case]:
    """Every case of ``families`` for ``seed`` and ``budget``, in a stable order."""
    out = []
    for name in families:
        cases = FAMILIES[name](seed, budget)
        seen = set()
        for case in cases:
            case.name = slug(case.name)
            if case.id in seen:
                raise ValueError(f"two cases named {case.id}")
            seen.add(case.id)
        out.extend(cases)
    return out
