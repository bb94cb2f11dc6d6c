"""The soak driver (benchmarks/soak.py) for a few seconds against the test server (issue 8, item 1)."""

from __future__ import annotations

import sys
from pathlib import Path

from .serve_helpers import Server

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import soak  # noqa: E402


def test_short_soak_has_no_errors_and_nothing_slower_than_the_timeout(server: Server) -> None:
    stats, lines = soak.soak(server.url, clients=16, seconds=4, budget=400, pid=server.process.pid, timeout=2.0)
    print("\n".join(lines))
    assert sum(stats.errors.values()) == 0, stats.error_samples
    assert set(stats.latencies) == set(soak.KINDS)
    assert stats.requests > 50
    assert max(stats.all_latencies) < 2.0
    assert any("server memory" in line for line in lines)
