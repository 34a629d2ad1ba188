"""A time budget per file (``--timeout-per-file``): a file that takes longer gets one ``IO003``
naming the stage it was in, and the run goes on with the next file.

The budget is an interval timer (``SIGALRM``) armed around each file, so it also stops work
that is not a regex (a reader, a matcher's loop); a regex is stopped by its own timeout.
Where there is no such timer (Windows) or off the main thread, files run unbudgeted.
"""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator

#: Seconds a file may take by default.
DEFAULT_SECONDS = 60.0
#: Once a file is over its budget, the timeout is raised again this often until it is stopped.
REPEAT = 0.05


class FileTimeout(Exception):
    """The file ran over its budget; ``stage`` says what was being done."""

    def __init__(self, stage: str):
        super().__init__(stage)
        self.stage = stage


class Budget:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.stage = "reading it"

    def at(self, stage: str) -> None:
        """Say what the file is going through now (named in the timeout's message)."""
        self.stage = stage

    @contextmanager
    def file(self) -> Iterator[None]:
        """Run one file's work under the budget."""
        self.stage = "reading it"
        usable = (self.seconds > 0 and hasattr(signal, "setitimer")
                  and threading.current_thread() is threading.main_thread())
        if not usable:
            yield
            return

        def expired(signum, frame):
            raise FileTimeout(self.stage)

        previous = signal.signal(signal.SIGALRM, expired)
        # then again every REPEAT seconds until disarmed: a timeout raised where Python swallows
        # exceptions (a garbage-collector callback, a __del__) is raised again a moment later
        signal.setitimer(signal.ITIMER_REAL, self.seconds, REPEAT)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
