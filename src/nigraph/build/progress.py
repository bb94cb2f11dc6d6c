"""A progress bar for ``nigraph build`` on a terminal: which stage of how many, and its time so far.

Drawn on stderr only when stderr is a terminal, and only once a stage has run for
:data:`DELAY` seconds (a quick build shows nothing); erased before each stage's log line, so that
``nigraph -v build`` prints its stage table as without it. Not a terminal (a pipe, a file, a CI
log): nothing is drawn.

>>> import io
>>> p = Progress(["parse", "write"], io.StringIO())
>>> p.active
False
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Sequence
from typing import TextIO

__all__ = ["Progress", "DELAY"]

#: Seconds a stage runs before the bar appears.
DELAY = 2.0
_WIDTH = 24


class Progress:
    """The bar over the build's stages.

    :param stages: the stage names, in order.
    :param stream: where to draw (default ``sys.stderr``); nothing is drawn unless it is a terminal.
    :param delay: seconds before the bar appears in a stage.
    :param tick: seconds between redraws.
    """

    def __init__(self, stages: Sequence[str], stream: TextIO | None = None, *, delay: float = DELAY,
                 tick: float = 0.25) -> None:
        self.stages = list(stages)
        self.stream = stream if stream is not None else sys.stderr
        isatty = getattr(self.stream, "isatty", None)
        self.active = bool(isatty and isatty())
        self.delay, self.tick = delay, tick
        self._index = 0
        self._started = time.perf_counter()
        self._shown = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if self.active:
            self._thread = threading.Thread(target=self._run, name="progress", daemon=True)
            self._thread.start()

    def line(self, now: float | None = None) -> str:
        """The bar's text for the current stage."""
        now = time.perf_counter() if now is None else now
        n = len(self.stages)
        filled = _WIDTH * self._index // max(n, 1)
        name = self.stages[self._index] if self._index < n else "done"
        return (f"build [{'#' * filled}{'-' * (_WIDTH - filled)}] {min(self._index + 1, n)}/{n} "
                f"{name} {now - self._started:.0f} s")

    def _run(self) -> None:
        while not self._stop.wait(self.tick):
            with self._lock:
                if time.perf_counter() - self._started >= self.delay:
                    self.stream.write("\r\x1b[K" + self.line())
                    self.stream.flush()
                    self._shown = True

    def clear(self) -> None:
        """Erase the bar (before a log line is printed)."""
        with self._lock:
            if self._shown:
                self.stream.write("\r\x1b[K")
                self.stream.flush()
                self._shown = False

    def next(self, stage: str) -> None:
        """The stage that just ended is ``stage``; the next one starts now. Erases the bar."""
        self.clear()
        with self._lock:
            if stage in self.stages:
                self._index = self.stages.index(stage) + 1
            self._started = time.perf_counter()

    def close(self) -> None:
        """Stop drawing and erase the bar."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.clear()
