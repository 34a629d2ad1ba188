"""Linting many files on several processes, with output identical to a serial run.

The pool forks once; each worker builds its own ``Linter`` (the pack cache makes that cheap) and
takes chunks of files in order; results come back in the order the files were given. Small runs
stay on one process: a pool only pays off when each worker gets enough work. Files may come from
a folder walk still under way: the workers start on the first chunk while the rest is found.
"""
from __future__ import annotations

import gc
import itertools
import os
from typing import Iterable, Iterator, Optional

from .config import Config

#: Below this many files a run stays serial: forking costs more than it saves.
MIN_FILES = 64
#: Files a worker takes at a time: few enough that the first starts early and the last ones
#: end together, enough that handing them over costs little.
CHUNK = 256
_WORKER = None


def default_jobs() -> int:
    """The processors this process may run on: the default, and the most ``--jobs`` gets (more
    processes than processors only cost memory and switching)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _init(config: Config) -> None:
    global _WORKER
    from .api import Linter

    _WORKER = Linter(config)


def _lint_chunk(args: tuple[list[str], Optional[str]]):
    files, fmt = args
    return [(path, *_WORKER.check_file(path, fmt)) for path in files]


def _chunks(files: Iterator[str], fmt: Optional[str]) -> Iterator[tuple[list[str], Optional[str]]]:
    """``files`` as the pool takes them, ``CHUNK`` at a time, as they come."""
    while True:
        chunk = list(itertools.islice(files, CHUNK))
        if not chunk:
            return
        yield chunk, fmt


def lint_files(linter, files: Iterable[str], fmt: Optional[str], jobs: int):
    """``(path, skipped_reason, diagnostics)`` for every file, in order (``files`` may be a walk
    still under way)."""
    files = iter(files)
    first = list(itertools.islice(files, MIN_FILES))
    if jobs <= 1 or len(first) < MIN_FILES:
        for path in itertools.chain(first, files):
            yield (path, *linter.check_file(path, fmt))
        return
    import multiprocessing  # here: a small run never pays for importing the pool machinery
    from concurrent.futures import ProcessPoolExecutor

    chunks = _chunks(itertools.chain(first, files), fmt)
    global _WORKER
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    init, initargs = _init, (linter.config,)
    if method == "fork":
        # forked workers inherit the linter already built here: nothing to load or compile again
        # (and the collector leaves those objects alone, so their pages stay shared)
        _WORKER, init, initargs = linter, None, ()
        linter.engine.prepare_for_many()
        frozen = gc.get_freeze_count() > 0  # the CLI freezes what it built already
        gc.freeze()
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context(method),
                                 initializer=init, initargs=initargs) as pool:
            for result in pool.map(_lint_chunk, chunks):
                yield from result
    finally:
        if method == "fork":
            if not frozen:
                gc.unfreeze()
            _WORKER = None
