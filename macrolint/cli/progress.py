"""A progress line on standard error for long runs: only on a terminal, only after a second,
cleared when the run ends, so logs and pipes never see it."""
from __future__ import annotations

import sys
import time
from typing import Optional, TextIO


class Progress:
    def __init__(self, stream: Optional[TextIO] = None, enabled: Optional[bool] = None, delay: float = 1.0,
                 every: float = 0.2, clock=time.monotonic):
        self.stream = stream if stream is not None else sys.stderr
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = (bool(isatty and isatty())) if enabled is None else enabled
        self.clock = clock
        self.start = clock()
        self.delay, self.every = delay, every
        self.last = 0.0
        self.width = 0

    def tick(self, files: int, findings: int) -> None:
        """Say how far the run is, at most every ``every`` seconds, once it has run ``delay``."""
        if not self.enabled:
            return
        now = self.clock()
        if now - self.start < self.delay or now - self.last < self.every:
            return
        self.last = now
        line = f"macrolint: {files:,} files checked, {findings:,} findings ({now - self.start:.0f} s)"
        self.width = max(self.width, len(line))
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()

    def done(self) -> None:
        """Clear the line, if one was shown."""
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0
