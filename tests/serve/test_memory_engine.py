"""The memory engine of the query pool: one zygote loads the store, workers are its forks."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from nigraph.serve.pool import Pool, QueryTimeout

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _parent(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat[stat.rindex(")") + 2 :].split()[1])


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return state[state.rindex(")") + 2] != "Z"


def _wait_gone(pids: list[int], seconds: float = 5.0) -> list[int]:
    end = time.monotonic() + seconds
    while time.monotonic() < end and any(_alive(p) for p in pids):
        time.sleep(0.05)
    return [p for p in pids if _alive(p)]


@pytest.fixture()
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    store = ox.Store(str(path))
    g = ox.NamedNode("http://e/g")
    store.extend(ox.Quad(ox.NamedNode(f"http://e/s{i}"), ox.NamedNode("http://e/p"), ox.Literal(str(i)), g)
                 for i in range(400))
    store.flush()
    del store
    return path


@contextlib.contextmanager
def _memory_pool(store_path: Path, workers: int, timeout_s: float) -> Iterator[Pool]:
    pool = Pool(store_path, workers=workers, max_workers=workers, timeout_s=timeout_s, cache_bytes=0, engine="memory")
    try:
        yield pool
    finally:
        pool.close()


def _count(pool: Pool) -> bytes:
    return pool.run(COUNT, results=("text/csv",)).body


def test_workers_are_forks_of_the_zygote_and_a_killed_one_is_replaced_without_reloading(store_path: Path) -> None:
    with _memory_pool(store_path, 2, 1.0) as pool:
        zygote = pool._zygote.pid
        assert pool.triples_in_memory == 400
        workers = [w.pid for w in pool._idle]
        assert len(workers) == 2 and all(_parent(pid) == zygote for pid in workers)
        assert _count(pool) == b"n\r\n400\r\n"
        with pytest.raises(QueryTimeout):
            pool.run(RUNAWAY)
        assert pool.killed == 1
        end = time.monotonic() + 5
        while all(_alive(p) for p in workers) and time.monotonic() < end:
            time.sleep(0.02)
        assert sum(not _alive(p) for p in workers) == 1  # the runaway's worker, killed
        end = time.monotonic() + 5
        while len(pool._idle) < 2 and time.monotonic() < end:
            time.sleep(0.02)
        assert len(pool._idle) == 2 and pool._zygote.pid == zygote  # replaced by a fork, not a reload
        assert all(_parent(w.pid) == zygote for w in pool._idle)
        assert _count(pool) == b"n\r\n400\r\n"


def test_the_memory_engine_is_a_snapshot_of_the_store(store_path: Path) -> None:
    with _memory_pool(store_path, 1, 5.0) as pool:
        writer = ox.Store(str(store_path))
        writer.add(ox.Quad(ox.NamedNode("http://e/new"), ox.NamedNode("http://e/p"), ox.Literal("x"),
                           ox.NamedNode("http://e/g")))
        writer.flush()
        del writer
        assert _count(pool) == b"n\r\n400\r\n"


def test_a_dead_zygote_is_started_again_when_a_worker_is_needed(store_path: Path) -> None:
    with _memory_pool(store_path, 1, 1.0) as pool:
        old = pool._zygote.pid
        os.kill(old, signal.SIGKILL)
        assert _wait_gone([old]) == []
        assert _count(pool) == b"n\r\n400\r\n"  # the worker forked before still answers
        with pytest.raises(QueryTimeout):
            pool.run(RUNAWAY)  # its replacement needs a new zygote
        end = time.monotonic() + 10
        while not pool._idle and time.monotonic() < end:
            time.sleep(0.05)
        assert pool._zygote.pid != old and _parent(pool._idle[0].pid) == pool._zygote.pid
        assert _count(pool) == b"n\r\n400\r\n"


def test_close_ends_the_zygote_and_every_worker(store_path: Path) -> None:
    pool = Pool(store_path, workers=3, max_workers=3, timeout_s=5.0, cache_bytes=0, engine="memory")
    pids = [pool._zygote.pid] + [w.pid for w in pool._idle]
    assert _count(pool) == b"n\r\n400\r\n"
    pool.close()
    assert _wait_gone(pids) == []


def test_an_unknown_engine_is_refused(store_path: Path) -> None:
    with pytest.raises(ValueError, match="disk, memory"):
        Pool(store_path, engine="ram")


def test_the_zygote_loads_the_query_runtime_only() -> None:
    """The zygote (and every worker, a fork of it) imports what answering queries needs, not the
    rest of nigraph: each would otherwise hold about 16 MiB more."""
    import subprocess
    import sys

    from nigraph.serve.pool import RUNTIME_IMPORTS

    code = RUNTIME_IMPORTS + "import nigraph.serve.pool\nprint(' '.join(sorted(sys.modules)))\n"
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split())
    assert "nigraph.serve.pool" in loaded and "pyoxigraph" in loaded
    assert not loaded & {"nigraph.build.pipeline", "nigraph.validate.run", "nigraph.serve.app", "jinja2", "rdflib", "owlready2"}
