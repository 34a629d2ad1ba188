"""The ``macrolint`` command group and what its commands share: exit codes, messages, config
and linter set-up. Each command lives in a module of its own (``check``, ``rules``, ``review``)."""
from __future__ import annotations

import gc
import os
import sys
from typing import Optional

import click

from macrolint._version import __version__
from macrolint.linting.diagnostics import BAD_CONFIG, input_diagnostic
from macrolint.linting.linter import Linter
from macrolint.packs.config import Config, ConfigError
from macrolint.packs.configtree import discover, for_run
from macrolint.packs.load import PackError

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="macrolint")
def main() -> None:
    """Lint support macros, saved replies and help-center articles for script-speak."""


#: Typographic marks in messages and what a console that cannot show them gets instead.
ASCII_MARKS = {"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "—": "--", "–": "-", "→": "->", "…": "...",
               "•": "*", "×": "x", "≥": ">=", "≤": "<=", "✓": "ok", "✗": "x", "·": "-", "\u00a0": " "}


def _ascii_marks(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: a mark the stream cannot encode becomes its ASCII stand-in, any other
    character a "?"."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    return "".join(ASCII_MARKS.get(c, "?") for c in exc.object[exc.start:exc.end]), exc.end


def _encodes(stream, sample: str = "“—→…") -> bool:
    try:
        sample.encode(getattr(stream, "encoding", None) or "ascii")
        return True
    except (UnicodeEncodeError, LookupError):
        return False


def fit_console() -> None:
    """On a console that cannot encode the marks macrolint prints (a cp1252 Windows console, a
    C locale), print ASCII stand-ins instead of failing with ``UnicodeEncodeError``."""
    import codecs

    codecs.register_error("macrolint-ascii", _ascii_marks)
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure") and not _encodes(stream):
            try:
                stream.reconfigure(errors="macrolint-ascii")
            except (ValueError, OSError):
                pass


def emit(text: str, machine: bool = False, color: Optional[bool] = None) -> None:
    """Print a report on standard output. A machine-readable report (JSON, SARIF, XML) is written
    in UTF-8 whatever the console's encoding, as its readers expect."""
    stream = sys.stdout
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    if machine and not encoding.startswith("utf") and hasattr(stream, "buffer"):
        stream.flush()
        stream.buffer.write(text.encode("utf-8"))
        stream.buffer.flush()
    else:
        click.echo(text, nl=False, color=color)  # color=True keeps colour going to a pipe (--color always)


def run() -> None:
    """The ``macrolint`` command: ``main``, then exit without tearing the interpreter down.

    Everything a run opens is closed by then and its output is flushed here; what is left is
    freeing the loaded packs object by object, which every pre-commit hook would wait for."""
    fit_console()
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe: what Python itself reports when it cannot flush at exit
        code = code or 120
    os._exit(code or 0)


def fail(message: str) -> "click.exceptions.Exit":
    """The exit of a usage, config or pack error: the message on stderr, exit code 2."""
    click.echo(f"macrolint: error: {message}", err=True)
    return click.exceptions.Exit(EXIT_ERROR)


def warn(message: str) -> None:
    click.echo(f"macrolint: warning: {message}", err=True)


def split(values) -> Optional[tuple[str, ...]]:
    """Repeated, comma-separated option values as one tuple (None when there are none)."""
    if not values:
        return None
    return tuple(v.strip() for item in values for v in item.split(",") if v.strip())


def use_color(no_color: bool, color: str = "auto") -> bool:
    """``--color always|never|auto``: auto is a terminal, without ``--no-color`` or ``NO_COLOR``."""
    if color != "auto":
        return color == "always"
    if no_color or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def load_config(paths, config_path, **overrides) -> Config:
    """The config of the first path (see ``packs.configtree.discover``) with the flags laid over
    it: for commands that need one config (``rules``, ``review`` of one file)."""
    try:
        config = discover(list(paths), config_path, warn=warn)
    except ConfigError as exc:
        raise fail(str(exc))
    return config.with_overrides(**overrides)


class Unusable:
    """Stands in for the linter of a nested config that cannot be used (invalid TOML, a broken
    pack): each file under it gets one ``IO006`` naming the config and the problem, and the run
    goes on with the other files."""

    unusable = True
    rules: list = []

    def __init__(self, message: str):
        self.message = message

    def check_file(self, path: str, fmt: Optional[str] = None):
        return None, [input_diagnostic(path, BAD_CONFIG, f"not linted: its config cannot be used: {self.message}")]


class Linters:
    """One linter per config of a run: each file is linted with the nearest config above it
    (``packs.configtree``), or with ``--config`` / ``--isolated`` for all. The config of the
    first path must be valid (else the run stops with exit 2); a broken config further down
    costs only its own files (``Unusable``)."""

    def __init__(self, paths, config_path: Optional[str] = None, isolated: bool = False, **overrides):
        self._first_path = next((p for p in paths if p != "-" and os.path.exists(p)), ".")
        try:
            self.tree = for_run(list(paths), config_path, isolated, warn=warn, **overrides)
            self.tree.for_path(self._first_path)
        except ConfigError as exc:
            raise fail(str(exc))
        self._made: dict[int, Linter] = {}
        self._broken: dict[str, Unusable] = {}

    def for_path(self, path: str):
        try:
            config = self.tree.for_file(path) if path != "-" else self.tree.for_path(self._first_path)
        except ConfigError as exc:
            return self._broken.setdefault(str(exc), Unusable(str(exc)))
        linter = self._made.get(id(config))
        if linter is None:
            if self._made:  # a nested config: its errors cost only its files
                try:
                    linter = make_linter(config, quiet_errors=True)
                except (PackError, ConfigError) as exc:
                    return self._broken.setdefault(str(exc), Unusable(str(exc)))
            else:
                linter = make_linter(config)
            self._made[id(config)] = linter
        return linter

    def first(self) -> Linter:
        """The linter of the first path's config (standard input uses it)."""
        return self.for_path(self._first_path)

    def rules(self) -> list:
        """Every rule of every config used, once (SARIF and statistics describe them)."""
        seen: dict[str, object] = {}
        for linter in self._made.values():
            for rule in linter.rules:
                seen.setdefault(rule.code, rule)
        return list(seen.values())


def make_linter(config: Config, quiet_errors: bool = False) -> Linter:
    """The linter of ``config``; a pack or config error ends the run (exit 2), or with
    ``quiet_errors`` is raised for the caller."""
    # Loading makes tens of thousands of objects and no garbage, and the rules live until the
    # process ends: the collector is paused while they are made, then never looks at them (nor
    # at exit) once they are frozen.
    collecting = gc.isenabled()
    gc.disable()
    try:
        linter = Linter(config)
    except (PackError, ConfigError) as exc:
        if quiet_errors:
            raise
        raise fail(f"invalid rule packs or config:\n{exc}")
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
    for slow in linter.slow_entries():
        warn(slow)
    return linter


FORCE_WRITE = click.option(
    "--force-write", is_flag=True,
    help="Also write files that are read-only, hard-linked or reached through a symbolic link "
         "(the link stays; the file it points to is fixed).")
