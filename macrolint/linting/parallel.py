"""Linting many files on several processes, with output identical to a serial run.

The pool forks once; each worker builds its own ``Linter`` (the pack cache makes that cheap) and
takes chunks of files in order; results come back in the order the files were given. Small runs
stay on one process: a pool only pays off when each worker gets enough work. Files may come from
a folder walk still under way: the workers start on the first chunk while the rest is found.
"""
from __future__ import annotations

import collections
import gc
import itertools
import os
from typing import Callable, Iterable, Iterator, Optional

from macrolint.packs.config import Config

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
    from macrolint.linting.linter import Linter

    _WORKER = Linter(config)


#: What a worker may be asked to do with each file: the ``Linter`` methods that take
#: ``(path, fmt)`` and return ``(skipped, diagnostics, ...)``.
METHODS = ("check_file", "survey_file")


def _lint_chunk(args: tuple[list[str], Optional[str], str]):
    files, fmt, method = args
    work = getattr(_WORKER, method)
    return [(path, *work(path, fmt)) for path in files]


def _chunks(files: Iterator[str], fmt: Optional[str], method: str) -> Iterator[tuple[list[str], Optional[str], str]]:
    """``files`` as the pool takes them, ``CHUNK`` at a time, as they come."""
    while True:
        chunk = list(itertools.islice(files, CHUNK))
        if not chunk:
            return
        yield chunk, fmt, method


def _survive_workers(pool, jobs: int, chunks: Iterator[tuple[list[str], Optional[str], str]]):
    """The results of every chunk, in order, even when a worker process dies (killed for its
    memory, or crashed in compiled code) on one of its files.

    The pool then breaks, and the chunks it had not reported yet are handed to a new one; but
    first the oldest of them is linted file by file, each in a process of its own, so a file
    that kills its process is found and reported as IO900 instead of ending the run. Every time
    the pool breaks, at least that chunk is done, so the run always ends."""
    from concurrent.futures.process import BrokenProcessPool

    unreported: collections.deque = collections.deque()

    def recorded() -> Iterator[tuple[list[str], Optional[str], str]]:
        for chunk in chunks:
            unreported.append(chunk)
            yield chunk

    fresh = recorded()
    while True:
        try:
            with pool(jobs) as workers:
                for result in workers.map(_lint_chunk, itertools.chain(list(unreported), fresh)):
                    unreported.popleft()
                    yield from result
            return
        except BrokenProcessPool:
            files, fmt, method = unreported.popleft()
            for path in files:
                yield path, *_alone(pool, path, fmt, method)


def _alone(pool, path: str, fmt: Optional[str], method: str = "check_file") -> tuple:
    """``check_file`` (or ``method``) in a process of its own; IO900 when that process dies
    (then only ``(None, [IO900])``, whatever else the method returns)."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        with pool(1) as worker:
            (result,) = worker.submit(_lint_chunk, ([path], fmt, method)).result()
            return result[1:]
    except BrokenProcessPool:
        from macrolint.linting.diagnostics import internal_error

        return None, [internal_error(path, RuntimeError(
            "the process linting this file died (killed for the memory it took, or a crash in compiled code)"))]


def lint_files(linter, files: Iterable[str], fmt: Optional[str], jobs: int, method: str = "check_file"):
    """``(path, skipped_reason, diagnostics)`` for every file, in order (``files`` may be a walk
    still under way); with ``method="survey_file"``, ``(path, skipped_reason, diagnostics,
    facts)``, except for a file whose worker died (``(path, None, [IO900])``)."""
    assert method in METHODS, method
    files = iter(files)
    first = list(itertools.islice(files, MIN_FILES))
    if jobs <= 1 or len(first) < MIN_FILES:
        work = getattr(linter, method)
        for path in itertools.chain(first, files):
            yield (path, *work(path, fmt))
        return
    import multiprocessing  # here: a small run never pays for importing the pool machinery
    from concurrent.futures import ProcessPoolExecutor

    chunks = _chunks(itertools.chain(first, files), fmt, method)
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
    context = multiprocessing.get_context(method)

    def pool(workers: int):
        return ProcessPoolExecutor(workers, mp_context=context, initializer=init, initargs=initargs)

    try:
        yield from _survive_workers(pool, jobs, chunks)
    finally:
        if method == "fork":
            if not frozen:
                gc.unfreeze()
            _WORKER = None


def lint_files_with(linter_for: Callable[[str], object], files: Iterable[str], fmt: Optional[str], jobs: int,
                    method: str = "check_file"):
    """``lint_files`` where each file may have a linter of its own (the nearest config above
    it). Files stream to the first file's linter until one needs another; the rest are then
    linted group by group, and every result still comes out in file order."""
    files = iter(files)
    first = next(files, None)
    if first is None:
        return
    linter = linter_for(first)
    other: list[str] = []

    def same() -> Iterator[str]:
        yield first
        for path in files:
            if linter_for(path) is not linter:
                other.append(path)
                return
            yield path

    yield from _lint_group(linter, same(), fmt, jobs, method)
    if not other:
        return
    rest = [*other, *files]
    groups: dict[int, tuple[object, list[str]]] = {}
    for path in rest:
        owner = linter_for(path)
        groups.setdefault(id(owner), (owner, []))[1].append(path)
    done: dict[str, tuple] = {}
    for owner, group in groups.values():
        for path, *result in _lint_group(owner, group, fmt, jobs, method):
            done[path] = result
    for path in rest:
        yield (path, *done.pop(path))


def _lint_group(linter, files: Iterable[str], fmt: Optional[str], jobs: int, method: str = "check_file"):
    """``lint_files``, or for a stand-in of an unusable config its one diagnostic per file."""
    if getattr(linter, "unusable", False):
        for path in files:
            yield (path, *linter.check_file(path, fmt))
        return
    if method == "check_file":
        yield from lint_files(linter, files, fmt, jobs)
    else:
        yield from lint_files(linter, files, fmt, jobs, method)
