"""The build's progress bar: drawn on a terminal once a stage takes a while, erased before log lines;
nothing at all when stderr is not a terminal."""

from __future__ import annotations

import io
import time
from pathlib import Path

from nigraph.build.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def wait_for(stream: io.StringIO, text: str) -> None:
    deadline = time.monotonic() + 10
    while text not in stream.getvalue():
        assert time.monotonic() < deadline, stream.getvalue()
        time.sleep(0.01)


def test_the_bar_shows_the_running_stage_on_a_terminal() -> None:
    tty = Terminal()
    bar = Progress(["parse", "validate", "write"], tty, delay=0.0, tick=0.01)
    assert bar.active
    wait_for(tty, "build [------------------------] 1/3 parse ")
    bar.next("parse")
    wait_for(tty, "build [########----------------] 2/3 validate ")
    bar.close()
    assert tty.getvalue().endswith("\r\x1b[K")  # erased: a log line after it starts on a clean line
    assert "\n" not in tty.getvalue()


def test_a_quick_stage_draws_nothing() -> None:
    tty = Terminal()
    bar = Progress(["parse"], tty, delay=60.0, tick=0.01)
    time.sleep(0.1)
    bar.next("parse")
    bar.close()
    assert tty.getvalue() == ""


def test_no_bar_when_not_a_terminal(mini_project: Path, tmp_path: Path) -> None:
    stream = io.StringIO()
    bar = Progress(["parse"], stream, delay=0.0, tick=0.01)
    time.sleep(0.1)
    bar.close()
    assert not bar.active and stream.getvalue() == ""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", "from nigraph.cli import main; main()", "build", "-v", "--root",
                           str(mini_project), "--out", str(tmp_path / "out")], capture_output=True, text=True,
                          timeout=300, check=True)
    assert "\r" not in proc.stderr and "\x1b[" not in proc.stderr and "build [" not in proc.stderr
    assert "nigraph.build: store " in proc.stderr
