"""Shared fixtures and options for the test suite."""
from __future__ import annotations

import errno
import functools
import html
import json
import os
import re
import tempfile
import textwrap
from pathlib import Path

import pytest
import yaml

from macrolint.linting.linter import Linter
from macrolint.packs.config import Config

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
CORPUS = ROOT.parent / "shared" / "corpus"


_PRIVATE_HOME: tempfile.TemporaryDirectory | None = None


def pytest_configure(config):
    """Keep the suite's pack cache and cache key out of the user's home.

    This runs before any test module is imported, so module-level linters use the private folders too.
    """
    global _PRIVATE_HOME
    _PRIVATE_HOME = tempfile.TemporaryDirectory(prefix="macrolint-tests-")
    os.environ["MACROLINT_CACHE_DIR"] = os.path.join(_PRIVATE_HOME.name, "cache")
    os.environ["XDG_STATE_HOME"] = os.path.join(_PRIVATE_HOME.name, "state")
    os.environ.pop("MACROLINT_NO_CACHE", None)


@pytest.fixture(autouse=True)
def _no_kept_results(request, monkeypatch):
    """Every test lints afresh: a result kept by an earlier test (with other monkeypatched code
    behind the same files and settings) would hide what this one does. Tests of the results
    cache ask for it with the ``kept_results`` marker."""
    if request.node.get_closest_marker("kept_results") is None:
        from macrolint.linting.results import ResultsCache

        monkeypatch.setattr(ResultsCache, "open", classmethod(lambda cls: None))


def pytest_unconfigure(config):
    if _PRIVATE_HOME is not None:
        _PRIVATE_HOME.cleanup()


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true", default=False,
                     help="rewrite the *.expected golden files from the current output")


@pytest.fixture
def update_goldens(request) -> bool:
    return request.config.getoption("--update-goldens")


@functools.cache
def shared_linter(*packs: str) -> Linter:
    """One linter per pack selection for the whole session (the default selection when none is
    named), built on first use, after ``pytest_configure`` moved the cache."""
    return Linter(Config(packs=packs) if packs else Config())


@pytest.fixture(scope="session")
def linter() -> Linter:
    """The default configuration: built-in packs, default settings."""
    return shared_linter()


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present next to the checkout (CI provides it)")
    return CORPUS


# <ISSUE_NUMBER>-style fill-in slots and Intercom <attribute/> placeholders are text, not tags.
_TAG = re.compile(r"<(?![A-Z][A-Z0-9_ \-]*>|attribute\b)[^>]*>")
_MD_ESCAPE = re.compile(r"\\([^\w\s])")
_MD_MARKS = re.compile(r"(?m)^[ \t]*>[ \t]?|\*+|(?<!\w)_+|_+(?!\w)|\\(?=[^\w\s])")
#: Data files: the container's escapes first; a field may then hold HTML or Markdown.
_DATA_FORMATS = ("json", "yaml", "csv")


def _unescape_container(fmt: str, text: str) -> str:
    """Undo a data file's string escapes with the standard parsers, independently of the readers."""
    if fmt == "csv":
        return text.replace('""', '"')
    if fmt == "yaml" and "\\" not in text:
        return text.replace("''", "'")  # single-quoted scalar; plain and block scalars have no escapes
    try:  # JSON strings and YAML double-quoted scalars share the backslash escapes
        return json.loads('"' + text + '"', strict=False)
    except ValueError:
        return yaml.safe_load('"' + text + '"')


def decode_raw(raw_slice: str, fmt: str) -> str:
    """What a reader makes of a raw slice, for comparing with a diagnostic's ``match``."""
    text = raw_slice
    if fmt in _DATA_FORMATS:
        text = _unescape_container(fmt, text)
    if fmt in ("markdown", "tag"):
        text = _MD_ESCAPE.sub(r"\1", text)
    if fmt in ("html", "markdown", "tag", *_DATA_FORMATS):
        text = _TAG.sub("", text)
        text = html.unescape(text)
    if fmt in ("markdown", "tag", *_DATA_FORMATS):
        text = _MD_MARKS.sub("", text)
    return " ".join(text.split())


def write_pack(folder: Path, rules: dict[str, str], pack_yaml: str | None = None) -> Path:
    """Write a pack folder from ``{relative path: yaml text}``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(pack_yaml or "pack: team\nprefixes: [TM]\n", encoding="utf-8")
    for rel, text in rules.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def fail_creating_files_in(folder: Path, monkeypatch, code: int = errno.EACCES) -> None:
    """Make creating a file in ``folder`` fail as in a read-only folder, for root too."""
    real_open = os.open

    def fake_open(path, flags, *args, **kwargs):
        if flags & os.O_CREAT and os.path.dirname(os.path.abspath(path)) == str(folder):
            raise OSError(code, os.strerror(code), path)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", fake_open)


