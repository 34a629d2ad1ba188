"""Start-up stays fast: importing the command line loads no reader or matcher it may not need."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from macrolint import readers
from macrolint.readers import structured


def test_data_formats_are_the_structured_containers():
    assert readers.DATA_FORMATS == tuple(structured.CONTAINERS)


def test_importing_the_cli_leaves_heavy_modules_alone():
    heavy = ("yaml", "tomllib", "html.parser", "regex", "rapidfuzz", "macrolint.readers.structured",
             "macrolint.readers.html", "macrolint.readers.markdown")
    code = f"import sys, macrolint.cli; print(' '.join(m for m in {heavy!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent).stdout
    assert out.split() == []
