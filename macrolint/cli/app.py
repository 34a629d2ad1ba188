"""The ``macrolint`` command group and what its commands share: exit codes, messages, config
and linter set-up. Each command lives in a module of its own (``check``, ``rules``, ``review``)."""
from __future__ import annotations

import gc
import os
import sys
from typing import Optional

import click

from macrolint._version import __version__
from macrolint.linting.linter import Linter
from macrolint.packs.config import Config, ConfigError, discover
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


def quiet(output: str, diagnostics, files: int) -> str:
    """A text report without its summary line (``--quiet``)."""
    from macrolint.reporters.text import summary

    line = summary(diagnostics, files)
    return output[: -len(line) - 1].rstrip("\n") + ("\n" if diagnostics else "") if output.endswith(line + "\n") else output


def load_config(paths, config_path, **overrides) -> Config:
    """The run's config (see ``packs.config.discover``) with the flags laid over it."""
    try:
        config = discover(list(paths), config_path, warn=warn)
    except ConfigError as exc:
        raise fail(str(exc))
    return config.with_overrides(**overrides)


def make_linter(config: Config) -> Linter:
    # Loading makes tens of thousands of objects and no garbage, and the rules live until the
    # process ends: the collector is paused while they are made, then never looks at them (nor
    # at exit) once they are frozen.
    collecting = gc.isenabled()
    gc.disable()
    try:
        linter = Linter(config)
    except (PackError, ConfigError) as exc:
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
