"""macrolint's own diagnostics about its input and itself: the ``IO`` codes.

``IO001`` a file that could not be read or decoded, ``IO002`` one malformed or too large,
``IO003`` a pattern that ran out of time, ``IO004`` a file with more findings than are reported,
``IO005`` a data file named on the command line that is no known export, ``IO006`` a file
under a nested config that cannot be used, and ``IO900`` an error of macrolint's own on one file (the run goes on, and exits 2).
"""
from __future__ import annotations

import os

from macrolint.model import Diagnostic, Severity

INPUT_CATEGORY = "input"
UNREADABLE = ("IO001", "unreadable-file")
MALFORMED = ("IO002", "malformed-file")
TIMEOUT = ("IO003", "pattern-timeout")
TOO_MANY = ("IO004", "too-many-findings")
#: A data file named on the command line that is no known export and has no [[sources]] entry.
UNKNOWN_SHAPE = ("IO005", "unknown-shape")
#: A file under a nested config that cannot be used (the run goes on, and exits 2).
BAD_CONFIG = ("IO006", "unusable-config")
INTERNAL_ERROR = ("IO900", "internal-error")
ISSUES_URL = "https://github.com/macrolint/macrolint/issues"


def input_diagnostic(source_path: str, code: tuple[str, str], message: str, raw: str = "", offset: int = 0) -> Diagnostic:
    line = raw.count("\n", 0, offset) + 1
    column = offset - (raw.rfind("\n", 0, offset) + 1) + 1
    return Diagnostic(path=source_path, start=offset, end=offset, line=line, column=column, end_line=line,
                      end_column=column, rule=code[0], name=code[1], category=INPUT_CATEGORY,
                      severity=Severity.ERROR, message=message, match="")


def internal_error(path: str, exc: BaseException) -> Diagnostic:
    """``IO900``: linting this file failed in macrolint itself; the run goes on with the others."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {os.path.basename(frames[-1].filename)}:{frames[-1].lineno} in {frames[-1].name}" if frames else ""
    message = (f"internal error while linting this file ({type(exc).__name__}{where}: {str(exc)[:200]}); "
               f"the other files were linted. Please report it at {ISSUES_URL} with the file if you can share it")
    return input_diagnostic(path, INTERNAL_ERROR, message)
