"""A small closed-loop HTTP load driver: N clients, each on its own keep-alive connection.

Used by ``serve_throughput.py``, ``soak.py`` and the soak test. Each client sends a request,
waits for the answer, and sends the next, until the time is up or its request budget is spent.

>>> percentile([1.0, 2.0, 3.0, 4.0], 50), percentile([], 99)
(2.0, 0.0)
"""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

__all__ = ["Stats", "run_load", "percentile", "stop_group"]

#: A request: (kind, path with query string, headers).
Request = tuple[str, str, dict[str, str]]


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of ``values``; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, int(round(p / 100.0 * len(ordered) + 0.5)) - 1))
    return ordered[k]


@dataclass
class Stats:
    """What one run measured: latencies per kind (seconds), errors and wall time."""

    seconds: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values()) + sum(self.errors.values())

    @property
    def all_latencies(self) -> list[float]:
        return [x for v in self.latencies.values() for x in v]

    def rate(self) -> float:
        return sum(len(v) for v in self.latencies.values()) / self.seconds if self.seconds else 0.0


def _client(base: str, pick: Callable[[int, int], Request], index: int, stop: float, budget: int,
            stats: Stats, lock: threading.Lock, timeout: float, ok: Callable[[int], bool]) -> None:
    parts = urlsplit(base)
    prefix = parts.path.rstrip("/")
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    n = 0
    while time.monotonic() < stop and n < budget:
        kind, path, headers = pick(index, n)
        n += 1
        start = time.monotonic()
        try:
            conn.request("GET", prefix + path, headers=headers)
            resp = conn.getresponse()
            body = resp.read()
            took = time.monotonic() - start
            good = ok(resp.status)
            if resp.will_close:
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        except (OSError, http.client.HTTPException) as exc:
            took, good, body = time.monotonic() - start, False, str(exc).encode()
            resp = None
            conn.close()
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        with lock:
            if good:
                stats.latencies.setdefault(kind, []).append(took)
            else:
                stats.errors[kind] = stats.errors.get(kind, 0) + 1
                if len(stats.error_samples) < 5:
                    status = resp.status if resp is not None else "-"
                    stats.error_samples.append(f"{kind} {path[:80]} -> {status} {body[:120]!r}")
    conn.close()


def run_load(base: str, pick: Callable[[int, int], Request], *, clients: int, seconds: float,
             budget: int = 10**9, timeout: float = 60.0, ok: Callable[[int], bool] = lambda s: s == 200) -> Stats:
    """Drive ``base`` with ``clients`` concurrent clients for ``seconds`` (or ``budget`` requests each).

    :param base: the server's base URL, e.g. ``http://127.0.0.1:8000/``.
    :param pick: ``(client index, request number) -> (kind, path, headers)``; path starts with ``/``.
    :returns: the statistics.
    """
    stats, lock = Stats(), threading.Lock()
    start = time.monotonic()
    stop = start + seconds
    threads = [threading.Thread(target=_client, args=(base, pick, i, stop, budget, stats, lock, timeout, ok), daemon=True)
               for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + timeout + 5)
    stats.seconds = time.monotonic() - start
    return stats


def stop_group(proc: subprocess.Popen) -> None:
    """Stop a server started with ``start_new_session=True``: SIGTERM, then SIGKILL its whole group."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(10)
