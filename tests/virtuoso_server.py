"""Start and stop a private Virtuoso (Debian's ``virtuoso-opensource``) for tests and benchmarks.

The configuration is ``tests/virtuoso/virtuoso.ini`` with its ``@...@`` placeholders filled in:
a fresh data folder, two free loopback ports and the page buffers. The database starts empty,
with Virtuoso's default login dba/dba.

>>> fill_ini("a = @DIR@ @HTTP_PORT@ @SQL_PORT@ @BUFFERS@ @DIRTY_BUFFERS@", Path("/d"), 2, 1, 100)
'a = /d 2 1 100 75'
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

INI = Path(__file__).parent / "virtuoso" / "virtuoso.ini"
USER = PASSWORD = "dba"


def executable() -> str | None:
    """The Virtuoso server binary, or ``None`` if it is not installed."""
    return shutil.which("virtuoso-t")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fill_ini(template: str, folder: Path, http_port: int, sql_port: int, buffers: int) -> str:
    """The configuration text for one server."""
    return (template.replace("@DIR@", str(folder)).replace("@HTTP_PORT@", str(http_port))
            .replace("@SQL_PORT@", str(sql_port)).replace("@BUFFERS@", str(buffers))
            .replace("@DIRTY_BUFFERS@", str(buffers * 3 // 4)))


class Virtuoso:
    """A running Virtuoso; use as a context manager, or call :meth:`stop`.

    :param folder: an empty folder for its database, log and configuration.
    :param buffers: 8 KB page buffers (10,000 ~ 80 MB; 1M triples want ~100,000).
    :param ready_s: how long to wait for it to answer.
    """

    def __init__(self, folder: Path, *, buffers: int = 10_000, ready_s: float = 90.0) -> None:
        binary = executable()
        if binary is None:
            raise RuntimeError("virtuoso-t not found: apt-get install virtuoso-opensource")
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.http_port, self.sql_port = free_port(), free_port()
        ini = folder / "virtuoso.ini"
        ini.write_text(fill_ini(INI.read_text(), folder, self.http_port, self.sql_port, buffers))
        self.base = f"http://127.0.0.1:{self.http_port}"
        self._log = open(folder / "stdout.log", "wb")
        self.process = subprocess.Popen([binary, "+foreground", "+configfile", str(ini)], cwd=folder,
                                        stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            self._wait(ready_s)
        except BaseException:
            self.stop()
            raise

    @property
    def sparql(self) -> str:
        """Public query endpoint (no login; updates refused)."""
        return self.base + "/sparql"

    @property
    def sparql_auth(self) -> str:
        """Query and update endpoint with digest login."""
        return self.base + "/sparql-auth"

    @property
    def graph_store(self) -> str:
        """Graph Store HTTP Protocol with digest login."""
        return self.base + "/sparql-graph-crud-auth"

    def _wait(self, ready_s: float) -> None:
        deadline = time.monotonic() + ready_s
        url = self.sparql + "?query=ASK%7B%7D"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso exited with {self.process.returncode}: {self.log_tail()}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        raise RuntimeError(f"virtuoso not ready after {ready_s:.0f} s: {self.log_tail()}")

    def log_tail(self, lines: int = 15) -> str:
        """The end of the server's log, for error messages."""
        text = ""
        for name in ("virtuoso.log", "stdout.log"):
            path = self.folder / name
            if path.exists():
                text = path.read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, wait_s: float = 20.0) -> None:
        """Stop the server (SIGTERM, then SIGKILL) and wait for it; safe to call twice."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(wait_s)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(wait_s)
        self._log.close()

    def __enter__(self) -> Virtuoso:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
