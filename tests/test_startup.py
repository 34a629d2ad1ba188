"""Start-up stays fast: importing the command line loads no reader or matcher it may not need."""
from __future__ import annotations

import os
import site
import subprocess
import sys
from pathlib import Path

import pytest

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


@pytest.mark.slow
def test_a_cached_run_imports_no_writing_machinery(tmp_path):
    """Only writing a cache entry needs tempfile (and the shutil, random, bz2 and lzma it pulls
    in); loading cached packs makes no value class, so dataclasses (and inspect) wait too."""
    code = ("import sys; before = set(sys.modules); from macrolint.linting.linter import Linter; linter = Linter(); "
            "new = lambda names: ','.join(m for m in names if m in set(sys.modules) - before) or '-'; "
            "print(new(('dataclasses', 'inspect'))); linter.lint_text('Hi there'); "
            "print(new(('tempfile', 'shutil', 'tomllib')))")
    # -S: no site hooks (a .pth file may import tempfile for its own ends); the packages by path
    path = os.pathsep.join([str(Path(__file__).resolve().parent.parent), *site.getsitepackages()])
    env = {**os.environ, "MACROLINT_CACHE_DIR": str(tmp_path), "PYTHONPATH": path}
    run = lambda: subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True, check=True,
                                 cwd=tmp_path, env=env).stdout.split()
    run()  # the first run writes the cache
    assert run() == ["-", "-"]
