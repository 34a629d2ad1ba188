"""What ``check`` and ``fix`` share: the options of a run, standard input, and why a run that
checked nothing fails."""
from __future__ import annotations

import sys
from typing import NamedTuple, Optional

from macrolint import readers


class Options(NamedTuple):
    """What ``check`` and ``fix`` share: how to read, which rules, how to print and to fix."""

    fmt: str = "text"
    select: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    config_path: Optional[str] = None
    isolated: bool = False
    no_gitignore: bool = False
    min_confidence: Optional[float] = None
    preview: Optional[bool] = None
    input_format: Optional[str] = None
    stdin_filename: Optional[str] = None
    no_color: bool = False
    color: str = "auto"
    quiet: bool = False
    no_progress: bool = False
    timeout_per_file: Optional[float] = None
    unsafe_fixes: bool = False
    diff: bool = False
    show_fixes: bool = False
    allow_empty: bool = False
    force_write: bool = False
    no_cache: bool = False

    @property
    def stdin_name(self) -> str:
        return self.stdin_filename or "-"

    def format_of(self, name: str) -> Optional[str]:
        """The format standard input is read as: ``--input-format``, else its name's extension."""
        return self.input_format or readers.detect(name)


def read_stdin() -> tuple[bytes, Optional[str]]:
    """Standard input's bytes, or why there are none (it is closed, or cannot be read)."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        return b"", "standard input (stdin) is closed; nothing to lint"
    try:
        return stream.read(), None
    except (OSError, ValueError) as exc:  # a closed or unreadable descriptor
        return b"", f"cannot read standard input (stdin): {getattr(exc, 'strerror', None) or exc}"


def nothing_checked(paths, skipped) -> str:
    """Why a run checked no file (a run that checks nothing must not pass as clean)."""
    where = " ".join(paths)
    if skipped:
        why = (f"the {len(skipped)} data file(s) under {where} are not macro, reply or article exports "
               "(-v lists them; [[sources]] in config declares their text fields)")
    else:
        why = f"no file to lint under {where} (after the exclude patterns of the config)"
    return f"nothing was checked: {why}; --allow-empty accepts a run that checks nothing"
