"""The progress line: only on a terminal, only after a second, cleared at the end."""
from __future__ import annotations

import io

from macrolint.cli.progress import Progress


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class Tty(io.StringIO):
    def isatty(self):
        return True


def test_progress_waits_a_second_then_updates_and_clears():
    clock, stream = Clock(), Tty()
    progress = Progress(stream, clock=clock)
    progress.tick(10, 1)
    assert stream.getvalue() == ""  # a short run shows nothing
    clock.now = 1.5
    progress.tick(500, 20)
    assert "500 files checked, 20 findings" in stream.getvalue()
    progress.done()
    assert stream.getvalue().endswith("\r")


def test_no_progress_off_a_terminal_or_when_asked():
    clock = Clock()
    pipe = io.StringIO()
    quiet = Progress(pipe, clock=clock)
    off = Progress(Tty(), enabled=False, clock=clock)
    clock.now = 5
    quiet.tick(1, 1)
    off.tick(1, 1)
    assert pipe.getvalue() == "" and off.stream.getvalue() == ""
